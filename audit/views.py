"""The audit trail page and its export: read-only, for directors and administrators (404 for others)."""

import io

import openpyxl
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from audit import registry
from audit.forms import TrailFilterForm
from audit.models import AuditRecord
from audit.permissions import can_browse_trail
from audit.selectors import audit_trail
from lib.pagination import CappedPaginator
from lib.spreadsheets import write_cell
from lib.workdays import VIETNAM_TZ
from units.roles import Role

PAGE_SIZE = 50
# An export is for reading, not for moving the whole trail: narrow the filters for more.
EXPORT_LIMIT = 20_000


def changes_display(record: AuditRecord) -> list[tuple[str, str]]:
    """(field's Vietnamese name, "before → after" or "thêm …, bỏ …") for each recorded change."""
    lines = []
    for name, values in (record.changes or {}).items():
        label = registry.field_label(record.object_type, name)
        if isinstance(values, dict):  # many-to-many; a person's groups are roles, shown by their names
            names = dict(Role.choices) if (record.object_type, name) == ("units.user", "groups") else {}
            parts = []
            if values.get("added"):
                parts.append(_("thêm: %(names)s") % {"names": ", ".join(str(names.get(n, n)) for n in values["added"])})
            if values.get("removed"):
                parts.append(_("bỏ: %(names)s") % {"names": ", ".join(str(names.get(n, n)) for n in values["removed"])})
            lines.append((label, "; ".join(parts)))
        else:
            before, after = (registry.value_display(record.object_type, name, value) for value in values)
            if record.action == AuditRecord.Action.CREATE:
                lines.append((label, after))
            elif record.action == AuditRecord.Action.DELETE:
                lines.append((label, before))
            else:
                lines.append((label, f"{before} → {after}"))
    return lines


def _filtered(request):
    if not can_browse_trail(request.user):
        raise Http404
    form = TrailFilterForm(request.GET, user=request.user)
    filters = form.filters()
    records = audit_trail(user=request.user, filters=filters) if filters is not None else AuditRecord.objects.none()
    return form, records


@require_GET
@login_required
def trail(request):
    """The agency's audit trail, newest first, filtered by person, object, action and period."""
    form, records = _filtered(request)
    page = CappedPaginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = [(record, registry.type_label(record.object_type), changes_display(record)) for record in page]
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "audit/trail.html", context)


@require_GET
@login_required
def trail_export(request):
    """The filtered rows as an XLSX workbook; no cell can become a formula (lib.spreadsheets)."""
    _form, records = _filtered(request)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Nhật ký")
    header = [
        _("Thời gian"),
        _("Người thực hiện"),
        _("Thao tác"),
        _("Loại đối tượng"),
        _("Mã đối tượng"),
        _("Đối tượng"),
        _("Thay đổi"),
        _("Địa chỉ máy"),
        _("Kênh"),
        _("Ghi chú"),
    ]
    for column, title in enumerate(header, 1):
        write_cell(sheet, row=1, column=column, value=title)
    for row, record in enumerate(records[:EXPORT_LIMIT], 2):
        values = [
            timezone.localtime(record.at, VIETNAM_TZ).strftime("%d/%m/%Y %H:%M:%S"),
            record.who,
            record.get_action_display(),
            registry.type_label(record.object_type),
            record.object_id,
            record.object_repr,
            "\n".join(f"{label}: {text}" for label, text in changes_display(record)),
            record.address or "",
            record.get_channel_display(),
            record.detail,
        ]
        for column, value in enumerate(values, 1):
            write_cell(sheet, row=row, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="nhat-ky-thay-doi.xlsx"'
    return response
