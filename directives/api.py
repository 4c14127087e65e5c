"""API: documents (outgoing drafts and their workflow) and the incoming register.

Thin: each view looks the document up through ``permissions.document_get_for``
(404 for what the person may not see, actions included), validates the input,
calls one service and renders the result. Ids in the input are looked up only
among the objects the person may use, so an id outside that set is "không hợp lệ"
whether or not it exists elsewhere.
"""

from django.db.models import Prefetch, QuerySet
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from directives import copies, permissions, selectors, services, word
from directives.models import (
    Confidentiality,
    CopyForm,
    Document,
    DocumentType,
    Recipient,
    Reference,
    SigningAuthority,
    Urgency,
)
from directives.permissions import SECRET_LABEL, document_hidden_annotation
from directives.revisions import revisions_masked
from directives.selectors import DocumentFilters
from directives.views.pdf import pdf_response
from directives.views.word import docx_response
from lib.api import CheckedFileField, InputSerializer, error_responses
from lib.errors import DomainError, NotAllowed
from ops.idempotency import idempotent_api
from units.models import Organisation, Unit, User

# --- Ids in the input, each looked up among what the person may use ----------------


def _units_of_my_agency(user: User) -> QuerySet[Unit]:
    return Unit.objects.filter(agency_id=user.agency_id, is_active=True)


class ScopedIdField(serializers.PrimaryKeyRelatedField):
    """The id of one of the objects ``scope(user)`` returns.

    Any other id, existing or not, gets the same "không hợp lệ" error, so the
    answer never tells whether something exists outside the person's reach.
    """

    default_error_messages = {
        "required": gettext_lazy("Trường này là bắt buộc."),
        "does_not_exist": gettext_lazy("Mã {pk_value} không hợp lệ."),
        "incorrect_type": gettext_lazy("Mã không hợp lệ: cần một số nguyên."),
    }

    def __init__(self, *, scope, invalid: str | None = None, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)
        if invalid is not None:
            self.error_messages["does_not_exist"] = invalid

    def get_queryset(self):
        return self.scope(self.context["request"].user)


def _active_doc_types(user: User) -> QuerySet[DocumentType]:
    return DocumentType.objects.filter(is_active=True)


def _active_organisations(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True)


def unit_id_field(**kwargs) -> ScopedIdField:
    return ScopedIdField(
        scope=_units_of_my_agency,
        queryset=Unit.objects.none(),  # names the model for the schema; get_queryset() does the lookup
        invalid=gettext_lazy("Đơn vị {pk_value} không hợp lệ: chỉ chọn được đơn vị thuộc cơ quan của bạn."),
        **kwargs,
    )


# --- Input ---------------------------------------------------------------------------


class ReferenceInputSerializer(InputSerializer):
    """Either a document already in the portal (``target``) or one typed in by its symbol."""

    target = ScopedIdField(
        scope=permissions.documents_visible_to,
        queryset=Document.objects.none(),
        invalid=gettext_lazy("Văn bản dẫn chiếu {pk_value} không hợp lệ."),
        required=False,
        allow_null=True,
    )
    doc_type = serializers.CharField(max_length=100, required=False, allow_blank=True)
    symbol = serializers.CharField(max_length=60, required=False, allow_blank=True)
    issued_on = serializers.DateField(required=False, allow_null=True)
    issuer = serializers.CharField(max_length=255, required=False, allow_blank=True)

    def validate(self, attrs):
        if attrs.get("target") is None and not attrs.get("symbol"):
            raise serializers.ValidationError(_("Văn bản dẫn chiếu cần có mã văn bản hoặc số, ký hiệu."))
        return attrs


class DocumentInputSerializer(InputSerializer):
    """A draft as its author writes it (all fields optional on PATCH)."""

    doc_type = ScopedIdField(
        scope=_active_doc_types,
        queryset=DocumentType.objects.none(),
        invalid=gettext_lazy("Loại văn bản {pk_value} không hợp lệ."),
    )
    subject = serializers.CharField(max_length=500)
    body = serializers.CharField(required=False, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, allow_blank=True)
    confidentiality = serializers.ChoiceField(choices=Confidentiality.choices, required=False, allow_blank=True)
    drafting_unit = unit_id_field(required=False, allow_null=True)
    recipient_units = unit_id_field(many=True, required=False)
    recipient_organisations = ScopedIdField(
        scope=_active_organisations,
        queryset=Organisation.objects.none(),
        invalid=gettext_lazy("Cơ quan nhận {pk_value} không hợp lệ."),
        many=True,
        required=False,
    )
    references = ReferenceInputSerializer(many=True, required=False)
    signer = ScopedIdField(
        scope=permissions.signers_for,
        queryset=User.objects.none(),
        invalid=gettext_lazy("Người ký {pk_value} không hợp lệ: phải là lãnh đạo cơ quan của bạn."),
        required=False,
        allow_null=True,
    )
    signing_authority = serializers.ChoiceField(choices=SigningAuthority.choices, required=False, allow_blank=True)
    authority_title = serializers.CharField(max_length=100, required=False, allow_blank=True)
    distribution = serializers.CharField(required=False, allow_blank=True)


class CommentInputSerializer(InputSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class SendInputSerializer(CommentInputSerializer):
    """A step that sends the document to a person the sender chooses («Trình», «Chuyển trình ký»),
    as on the page: ``to`` is anyone of the agency; whether that person may receive it is the
    service's rule, refused with a message naming whom one may choose."""

    to = ScopedIdField(
        scope=lambda user: User.objects.filter(agency_id=user.agency_id, is_active=True),
        queryset=User.objects.none(),
        invalid=gettext_lazy("Người được chọn ({pk_value}) không thuộc cơ quan hoặc không còn làm việc."),
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy(
            "Mã người nhận: khi trình, một lãnh đạo đơn vị soạn thảo (hoặc, nếu người trình là lãnh đạo đơn vị, "
            "một lãnh đạo cơ quan ký); khi chuyển trình ký, một người ký được của văn bản. "
            "Bỏ trống: người được gợi ý (khi trình) hoặc người ký đã chọn (khi chuyển trình ký)."
        ),
    )


class ReturnInputSerializer(InputSerializer):
    comment = serializers.CharField(
        error_messages={
            "required": gettext_lazy("Hãy ghi lý do trả lại."),
            "blank": gettext_lazy("Hãy ghi lý do trả lại."),
        }
    )


class EmptyInputSerializer(InputSerializer):
    pass


class FollowUpInputSerializer(InputSerializer):
    subject = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class IncomingInputSerializer(InputSerializer):
    """A received document as the clerk enters it in the register."""

    sender = ScopedIdField(
        scope=_active_organisations,
        queryset=Organisation.objects.none(),
        invalid=gettext_lazy("Cơ quan gửi {pk_value} không hợp lệ."),
    )
    symbol = serializers.CharField(max_length=60)
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    doc_type = ScopedIdField(
        scope=_active_doc_types,
        queryset=DocumentType.objects.none(),
        invalid=gettext_lazy("Loại văn bản {pk_value} không hợp lệ."),
    )
    subject = serializers.CharField(max_length=500)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, allow_blank=True, default="")
    confidentiality = serializers.ChoiceField(
        choices=Confidentiality.choices, required=False, allow_blank=True, default=""
    )
    received_on = serializers.DateField(required=False, allow_null=True, default=None)
    file = CheckedFileField(required=False, allow_null=True, default=None)
    confirm_duplicate = serializers.BooleanField(required=False, default=False)


class RouteInputSerializer(InputSerializer):
    note = serializers.CharField()
    lead_unit = unit_id_field()
    cooperating_units = unit_id_field(many=True, required=False, default=list)
    deadline = serializers.DateField(required=False, allow_null=True, default=None)


class DocumentFilterSerializer(InputSerializer):
    """The query string of the lists; every filter is optional."""

    q = serializers.CharField(required=False, allow_blank=True, default="")
    direction = serializers.ChoiceField(choices=Document.Direction.choices, required=False, allow_blank=True)
    doc_type = serializers.IntegerField(required=False, min_value=1)
    year = serializers.IntegerField(required=False, min_value=1900, max_value=9999)
    unit = serializers.IntegerField(required=False, min_value=1)
    state = serializers.ChoiceField(choices=Document.State.choices, required=False, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, allow_blank=True)
    date_from = serializers.DateField(required=False, help_text="Ngày đến (văn bản đến) hoặc ngày ban hành, từ")
    date_to = serializers.DateField(required=False, help_text="… đến ngày (cả hai ngày được tính)")

    def validate(self, data):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise serializers.ValidationError({"date_to": _("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu.")})
        return data


class IncomingFilterSerializer(DocumentFilterSerializer):
    direction = None


# --- Output ----------------------------------------------------------------------------


class DocTypeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    abbreviation = serializers.CharField()


class UnitBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    abbreviation = serializers.CharField()


class OrganisationBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PersonBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField(source="get_full_name")


class RecipientSerializer(serializers.Serializer):
    unit = UnitBriefSerializer(allow_null=True)
    organisation = OrganisationBriefSerializer(allow_null=True)


class ReferenceSerializer(serializers.Serializer):
    """A cited document; a confidential one the reader may not see (``target_hidden``, annotated
    by the selectors) is only ``{"target": null, "symbol": "Văn bản mật", "hidden": true}``."""

    target = serializers.IntegerField(source="target_id", allow_null=True)
    doc_type = serializers.CharField()
    symbol = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True)
    issuer = serializers.CharField()
    hidden = serializers.BooleanField(source="target_hidden", default=False)

    def to_representation(self, reference):
        if getattr(reference, "target_hidden", False):
            return {
                "target": None, "doc_type": "", "symbol": str(SECRET_LABEL), "issued_on": None, "issuer": "",
                "hidden": True,
            }  # fmt: skip
        return super().to_representation(reference)


class DocumentSerializer(serializers.Serializer):
    """A document as lists show it."""

    id = serializers.IntegerField()
    direction = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    doc_type = DocTypeSerializer()
    symbol = serializers.CharField()
    number = serializers.IntegerField(allow_null=True)
    year = serializers.IntegerField(allow_null=True)
    issued_on = serializers.DateField(allow_null=True)
    subject = serializers.CharField()
    body = serializers.CharField()
    urgency = serializers.CharField()
    confidentiality = serializers.CharField()
    drafting_unit = UnitBriefSerializer(allow_null=True)
    author = PersonBriefSerializer()
    signer = PersonBriefSerializer(allow_null=True)
    signing_authority = serializers.CharField()
    authority_title = serializers.CharField()
    pending_with = PersonBriefSerializer(allow_null=True)
    recipients = RecipientSerializer(many=True, source="recipients.all")
    distribution = serializers.CharField()
    references = ReferenceSerializer(many=True, source="references.all")
    sender = OrganisationBriefSerializer(allow_null=True)
    received_on = serializers.DateField(allow_null=True)
    relation = serializers.CharField()
    related_to = serializers.IntegerField(source="related_to_id", allow_null=True)
    copy_form = serializers.CharField(help_text="SY (sao y), TrS (trích sao), SL (sao lục); empty for an original")
    copy_of = serializers.IntegerField(source="copy_of_id", allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class IncomingSerializer(DocumentSerializer):
    arrival_number = serializers.IntegerField(source="number", allow_null=True)


class IncomingRegisteredSerializer(IncomingSerializer):
    """The registered document, with warnings that did not stop the registration
    (a received date earlier than the last registered one's)."""

    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)


class EventSerializer(serializers.Serializer):
    action = serializers.CharField()
    action_label = serializers.CharField(source="get_action_display")
    actor = PersonBriefSerializer()
    comment = serializers.CharField()
    at = serializers.DateTimeField()


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, attachment) -> str:
        return reverse("directives:attachment", args=[attachment.document_id, attachment.pk])


class RoutingSerializer(serializers.Serializer):
    director = PersonBriefSerializer()
    note = serializers.CharField()
    lead_unit = UnitBriefSerializer()
    cooperating_units = UnitBriefSerializer(many=True, source="cooperating_units.all")
    deadline = serializers.DateField(allow_null=True)
    routed_at = serializers.DateTimeField()


class DocumentDetailSerializer(IncomingSerializer):
    """A document with its history, files and, once routed, the direction note."""

    events = EventSerializer(many=True, source="events.all")
    attachments = AttachmentSerializer(many=True, source="attachments.all")
    routing = serializers.SerializerMethodField()

    @extend_schema_field(RoutingSerializer(allow_null=True))
    def get_routing(self, document) -> dict | None:
        # A reverse one-to-one raises when there is no row; an unrouted document has none.
        routing = getattr(document, "routing", None)
        return RoutingSerializer(routing).data if routing is not None else None


class RevisionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    author = PersonBriefSerializer()
    created_at = serializers.DateTimeField()
    content = serializers.JSONField()


# --- Views -----------------------------------------------------------------------------


class DuplicateIncoming(DomainError):
    status_code = status.HTTP_409_CONFLICT


def _with_list_relations(documents: QuerySet[Document], user: User) -> QuerySet[Document]:
    """What DocumentSerializer reads beyond the selectors' joins, fetched once per page, not per row;
    a reference to a confidential document hidden from ``user`` is marked ``target_hidden``."""
    return documents.select_related("signer").prefetch_related(
        Prefetch("recipients", queryset=Recipient.objects.select_related("unit", "organisation").order_by("pk")),
        Prefetch(
            "references", queryset=Reference.objects.annotate(target_hidden=document_hidden_annotation(user, "target"))
        ),
    )


def _detail(document: Document, request) -> dict:
    document = selectors.document_detail(document=document, user=request.user)
    return DocumentDetailSerializer(document, context={"request": request}).data


def _filters(request, **fixed) -> DocumentFilters:
    form = DocumentFilterSerializer(data=request.query_params)
    form.is_valid(raise_exception=True)
    return DocumentFilters(**{**form.validated_data, **fixed})


@extend_schema_view(
    get=extend_schema(
        summary=gettext_lazy("Danh sách văn bản"),
        parameters=[DocumentFilterSerializer],
        responses={200: DocumentSerializer(many=True), **error_responses(400)},
    ),
)
class DocumentList(generics.ListAPIView):
    """Documents I may see, newest first, narrowed by the filters; POST creates a draft."""

    serializer_class = DocumentSerializer

    def get_queryset(self):
        filters = _filters(self.request)
        return _with_list_relations(
            selectors.document_search(user=self.request.user, filters=filters), self.request.user
        )

    @extend_schema(
        summary=gettext_lazy("Tạo dự thảo"),
        request=DocumentInputSerializer,
        responses={201: DocumentDetailSerializer, **error_responses(400, 403)},
    )
    @idempotent_api
    def post(self, request):
        form = DocumentInputSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        document = services.document_create(by=request.user, **form.validated_data)
        return Response(_detail(document, request), status=status.HTTP_201_CREATED)


class DocumentDetail(APIView):
    """One document; PATCH saves a new revision of a draft (PUT is not offered)."""

    @extend_schema(
        summary=gettext_lazy("Xem văn bản"), responses={200: DocumentDetailSerializer, **error_responses(404)}
    )
    def get(self, request, pk: int):
        return Response(_detail(permissions.document_get_for(request.user, pk), request))

    @extend_schema(
        summary=gettext_lazy("Sửa dự thảo"),
        request=DocumentInputSerializer,
        responses={200: DocumentDetailSerializer, **error_responses(400, 403, 404)},
    )
    def patch(self, request, pk: int):
        document = permissions.document_get_for(request.user, pk)
        form = DocumentInputSerializer(data=request.data, partial=True, context={"request": request})
        form.is_valid(raise_exception=True)
        document = services.document_update(document=document, by=request.user, **form.validated_data)
        return Response(_detail(document, request))


_ACTED = {200: DocumentDetailSerializer, **error_responses(400, 403, 404)}


class DocumentAction(APIView):
    """Look the document up (404 if hidden), validate the input, call one workflow service."""

    input_serializer: type[serializers.Serializer] = CommentInputSerializer

    def act(self, *, document: Document, by: User, **data) -> Document:
        raise NotImplementedError

    def check_rights(self, *, document: Document, by: User) -> None:
        """Refuse (NotAllowed, 403) before the input is read, so that an answer about the input
        never tells an outsider to the step anything (e.g. whether a person id is valid)."""

    @idempotent_api
    def post(self, request, pk: int):
        document = permissions.document_get_for(request.user, pk)
        self.check_rights(document=document, by=request.user)
        form = self.input_serializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        document = self.act(document=document, by=request.user, **form.validated_data)
        return Response(_detail(document, request))


@extend_schema(
    summary=gettext_lazy("Trình dự thảo"),
    description=gettext_lazy(
        "Gửi dự thảo cho người được chọn (`to`): lãnh đạo đơn vị soạn thảo để duyệt, hoặc lãnh đạo cơ quan "
        "ký nếu người trình là lãnh đạo đơn vị. Chọn người không được phép: 400, kèm danh sách người chọn được."
    ),
    request=SendInputSerializer,
    responses=_ACTED,
)
class DocumentSubmit(DocumentAction):
    input_serializer = SendInputSerializer

    def check_rights(self, *, document, by):
        if not permissions.can_submit(by, document):
            raise NotAllowed(_("Chỉ người soạn được trình dự thảo đang soạn hoặc bị trả lại."))

    def act(self, **kwargs):
        return services.document_submit(**kwargs)


@extend_schema(
    summary=gettext_lazy("Chuyển trình ký"),
    description=gettext_lazy(
        "Lãnh đạo đơn vị (hoặc người xử lý thay) chuyển dự thảo cho lãnh đạo ký được chọn (`to`); bỏ trống "
        "là người ký đã chọn trên dự thảo. Chọn người không ký được văn bản: 400, kèm danh sách người chọn được."
    ),
    request=SendInputSerializer,
    responses=_ACTED,
)
class DocumentForward(DocumentAction):
    input_serializer = SendInputSerializer

    def check_rights(self, *, document, by):
        if not permissions.can_forward(by, document):
            raise NotAllowed(_("Chỉ lãnh đạo đơn vị đang được trình mới chuyển trình ký được."))

    def act(self, **kwargs):
        return services.document_forward(**kwargs)


@extend_schema(summary=gettext_lazy("Trả lại dự thảo"), request=ReturnInputSerializer, responses=_ACTED)
class DocumentReturn(DocumentAction):
    input_serializer = ReturnInputSerializer

    def act(self, **kwargs):
        return services.document_return(**kwargs)


@extend_schema(summary=gettext_lazy("Ký duyệt"), request=CommentInputSerializer, responses=_ACTED)
class DocumentApprove(DocumentAction):
    def act(self, **kwargs):
        return services.document_approve(**kwargs)


@extend_schema(summary=gettext_lazy("Phát hành (cấp số)"), request=None, responses=_ACTED)
class DocumentIssue(DocumentAction):
    input_serializer = EmptyInputSerializer

    def act(self, **kwargs):
        return services.document_issue(**kwargs)


class DocumentFollowUp(APIView):
    """Start a recall or correction of an issued document: answers the new draft."""

    relation = ""

    @idempotent_api
    def post(self, request, pk: int):
        document = permissions.document_get_for(request.user, pk)
        form = FollowUpInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        draft = services.document_follow_up(
            document=document, by=request.user, relation=self.relation, subject=form.validated_data["subject"]
        )
        return Response(_detail(draft, request), status=status.HTTP_201_CREATED)


def _people_of_my_agency(user: User) -> QuerySet[User]:
    return User.objects.filter(agency_id=user.agency_id, is_active=True)


class CopyInputSerializer(InputSerializer):
    form = serializers.ChoiceField(choices=[c for c in CopyForm.choices if c[0]])
    paragraphs = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=10_000), required=False, default=list, max_length=500
    )
    signer = ScopedIdField(
        scope=_people_of_my_agency,
        queryset=User.objects.none(),
        invalid=gettext_lazy("Người ký {pk_value} không hợp lệ."),
        required=False,
        allow_null=True,
        default=None,
    )
    signing_authority = serializers.ChoiceField(
        choices=SigningAuthority.choices, required=False, allow_blank=True, default=""
    )
    authority_title = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    distribution = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    recipient_units = unit_id_field(many=True, required=False, default=list)


@extend_schema(
    summary=gettext_lazy("Sao văn bản (sao y, trích sao, sao lục)"),
    request=CopyInputSerializer,
    responses={201: DocumentDetailSerializer, **error_responses(400, 403, 404)},
)
class DocumentCopies(APIView):
    """Make a copy of a document I may see (the clerk): answers the copy, already issued."""

    @idempotent_api
    def post(self, request, pk: int):
        document = permissions.document_get_for(request.user, pk)
        copies.copy_allowed_check(document=document, by=request.user)
        form = CopyInputSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        made = copies.copy_make(document=document, by=request.user, **form.validated_data)
        return Response(_detail(made, request), status=status.HTTP_201_CREATED)


@extend_schema(
    summary=gettext_lazy("Tạo văn bản thu hồi"),
    request=FollowUpInputSerializer,
    responses={201: DocumentDetailSerializer, **error_responses(400, 403, 404)},
)
class DocumentRecall(DocumentFollowUp):
    relation = Document.Relation.RECALLS


@extend_schema(
    summary=gettext_lazy("Tạo văn bản đính chính"),
    request=FollowUpInputSerializer,
    responses={201: DocumentDetailSerializer, **error_responses(400, 403, 404)},
)
class DocumentCorrect(DocumentFollowUp):
    relation = Document.Relation.CORRECTS


class DocumentRead(APIView):
    @extend_schema(
        summary=gettext_lazy("Ghi nhận đã đọc"),
        request=None,
        responses={
            200: inline_serializer("ReadReceiptResult", {"first_read": serializers.BooleanField()}),
            **error_responses(404),
        },
    )
    def post(self, request, pk: int):
        """Record that I opened a document delivered to my unit; ``first_read`` is true only the first time."""
        document = permissions.document_get_for(request.user, pk)
        return Response({"first_read": services.document_mark_read(document=document, by=request.user)})


class DocumentRevisions(APIView):
    @extend_schema(
        summary=gettext_lazy("Các bản sửa của dự thảo"),
        responses={200: RevisionSerializer(many=True), **error_responses(404)},
    )
    def get(self, request, pk: int):
        """Every saved revision of the document, oldest first."""
        document = permissions.document_get_for(request.user, pk)
        revisions = revisions_masked(
            list(document.revisions.select_related("author").order_by("number")), user=request.user
        )
        return Response(RevisionSerializer(revisions, many=True).data)


class DocumentPdf(APIView):
    @extend_schema(
        summary=gettext_lazy("Bản PDF của văn bản"),
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **error_responses(404, 409)},
    )
    def get(self, request, pk: int):
        """The official PDF of an issued document (stored, with its SHA-256 in Repr-Digest),
        or a draft rendered now. 409 while the official PDF is still being made."""
        document = permissions.document_get_for(request.user, pk)
        try:
            return pdf_response(document, request._request)
        except DomainError as error:
            raise PdfNotReady(error.message) from error


class DocumentDocx(APIView):
    @extend_schema(
        summary=gettext_lazy("Bản Word (.docx) của văn bản"),
        responses={(200, word.CONTENT_TYPE): OpenApiTypes.BINARY, **error_responses(404)},
    )
    def get(self, request, pk: int):
        """The document as a .docx in the Decree 30 layout, made now (a draft marked DỰ THẢO).
        The same rights as the PDF."""
        document = permissions.document_get_for(request.user, pk)
        return docx_response(document, request._request)


class BodyFromDocxInputSerializer(InputSerializer):
    file = serializers.FileField(help_text=gettext_lazy("Tệp Word .docx; nội dung thay cho nội dung dự thảo."))


class DocumentBodyFromDocx(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary=gettext_lazy("Lấy nội dung dự thảo từ tệp Word"),
        request={"multipart/form-data": BodyFromDocxInputSerializer},
        responses={200: DocumentDetailSerializer, **error_responses(400, 403, 404)},
    )
    @idempotent_api
    def post(self, request, pk: int):
        """Replace the draft's body with the body of an uploaded .docx and save a new revision.

        The file is checked by content (only .docx), read with mammoth and sanitised like pasted
        text; tables and lists are kept. A refused or unreadable file is a 400 and changes nothing.
        """
        document = permissions.document_get_for(request.user, pk)
        services.document_edit_check(document=document, by=request.user)
        form = BodyFromDocxInputSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        try:
            body = word.body_from_docx(form.validated_data["file"], name=form.validated_data["file"].name)
        except DomainError as error:
            raise serializers.ValidationError({"file": [error.message]}) from None
        document = services.document_update(document=document, by=request.user, body=body.html)
        return Response(_detail(document, request))


class PdfNotReady(DomainError):
    status_code = status.HTTP_409_CONFLICT


@extend_schema_view(
    get=extend_schema(
        summary=gettext_lazy("Sổ văn bản đến"),
        parameters=[IncomingFilterSerializer],
        responses={200: IncomingSerializer(many=True), **error_responses(400)},
    ),
)
class IncomingList(generics.ListAPIView):
    """Incoming documents I may see, newest first; POST enters one in the register."""

    serializer_class = IncomingSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        filters = _filters(self.request, direction=Document.Direction.INCOMING)
        return _with_list_relations(
            selectors.document_search(user=self.request.user, filters=filters), self.request.user
        )

    @extend_schema(
        summary=gettext_lazy("Vào sổ văn bản đến"),
        request={"application/json": IncomingInputSerializer, "multipart/form-data": IncomingInputSerializer},
        responses={201: IncomingRegisteredSerializer, **error_responses(400, 403, 409)},
    )
    @idempotent_api
    def post(self, request):
        """Register a received document and answer its arrival number.

        A document with the same sender, symbol and date already in the register is
        refused with 409 until the request says ``confirm_duplicate: true``. A received date
        earlier than the last registered one's registers all the same, with a message in ``warnings``.
        """
        if not permissions.can_register_incoming(request.user):
            # Before the duplicate check, so nobody else can probe the register with it.
            raise NotAllowed(_("Chỉ văn thư vào sổ văn bản đến."))
        form = IncomingInputSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        confirmed = data.pop("confirm_duplicate")
        duplicates = services.incoming_duplicates(
            agency_id=request.user.agency_id, sender=data["sender"], symbol=data["symbol"], issued_on=data["issued_on"]
        )
        if not confirmed and duplicates.exists():
            # A confidential duplicate the clerk may not see still asks for confirmation, counted
            # in "hidden" without its id (its number and subject are never in this answer).
            named = selectors.duplicates_named_for(user=request.user, duplicates=duplicates)
            raise DuplicateIncoming(
                _(
                    "Văn bản này có thể đã được vào sổ (cùng cơ quan gửi, số ký hiệu và ngày). "
                    "Kiểm tra lại; nếu vẫn muốn vào sổ, gửi lại kèm confirm_duplicate: true."
                ),
                {"duplicates": sorted(d.pk for d in named if d), "hidden": sum(1 for d in named if d is None)},
            )
        # Asked before registering: afterwards the last registered document is this one.
        backdated = services.incoming_backdated_warning(
            agency_id=request.user.agency_id, received_on=data["received_on"]
        )
        document = services.incoming_register(by=request.user, **data)
        document.warnings = [backdated] if backdated else []
        return Response(IncomingRegisteredSerializer(document).data, status=status.HTTP_201_CREATED)


class IncomingRoute(APIView):
    @extend_schema(summary=gettext_lazy("Phân công xử lý"), request=RouteInputSerializer, responses=_ACTED)
    @idempotent_api
    def post(self, request, pk: int):
        """The director's direction note: lead unit, cooperating units, deadline; the units receive the document."""
        document = permissions.document_get_for(request.user, pk)
        form = RouteInputSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        services.incoming_route(document=document, by=request.user, **form.validated_data)
        return Response(_detail(document, request))


urlpatterns = [
    path("directives", DocumentList.as_view(), name="api-directives"),
    path("directives/<int:pk>", DocumentDetail.as_view(), name="api-directive"),
    path("directives/<int:pk>/submit", DocumentSubmit.as_view(), name="api-directive-submit"),
    path("directives/<int:pk>/forward", DocumentForward.as_view(), name="api-directive-forward"),
    path("directives/<int:pk>/return", DocumentReturn.as_view(), name="api-directive-return"),
    path("directives/<int:pk>/approve", DocumentApprove.as_view(), name="api-directive-approve"),
    path("directives/<int:pk>/issue", DocumentIssue.as_view(), name="api-directive-issue"),
    path("directives/<int:pk>/recall", DocumentRecall.as_view(), name="api-directive-recall"),
    path("directives/<int:pk>/correct", DocumentCorrect.as_view(), name="api-directive-correct"),
    path("directives/<int:pk>/copies", DocumentCopies.as_view(), name="api-directive-copies"),
    path("directives/<int:pk>/read", DocumentRead.as_view(), name="api-directive-read"),
    path("directives/<int:pk>/revisions", DocumentRevisions.as_view(), name="api-directive-revisions"),
    path("directives/<int:pk>/pdf", DocumentPdf.as_view(), name="api-directive-pdf"),
    path("directives/<int:pk>/docx", DocumentDocx.as_view(), name="api-directive-docx"),
    path("directives/<int:pk>/body-from-docx", DocumentBodyFromDocx.as_view(), name="api-directive-body-from-docx"),
    path("incoming", IncomingList.as_view(), name="api-incoming"),
    path("incoming/<int:pk>/route", IncomingRoute.as_view(), name="api-incoming-route"),
]
