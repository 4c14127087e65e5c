from django.urls import path

from tasks import dashboard_views, views

app_name = "tasks"
urlpatterns = [
    path("", views.my_tasks, name="mine"),
    path("unit/", views.unit_tasks, name="unit"),
    path("supervised/", views.supervised, name="supervised"),
    path("all/", views.browse, name="browse"),
    path("dashboard/", dashboard_views.agency_dashboard, name="dashboard"),
    path("dashboard/unit/<int:unit_pk>/", dashboard_views.unit_dashboard, name="unit_dashboard"),
    path("document/<int:document_pk>/progress/", dashboard_views.document_progress, name="document_progress"),
    path("new/", views.create, name="create"),
    path("from-document/<int:document_pk>/", views.create_from_document, name="create_from_document"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("<int:pk>/files/<int:file_pk>/", views.task_file, name="file"),
]

# Reports on assigned tasks and the province view (tasks/report_views.py).
from tasks import report_views  # noqa: E402

urlpatterns += [
    path("reports/", report_views.reports, name="reports"),
    path("reports/xlsx/", report_views.report_download_xlsx, name="report_xlsx"),
    path("reports/pdf/", report_views.report_download_pdf, name="report_pdf"),
    path("province/", report_views.province, name="province"),
]
