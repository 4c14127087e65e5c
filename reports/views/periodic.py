"""Pages of the office's report on assigned tasks and the province view.

Thin: check the right, read the period, build the numbers (``reports.periodic``,
``reports.province``) and render them as a page, an XLSX workbook or a PDF.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lib.forms import form_status
from lib.text import fold
from lib.workdays import local_today
from reports.files.periodic import report_pdf, report_xlsx
from reports.forms import PeriodForm
from reports.periodic import COLUMNS, TITLE, Report, report_build
from reports.province import province_counts, province_totals, summary_refreshed_at
from tasks import permissions as rights
from tasks.periods import Period, period_for


def _period(form: PeriodForm) -> Period:
    data = form.cleaned_data if form.is_valid() else {}
    return period_for(data.get("period") or "month", local_today(), data.get("start"), data.get("end"))


def _report(request) -> tuple[PeriodForm, Report]:
    """The report the request asks for, of an agency the person may read; 403 otherwise."""
    user = request.user
    if not rights.can_view_reports(user):
        raise PermissionDenied(_("Chỉ Ban Giám đốc, văn thư và quản trị viên xem báo cáo nhiệm vụ."))
    agencies = rights.report_agencies_for(user)
    several = rights.is_province_administrator(user)
    form = PeriodForm(request.GET or None, agencies=agencies.order_by("name") if several else None)
    chosen = form.cleaned_data.get("agency") if several and form.is_valid() else None
    agency = chosen or (agencies.filter(pk=user.agency_id).first() if user.agency_id else agencies.first())
    if agency is None:
        raise PermissionDenied(_("Chưa có cơ quan nào để báo cáo."))
    return form, report_build(agency=agency, period=_period(form), at=timezone.now())


def _filename(report: Report, suffix: str) -> str:
    # ASCII only: an agency abbreviation such as SKHĐT would need RFC 5987 encoding in the header.
    agency = slugify(fold(report.agency.abbreviation)) or report.agency.pk
    return f"bao-cao-nhiem-vu-{agency}-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}.{suffix}"


@login_required
def reports(request):
    """The report on screen, with its period form and the two downloads."""
    form, report = _report(request)
    return render(
        request,
        "tasks/reports.html",
        {
            "form": form,
            "report": report,
            "title": TITLE,
            "headers": [header for _key, header in COLUMNS],
            "query": request.GET.urlencode(),
        },
        status=form_status(form),
    )


@login_required
def report_download_xlsx(request):
    _form, report = _report(request)
    response = HttpResponse(
        report_xlsx(report), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "xlsx")}"'
    return response


@login_required
def report_download_pdf(request):
    _form, report = _report(request)
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "pdf")}"'
    return response


@login_required
def province(request):
    """Every agency's figures from the summary (at most a minute behind the tasks)."""
    if not rights.is_province_administrator(request.user):
        raise PermissionDenied(_("Chỉ quản trị viên cấp tỉnh xem số liệu toàn tỉnh."))
    form = PeriodForm(request.GET or None)
    period = _period(form)
    rows = province_counts(period=period, at=timezone.now())
    return render(
        request,
        "tasks/province.html",
        {
            "form": form,
            "period": period,
            "rows": rows,
            "totals": province_totals(rows),
            "refreshed_at": summary_refreshed_at(),
            "headers": [header for _key, header in COLUMNS],
            "title": TITLE,
        },
    )
