"""API: read a received document (issue #17, item 5).

``POST /api/v1/import/parse`` answers the fields parsed from a text or a file and keeps nothing.
``POST /api/v1/incoming`` is the incoming register's endpoint (directives.api.IncomingList),
taken over here so that a file alone fills what it can: what the request gives wins, the rest
comes from the file. Rights are checked before the input, as everywhere.
"""

from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from directives import api as documents_api
from directives import selectors as document_selectors
from directives import services as documents
from directives.models import Confidentiality, Urgency
from intake import extract, permissions, registration, services
from intake.models import Reading
from lib.api import InputSerializer, error_responses
from lib.errors import DomainError, NotAllowed
from ops.idempotency import idempotent_api

SCAN_REFUSED = gettext_lazy(
    "Tệp là bản quét hoặc ảnh chụp: nhận dạng chữ mất vài chục giây nên không làm trong một yêu cầu API. "
    "Hãy dùng trang «Đọc văn bản» của cổng thông tin, hoặc lệnh import_document trên máy chủ."
)
# The incoming register's required values and how a refusal names them.
REQUIRED_LABELS = {
    "sender": gettext_lazy("cơ quan gửi"),
    "doc_type": gettext_lazy("loại văn bản"),
    "symbol": gettext_lazy("số, ký hiệu"),
    "subject": gettext_lazy("trích yếu"),
}


def _clerk_only(user) -> None:
    if not permissions.can_read(user):
        raise NotAllowed(_("Chỉ văn thư đọc và vào sổ văn bản đến."))


def _read(checked) -> extract.Extracted:
    try:
        extracted = registration.text_read(checked=checked)
    except DomainError as error:
        raise serializers.ValidationError({"file": [error.message]}) from None
    if extracted.needs_ocr:
        raise serializers.ValidationError({"file": [str(SCAN_REFUSED)]})
    return extracted


class ReceivedFileField(serializers.FileField):
    """An uploaded received document, checked by content (lib.uploads) like any attachment, or plain text."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 255)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        file = super().to_internal_value(data)
        try:
            return registration.file_checked(file)
        except DomainError as refused:
            raise serializers.ValidationError(refused.message) from None


class ParseInputSerializer(InputSerializer):
    text = serializers.CharField(required=False, allow_blank=True, max_length=200_000, trim_whitespace=False)
    file = ReceivedFileField(required=False, allow_null=True, default=None)

    def validate(self, attrs):
        has_text = bool((attrs.get("text") or "").strip())
        if has_text == (attrs.get("file") is not None):
            raise serializers.ValidationError(_("Gửi một trong hai: «text» (nội dung văn bản) hoặc «file» (tệp)."))
        return attrs


class ImportParse(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        summary=gettext_lazy("Đọc các trường của một văn bản"),
        request={"application/json": ParseInputSerializer, "multipart/form-data": ParseInputSerializer},
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 403)},
    )
    def post(self, request):
        """Answer the fields of document.schema.json read from ``text`` or ``file``, with
        ``uncertain`` (the fields to check) and, for a file, ``method``. Nothing is stored: the
        text lives as long as the request. A scan is refused (400): OCR is a background job."""
        _clerk_only(request.user)
        form = ParseInputSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        if form.validated_data.get("file") is not None:
            extracted = _read(form.validated_data["file"])
            text, method = extracted.text, extracted.method
        else:
            text, method = form.validated_data["text"], Reading.Method.TEXT
        fields = services.fields_parse(text, agency=request.user.agency)
        return Response({**fields, "method": method})


class IncomingFromFileInputSerializer(documents_api.IncomingInputSerializer):
    """The register's input with every value optional when a file is sent: the file fills the rest."""

    def get_fields(self):
        fields = super().get_fields()
        for name in ("sender", "doc_type", "symbol", "subject"):
            fields[name].required = False
            fields[name].allow_null = True
            fields[name].default = None
        fields["symbol"].allow_blank = fields["subject"].allow_blank = True
        fields["file"] = ReceivedFileField(required=False, allow_null=True, default=None)
        return fields


class IncomingList(documents_api.IncomingList):
    """The incoming register; POST with a file alone fills the sender, type, number, symbol,
    dates, subject, marks, body and references from it (the proposed tasks are kept for routing)."""

    @extend_schema(
        summary=gettext_lazy("Vào sổ văn bản đến"),
        request={
            "application/json": documents_api.IncomingInputSerializer,
            "multipart/form-data": IncomingFromFileInputSerializer,
        },
        responses={201: documents_api.IncomingRegisteredSerializer, **error_responses(400, 403, 409)},
    )
    @idempotent_api
    def post(self, request):
        """Register a received document and answer its arrival number.

        With a ``file``, the values the request leaves out are read from it: the sender is matched
        to a known body by name or abbreviation (case and diacritics ignored) or created under the
        name the document gives; a value neither given nor read is a 400 naming it. A file that
        cannot be read here (a scan: OCR runs in the background, from the «Đọc văn bản» page; a
        PDF with a password) is kept as sent when the request gives every value, and is a 400
        saying why otherwise. The duplicate check and the answer are those of the register
        without a file.
        """
        user = request.user
        if not documents_api.permissions.can_register_incoming(user):
            raise NotAllowed(_("Chỉ văn thư vào sổ văn bản đến."))
        form = IncomingFromFileInputSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        checked = data.pop("file")
        confirmed = data.pop("confirm_duplicate")
        extracted, fields, unread = None, {}, ""
        if checked is not None:
            try:
                extracted = _read(checked)
            except serializers.ValidationError as refused:
                # A file that cannot be read (a scan, a PDF with a password) is still the record:
                # kept as sent when the request gives every value, refused with why otherwise.
                unread = refused.detail["file"][0]
            else:
                fields = services.fields_parse(extracted.text, agency=user.agency)
        new_sender_name = ""
        if data["sender"] is None and fields:
            data["sender"] = registration.sender_match(fields)
            new_sender_name = "" if data["sender"] else registration.sender_name_proposed(fields)
        data["doc_type"] = data["doc_type"] or registration.doc_type_match(fields)
        data["symbol"] = (data["symbol"] or fields.get("symbol") or "").strip()
        data["subject"] = (data["subject"] or fields.get("subject") or "").strip()
        if data["issued_on"] is None:
            data["issued_on"] = registration.date_of(fields.get("issued_on"))
        data["urgency"] = data["urgency"] or registration.choice_of(Urgency, fields.get("urgency"))
        data["confidentiality"] = data["confidentiality"] or registration.choice_of(
            Confidentiality, fields.get("confidentiality")
        )
        missing = {
            name: [_("Thiếu %(what)s: không có trong yêu cầu và không đọc được từ tệp.") % {"what": label}]
            for name, label in REQUIRED_LABELS.items()
            if not data.get(name) and not (name == "sender" and new_sender_name)
        }
        if missing:
            raise serializers.ValidationError({**missing, **({"file": [unread]} if unread else {})})
        if data["sender"] is not None:
            duplicates = documents.incoming_duplicates(
                agency_id=user.agency_id, sender=data["sender"], symbol=data["symbol"], issued_on=data["issued_on"]
            )
            if not confirmed and duplicates.exists():
                named = document_selectors.duplicates_named_for(user=user, duplicates=duplicates)
                raise documents_api.DuplicateIncoming(
                    _(
                        "Văn bản này có thể đã được vào sổ (cùng cơ quan gửi, số ký hiệu và ngày). "
                        "Kiểm tra lại; nếu vẫn muốn vào sổ, gửi lại kèm confirm_duplicate: true."
                    ),
                    {"duplicates": sorted(d.pk for d in named if d), "hidden": sum(1 for d in named if d is None)},
                )
        backdated = documents.incoming_backdated_warning(agency_id=user.agency_id, received_on=data["received_on"])
        if extracted is None:
            document = documents.incoming_register(by=user, file=checked, **data)
        else:
            document = registration.reading_register_new(
                by=user, checked=checked, extracted=extracted, fields=fields, new_sender_name=new_sender_name, **data
            )
        document.warnings = [backdated] if backdated else []
        return Response(documents_api.IncomingRegisteredSerializer(document).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("import/parse", ImportParse.as_view(), name="api-import-parse"),
    # Before directives.api's "incoming" in config.urls: this subclass answers GET the same way.
    path("incoming", IncomingList.as_view(), name="api-incoming"),
]
