"""API: the registers of Decree 30 Appendix IV, as JSON rows or as the printable files.

``GET /api/v1/registers/outgoing|incoming|follow-up?start=YYYY-MM-DD&end=YYYY-MM-DD``
answers JSON; ``format=xlsx`` or ``format=pdf`` (or ``Accept:`` with the file's media type)
answers the file instead. Errors are always JSON in the one error shape: 403 for a person
who may not read registers, 400 with a Vietnamese message for a bad period.
"""

from django.urls import path
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import renderers, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from directives import permissions
from lib.api import InputSerializer, error_responses
from lib.errors import NotAllowed
from reports import registers
from reports.files import registers as register_files
from reports.views.registers import file_response

# The columns whose values are whole numbers; every other non-date column is text.
_INTEGER_COLUMNS = {"copies", "arrival_number"}


class XlsxRenderer(renderers.BaseRenderer):
    """Names the XLSX answer for content negotiation; the view builds the bytes itself."""

    media_type = register_files.XLSX_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class PdfRenderer(XlsxRenderer):
    media_type = register_files.PDF_TYPE
    format = "pdf"


class PeriodInputSerializer(InputSerializer):
    _date_errors = {
        "required": gettext_lazy("Hãy chọn ngày (dạng NNNN-TT-NN)."),
        "invalid": gettext_lazy("Ngày không hợp lệ: cần dạng NNNN-TT-NN, ví dụ 2026-03-31."),
    }
    start = serializers.DateField(error_messages=_date_errors)
    end = serializers.DateField(error_messages=_date_errors)


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    header = serializers.CharField()


def _row_serializer(register: registers.Register) -> type[serializers.Serializer]:
    """The shape of one row of ``register``, named for the schema (OutgoingRegisterRow, …)."""
    fields = {"document_id": serializers.IntegerField()}
    for column in register.columns:
        if column.is_date:
            fields[column.key] = serializers.DateField(allow_null=True, help_text=column.header)
        elif column.key in _INTEGER_COLUMNS:
            fields[column.key] = serializers.IntegerField(allow_null=True, help_text=column.header)
        else:
            fields[column.key] = serializers.CharField(help_text=column.header)
    name = "".join(part.capitalize() for part in register.kind.split("-")) + "RegisterRowSerializer"
    return type(name, (serializers.Serializer,), fields)


def _sheet_serializer(register: registers.Register) -> type[serializers.Serializer]:
    name = "".join(part.capitalize() for part in register.kind.split("-")) + "RegisterSerializer"
    return type(
        name,
        (serializers.Serializer,),
        {
            "kind": serializers.CharField(),
            "title": serializers.CharField(),
            "agency": serializers.CharField(),
            "start": serializers.DateField(),
            "end": serializers.DateField(),
            "columns": ColumnSerializer(many=True),
            "rows": _row_serializer(register)(many=True),
        },
    )


SHEET_SERIALIZERS = {kind: _sheet_serializer(register) for kind, register in registers.REGISTERS.items()}


class RegisterView(APIView):
    renderer_classes = [renderers.JSONRenderer, XlsxRenderer, PdfRenderer]
    kind = ""

    def handle_exception(self, exc):
        # Errors are JSON whatever file was asked for (a refusal is no spreadsheet).
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = self.request.accepted_renderer.media_type
        return super().handle_exception(exc)

    def get(self, request):
        if not permissions.can_view_registers(request.user):
            raise NotAllowed("Chỉ văn thư và lãnh đạo cơ quan được xem sổ văn bản.")
        period = PeriodInputSerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        sheet = registers.register_for(user=request.user, kind=self.kind, **period.validated_data)
        fmt = request.accepted_renderer.format
        if fmt in ("xlsx", "pdf"):
            return file_response(sheet, fmt)
        data = {
            "kind": sheet.register.kind,
            "title": sheet.register.title,
            "agency": sheet.agency.name,
            "start": sheet.start,
            "end": sheet.end,
            "columns": [{"key": c.key, "header": c.header} for c in sheet.register.columns],
            "rows": sheet.rows,
        }
        return Response(SHEET_SERIALIZERS[self.kind](data).data)


def _view(register: registers.Register):
    schema = extend_schema(
        summary=register.name,
        description=(
            f"{register.name} (Nghị định 30/2020/NĐ-CP, Phụ lục IV) của cơ quan người gọi, từ ngày start "
            "đến ngày end (tính cả hai ngày, tối đa 366 ngày). Mặc định trả JSON; format=xlsx hoặc "
            "format=pdf (hoặc tiêu đề Accept tương ứng) trả tệp Excel hoặc PDF để in. Chỉ văn thư và "
            "lãnh đạo cơ quan được xem (403 với người khác)."
        ),
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True, description="Từ ngày (NNNN-TT-NN)"),
            OpenApiParameter("end", OpenApiTypes.DATE, required=True, description="Đến ngày (NNNN-TT-NN)"),
            OpenApiParameter("format", str, enum=["json", "xlsx", "pdf"], description="Dạng trả về"),
        ],
        responses={
            (200, "application/json"): SHEET_SERIALIZERS[register.kind],
            (200, register_files.XLSX_TYPE): OpenApiTypes.BINARY,
            (200, register_files.PDF_TYPE): OpenApiTypes.BINARY,
            **error_responses(400, 403),
        },
    )
    view_class = type(
        "".join(part.capitalize() for part in register.kind.split("-")) + "RegisterView",
        (RegisterView,),
        {"kind": register.kind},
    )
    return schema(view_class).as_view()


urlpatterns = [
    path(f"registers/{kind}", _view(register), name=f"api-register-{kind}")
    for kind, register in registers.REGISTERS.items()
]
