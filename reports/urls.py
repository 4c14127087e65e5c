"""The reporting pages, at the paths and URL names they had under tasks/ and directives/.

``config/urls.py`` adds ``under_tasks`` to the ``tasks`` namespace and ``under_directives`` to
the ``directives`` one, so ``{% url 'tasks:dashboard' %}`` and ``/tasks/dashboard/`` are as before.
"""

from django.urls import path

from reports.views import dashboards, periodic, registers

under_tasks = [
    path("dashboard/", dashboards.agency_dashboard, name="dashboard"),
    path("dashboard/unit/<int:unit_pk>/", dashboards.unit_dashboard, name="unit_dashboard"),
    path("document/<int:document_pk>/progress/", dashboards.document_progress, name="document_progress"),
    path("reports/", periodic.reports, name="reports"),
    path("reports/xlsx/", periodic.report_download_xlsx, name="report_xlsx"),
    path("reports/pdf/", periodic.report_download_pdf, name="report_pdf"),
    path("province/", periodic.province, name="province"),
]

under_directives = [
    path("registers/", registers.register_page, name="registers"),
]
