"""The registers page: pick a register and a period, read it, download it as XLSX or PDF."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import render

from directives import permissions
from reports import forms, registers
from reports.files import registers as register_files

PAGE_SIZE = 100


def file_response(sheet: registers.RegisterSheet, fmt: str) -> HttpResponse:
    """The register as a download (XLSX) or to open and print (PDF)."""
    if fmt == "xlsx":
        response = HttpResponse(register_files.register_xlsx(sheet), content_type=register_files.XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{register_files.filename(sheet, "xlsx")}"'
    else:
        response = HttpResponse(register_files.register_pdf(sheet), content_type=register_files.PDF_TYPE)
        response["Content-Disposition"] = f'inline; filename="{register_files.filename(sheet, "pdf")}"'
    return response


@login_required
def register_page(request):
    user = request.user
    if not permissions.can_view_registers(user):
        raise PermissionDenied("Chỉ văn thư và lãnh đạo cơ quan được xem sổ văn bản.")
    start, end = registers.period_default()
    data = request.GET if "kind" in request.GET else {"kind": "outgoing", "start": start, "end": end}
    form = forms.RegisterForm(data)
    sheet = page = None
    if form.is_valid():
        sheet = registers.register_for(user=user, **form.cleaned_data)
        fmt = request.GET.get("format")
        if fmt in ("xlsx", "pdf"):
            return file_response(sheet, fmt)
        page = Paginator(sheet.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = QueryDict(mutable=True)
    for name in ("kind", "start", "end"):
        query[name] = str(data.get(name, ""))
    return render(
        request,
        "directives/registers.html",
        {
            "form": form,
            "sheet": sheet,
            "page": page,
            "table": _table(sheet, page.object_list) if page else [],
            "query": query.urlencode(),
        },
        status=200 if form.is_valid() else 400,
    )


def _table(sheet: registers.RegisterSheet, rows) -> list[dict]:
    """The rows of one page as the template walks them: cells in column order, with their kind."""
    return [
        {
            "document_id": row["document_id"],
            "cells": [
                {"value": row[c.key], "is_date": c.is_date, "is_number": isinstance(row[c.key], int), "key": c.key}
                for c in sheet.register.columns
            ],
        }
        for row in rows
    ]
