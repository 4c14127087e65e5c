"""API: tasks (nhiệm vụ) — lists by role, creation (one or a document's points), the task page
and every step of a task's life.

Thin: each view looks the task up through ``permissions.task_get_for`` (404 for what the
person may not see, actions included), validates the input, calls one service and renders
the task again. Ids in the input are looked up only among what the person may use, so an id
outside that set is "không hợp lệ" whether or not it exists elsewhere.
"""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from directives.api import EventSerializer, PersonBriefSerializer, ScopedIdField, UnitBriefSerializer
from directives.models import Document
from directives.permissions import SECRET_LABEL, documents_visible_to
from lib.api import CheckedFileField, InputSerializer, error_responses
from lib.errors import DomainError, NotAllowed
from ops.idempotency import idempotent_api
from tasks import permissions, selectors, services
from tasks.models import Task, TrackingClass
from tasks.selectors import TaskFilters
from units.models import Unit, User
from units.roles import Role

# --- Ids in the input, each looked up among what the person may use ----------------


def _units_of_my_agency(user: User) -> QuerySet[Unit]:
    return Unit.objects.filter(agency_id=user.agency_id, is_active=True)


def _people_of_my_agency(user: User) -> QuerySet[User]:
    return User.objects.filter(agency_id=user.agency_id, is_active=True)


def supervisors_for(user: User) -> QuerySet[User]:
    """Who may supervise a task ``user`` gives: the directors and deputy directors of their agency."""
    return _people_of_my_agency(user).filter(groups__name__in=[Role.DIRECTOR, Role.DEPUTY_DIRECTOR]).distinct()


def _unit_id_field(**kwargs) -> ScopedIdField:
    return ScopedIdField(
        scope=_units_of_my_agency,
        queryset=Unit.objects.none(),  # names the model for the schema; get_queryset() does the lookup
        invalid=gettext_lazy("Đơn vị {pk_value} không hợp lệ: chỉ chọn được đơn vị thuộc cơ quan của bạn."),
        **kwargs,
    )


def _person_id_field(**kwargs) -> ScopedIdField:
    return ScopedIdField(
        scope=_people_of_my_agency,
        queryset=User.objects.none(),
        invalid=gettext_lazy("Cán bộ {pk_value} không hợp lệ: chỉ chọn được cán bộ thuộc cơ quan của bạn."),
        **kwargs,
    )


# --- Input ---------------------------------------------------------------------------


def _text_field(missing: str, **kwargs) -> serializers.CharField:
    return serializers.CharField(error_messages={"required": missing, "blank": missing}, **kwargs)


class TaskInputSerializer(InputSerializer):
    """One task as the person who gives it writes it. The deadline is a date, a number of
    working days (from the document's date, or today), or neither for a standing duty."""

    title = _text_field(gettext_lazy("Hãy ghi nội dung nhiệm vụ."), max_length=250)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    lead_unit = _unit_id_field()
    cooperating_units = _unit_id_field(many=True, required=False, default=list)
    document = ScopedIdField(
        scope=documents_visible_to,
        queryset=Document.objects.none(),
        invalid=gettext_lazy("Văn bản {pk_value} không hợp lệ."),
        required=False,
        allow_null=True,
        default=None,
    )
    point = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    working_days = serializers.IntegerField(min_value=1, max_value=365, required=False, allow_null=True, default=None)
    reporting_period = serializers.ChoiceField(
        choices=Task.Period.choices, required=False, allow_blank=True, default=""
    )
    supervisor = ScopedIdField(
        scope=supervisors_for,
        queryset=User.objects.none(),
        invalid=gettext_lazy(
            "Lãnh đạo phụ trách {pk_value} không hợp lệ: phải là Giám đốc hoặc Phó Giám đốc của cơ quan."
        ),
        required=False,
        allow_null=True,
        default=None,
    )
    priority = serializers.ChoiceField(choices=Task.Priority.choices, required=False, default=Task.Priority.NORMAL)


class TaskItemSerializer(TaskInputSerializer):
    """One point of a document given as a task; the document is named once for all of them.
    A point that already has a task gets another only with ``again`` true."""

    document = None
    again = serializers.BooleanField(required=False, default=False)


class TaskBulkInputSerializer(InputSerializer):
    document = ScopedIdField(
        scope=documents_visible_to,
        queryset=Document.objects.none(),
        invalid=gettext_lazy("Văn bản {pk_value} không hợp lệ."),
    )
    items = TaskItemSerializer(many=True)


class TaskFilterSerializer(InputSerializer):
    """The query string of the list; every filter is optional."""

    SCOPES = {
        "mine": selectors.my_tasks,
        "unit": selectors.unit_tasks,
        "supervised": selectors.supervised_tasks,
        "all": selectors.visible_tasks,
    }

    scope = serializers.ChoiceField(
        choices=[
            ("mine", gettext_lazy("Nhiệm vụ tôi xử lý hoặc phối hợp")),
            ("unit", gettext_lazy("Nhiệm vụ của đơn vị tôi phụ trách")),
            ("supervised", gettext_lazy("Nhiệm vụ tôi phụ trách")),
            ("all", gettext_lazy("Mọi nhiệm vụ tôi được xem")),
        ],
        required=False,
        default="all",
    )
    state = serializers.ChoiceField(choices=Task.State.choices, required=False, allow_blank=True, default="")
    tracking = serializers.ChoiceField(choices=TrackingClass.choices, required=False, allow_blank=True, default="")
    unit = serializers.IntegerField(required=False, min_value=1, allow_null=True, default=None)
    q = serializers.CharField(
        required=False, allow_blank=True, default="",
        help_text="Tìm trong nội dung, điểm, yêu cầu, đơn vị chủ trì; không phân biệt dấu, hoa thường",
    )  # fmt: skip
    date_from = serializers.DateField(required=False, default=None, help_text="Hạn xử lý từ ngày")
    date_to = serializers.DateField(required=False, default=None, help_text="Hạn xử lý đến ngày")

    def validate(self, data):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise serializers.ValidationError({"date_to": _("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu.")})
        return data


class TaskAssignInputSerializer(InputSerializer):
    handler = _person_id_field()
    supporters = _person_id_field(many=True, required=False, default=list)


class TaskReportInputSerializer(InputSerializer):
    text = _text_field(gettext_lazy("Hãy ghi nội dung báo cáo."))
    percent = serializers.IntegerField(min_value=0, max_value=100)
    files = serializers.ListField(child=CheckedFileField(), required=False, default=list)


class TaskSubmitInputSerializer(InputSerializer):
    result = _text_field(gettext_lazy("Hãy ghi kết quả thực hiện."))
    files = serializers.ListField(child=CheckedFileField(), required=False, default=list)


class TaskAcceptInputSerializer(InputSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TaskReturnInputSerializer(InputSerializer):
    reason = _text_field(gettext_lazy("Hãy ghi lý do trả lại."))


class TaskExtensionInputSerializer(InputSerializer):
    new_deadline = serializers.DateField()
    reason = _text_field(gettext_lazy("Hãy ghi lý do xin gia hạn."))


class TaskDecideInputSerializer(InputSerializer):
    grant = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TaskCancelInputSerializer(InputSerializer):
    reason = _text_field(gettext_lazy("Hãy ghi lý do hủy."))


# --- Output ----------------------------------------------------------------------------


class TaskDocumentSerializer(serializers.Serializer):
    """The source document; a confidential one the reader may not see is only ``{"id": null,
    "symbol": "", "subject": "Văn bản mật", "hidden": true}``."""

    id = serializers.IntegerField(allow_null=True)
    symbol = serializers.CharField()
    subject = serializers.CharField()
    hidden = serializers.BooleanField()


class TaskSerializer(serializers.Serializer):
    """A task as lists show it; ``tracking`` is the Government Office's class as of now."""

    id = serializers.IntegerField()
    point = serializers.CharField()
    title = serializers.CharField()
    document = serializers.SerializerMethodField()
    lead_unit = UnitBriefSerializer()
    cooperating_units = UnitBriefSerializer(many=True, source="cooperating_units.all")
    supervisor = PersonBriefSerializer(allow_null=True)
    handler = PersonBriefSerializer(allow_null=True)
    supporters = PersonBriefSerializer(many=True, source="supporters.all")
    priority = serializers.IntegerField()
    priority_label = serializers.CharField(source="get_priority_display")
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    tracking = serializers.CharField()
    tracking_label = serializers.SerializerMethodField()
    deadline = serializers.DateField(allow_null=True)
    original_deadline = serializers.DateField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    reporting_period = serializers.CharField()
    progress = serializers.IntegerField()
    completed_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()

    def get_tracking_label(self, task) -> str:
        return str(TrackingClass(task.tracking).label)

    @extend_schema_field(TaskDocumentSerializer(allow_null=True))
    def get_document(self, task) -> dict | None:
        """The selectors annotate ``document_hidden`` (directives.permissions.documents_hidden_q)."""
        if task.document_id is None:
            return None
        if task.document_hidden:
            return {"id": None, "symbol": "", "subject": str(SECRET_LABEL), "hidden": True}
        document = task.document
        return {"id": document.pk, "symbol": document.symbol, "subject": document.subject, "hidden": False}


class TaskEventSerializer(EventSerializer):
    """A document event's fields, plus what changed (old and new deadline, handler, ...)."""

    data = serializers.DictField()


class TaskFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, file) -> str:
        return reverse("tasks:file", args=[file.report.task_id, file.pk])


class ProgressReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = PersonBriefSerializer()
    unit = UnitBriefSerializer(allow_null=True)
    text = serializers.CharField()
    percent = serializers.IntegerField()
    is_final = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    files = TaskFileSerializer(many=True, source="files.all")


class ExtensionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    requested_by = PersonBriefSerializer()
    old_deadline = serializers.DateField()
    new_deadline = serializers.DateField()
    reason = serializers.CharField()
    decided_by = PersonBriefSerializer(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()
    created_at = serializers.DateTimeField()
    working_days = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Số ngày làm việc xin gia hạn."))
    endorsed_by = PersonBriefSerializer(
        allow_null=True, help_text=gettext_lazy("Lãnh đạo đơn vị đã đồng ý, chuyển lãnh đạo phụ trách quyết định.")
    )
    endorsed_at = serializers.DateTimeField(allow_null=True)


class DueReportSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    due_on = serializers.DateField()
    report = serializers.IntegerField(source="report_id", allow_null=True)


class TaskDetailSerializer(TaskSerializer):
    """A task with what was asked, who gave it, its timeline, reports, extensions and periodic reports."""

    description = serializers.CharField()
    result = serializers.CharField()
    created_by = PersonBriefSerializer()
    submitted_at = serializers.DateTimeField(allow_null=True)
    pre_accepted_by = PersonBriefSerializer(
        allow_null=True,
        help_text=gettext_lazy("Lãnh đạo đơn vị đã nghiệm thu; chờ lãnh đạo phụ trách nghiệm thu lần cuối."),
    )
    pre_accepted_at = serializers.DateTimeField(allow_null=True)
    events = TaskEventSerializer(many=True, source="events.all")
    reports = ProgressReportSerializer(many=True, source="reports.all")
    extensions = ExtensionSerializer(many=True, source="extensions.all")
    due_reports = DueReportSerializer(many=True, source="due_reports.all")


# --- Views -----------------------------------------------------------------------------


def _detail(task: Task, user: User) -> dict:
    return TaskDetailSerializer(selectors.task_detail(task=task, user=user)).data


def _with_list_relations(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """What TaskSerializer reads beyond the selectors' joins, fetched once per page, not per row."""
    return tasks.prefetch_related(
        Prefetch("cooperating_units", queryset=Unit.objects.order_by("name")),
        Prefetch("supporters", queryset=User.objects.order_by("full_name")),
    )


def _bulk_errors(errors: dict) -> Exception:
    """Name the first refused point ("Nhiệm vụ thứ 2: …") rather than only its field.

    DRF reports a list serializer's errors by position: a dict {index: errors} (or, in older
    versions, a list with an empty dict for each valid item).
    """
    items = errors.get("items")
    if isinstance(items, list):
        # A list of messages ("Trường này là bắt buộc.") is about the list itself, not its points.
        items = {
            index: item_errors
            for index, item_errors in enumerate(items)
            if isinstance(item_errors, dict) and item_errors
        }
    if (
        isinstance(items, dict)
        and items
        and all(isinstance(index, int) and isinstance(item, dict) and item for index, item in items.items())
    ):
        index = min(items)
        field, messages = next(iter(items[index].items()))
        return DomainError(
            _("Dữ liệu không hợp lệ: Nhiệm vụ thứ %(n)s: %(reason)s") % {"n": index + 1, "reason": messages[0]},
            {"fields": errors, "item": index + 1, "field": field},
        )
    return ValidationError(errors)


@extend_schema_view(
    get=extend_schema(
        summary=gettext_lazy("Danh sách nhiệm vụ"),
        parameters=[TaskFilterSerializer],
        responses={200: TaskSerializer(many=True), **error_responses(400)},
    ),
)
class TaskList(generics.ListAPIView):
    """Tasks I handle (``mine``), of the units I head (``unit``), that I supervise (``supervised``)
    or all I may see (``all``, the default): overdue and nearest deadlines first; POST gives a task."""

    serializer_class = TaskSerializer

    def get_queryset(self):
        form = TaskFilterSerializer(data=self.request.query_params)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        listing = TaskFilterSerializer.SCOPES[data.pop("scope")]
        return _with_list_relations(listing(user=self.request.user, filters=TaskFilters(**data)))

    @extend_schema(
        summary=gettext_lazy("Giao nhiệm vụ"),
        request=TaskInputSerializer,
        responses={201: TaskDetailSerializer, **error_responses(400, 403)},
    )
    @idempotent_api
    def post(self, request):
        if not permissions.can_create(request.user):
            # Before validation, so the ids in the input cannot be probed by who may not give tasks.
            raise NotAllowed(_("Bạn không có quyền giao nhiệm vụ."))
        form = TaskInputSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        task = services.task_create(by=request.user, **form.validated_data)
        return Response(_detail(task, request.user), status=status.HTTP_201_CREATED)


class TaskBulkCreate(APIView):
    @extend_schema(
        summary=gettext_lazy("Giao nhiệm vụ theo các điểm của văn bản"),
        request=TaskBulkInputSerializer,
        responses={201: TaskSerializer(many=True), **error_responses(400, 403)},
    )
    @idempotent_api
    def post(self, request):
        """Give one task per point of a document: all of them, or none; the error names the refused point."""
        if not permissions.can_create(request.user):
            raise NotAllowed(_("Bạn không có quyền giao nhiệm vụ."))
        form = TaskBulkInputSerializer(data=request.data, context={"request": request})
        if not form.is_valid():
            raise _bulk_errors(form.errors)
        tasks = services.tasks_create_from_document(
            by=request.user, document=form.validated_data["document"], items=form.validated_data["items"]
        )
        listed = _with_list_relations(selectors.visible_tasks(user=request.user)).filter(pk__in=[t.pk for t in tasks])
        return Response(TaskSerializer(listed, many=True).data, status=status.HTTP_201_CREATED)


class TaskDetail(APIView):
    @extend_schema(summary=gettext_lazy("Xem nhiệm vụ"), responses={200: TaskDetailSerializer, **error_responses(404)})
    def get(self, request, pk: int):
        """The task with its timeline, progress reports (files by their download path), extensions
        and the periodic reports a standing duty owes."""
        return Response(_detail(permissions.task_get_for(request.user, pk), request.user))


_ACTED = {200: TaskDetailSerializer, **error_responses(400, 403, 404)}


class TaskAction(APIView):
    """Look the task up (404 if hidden), validate the input, call one service, answer the task."""

    input_serializer: type[serializers.Serializer] = TaskAcceptInputSerializer

    def act(self, *, task: Task, by: User, **data) -> None:
        raise NotImplementedError

    @idempotent_api
    def post(self, request, pk: int, **kwargs):
        task = permissions.task_get_for(request.user, pk)
        form = self.input_serializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        self.act(task=task, by=request.user, **kwargs, **form.validated_data)
        return Response(_detail(task, request.user))


@extend_schema(summary=gettext_lazy("Phân công xử lý"), request=TaskAssignInputSerializer, responses=_ACTED)
class TaskAssign(TaskAction):
    """The head of the lead unit names the main handler and the supporting staff."""

    input_serializer = TaskAssignInputSerializer

    def act(self, **kwargs):
        services.task_assign(**kwargs)


_WITH_FILES = [JSONParser, MultiPartParser, FormParser]


@extend_schema(
    summary=gettext_lazy("Báo cáo tiến độ"),
    request={"application/json": TaskReportInputSerializer, "multipart/form-data": TaskReportInputSerializer},
    responses=_ACTED,
)
class TaskReport(TaskAction):
    """A progress report: text, percent done and, sent as multipart/form-data, files."""

    input_serializer = TaskReportInputSerializer
    parser_classes = _WITH_FILES

    def act(self, **kwargs):
        services.task_report(**kwargs)


@extend_schema(
    summary=gettext_lazy("Báo cáo hoàn thành"),
    request={"application/json": TaskSubmitInputSerializer, "multipart/form-data": TaskSubmitInputSerializer},
    responses=_ACTED,
)
class TaskSubmit(TaskAction):
    """The main handler reports the task done; it waits for the supervisor's acceptance."""

    input_serializer = TaskSubmitInputSerializer
    parser_classes = _WITH_FILES

    def act(self, **kwargs):
        services.task_submit(**kwargs)


@extend_schema(summary=gettext_lazy("Nghiệm thu"), request=TaskAcceptInputSerializer, responses=_ACTED)
class TaskAccept(TaskAction):
    input_serializer = TaskAcceptInputSerializer

    def act(self, **kwargs):
        services.task_accept(**kwargs)


@extend_schema(summary=gettext_lazy("Trả lại kết quả"), request=TaskReturnInputSerializer, responses=_ACTED)
class TaskReturn(TaskAction):
    input_serializer = TaskReturnInputSerializer

    def act(self, **kwargs):
        services.task_return(**kwargs)


@extend_schema(summary=gettext_lazy("Xin gia hạn"), request=TaskExtensionInputSerializer, responses=_ACTED)
class TaskExtensionRequest(TaskAction):
    input_serializer = TaskExtensionInputSerializer

    def act(self, **kwargs):
        services.task_extension_request(**kwargs)


@extend_schema(summary=gettext_lazy("Quyết định gia hạn"), request=TaskDecideInputSerializer, responses=_ACTED)
class TaskExtensionDecide(TaskAction):
    """Grant (the task takes the new deadline, the original stays) or refuse a pending extension."""

    input_serializer = TaskDecideInputSerializer

    def act(self, *, task, extension_id: int, **kwargs):
        # Only an extension of this very task: another task's id reads like an unknown one.
        services.task_extension_decide(extension=get_object_or_404(task.extensions, pk=extension_id), **kwargs)


@extend_schema(summary=gettext_lazy("Hủy nhiệm vụ"), request=TaskCancelInputSerializer, responses=_ACTED)
class TaskCancel(TaskAction):
    input_serializer = TaskCancelInputSerializer

    def act(self, **kwargs):
        services.task_cancel(**kwargs)


urlpatterns = [
    path("tasks", TaskList.as_view(), name="api-tasks"),
    path("tasks/bulk", TaskBulkCreate.as_view(), name="api-tasks-bulk"),
    path("tasks/<int:pk>", TaskDetail.as_view(), name="api-task"),
    path("tasks/<int:pk>/assign", TaskAssign.as_view(), name="api-task-assign"),
    path("tasks/<int:pk>/report", TaskReport.as_view(), name="api-task-report"),
    path("tasks/<int:pk>/submit", TaskSubmit.as_view(), name="api-task-submit"),
    path("tasks/<int:pk>/accept", TaskAccept.as_view(), name="api-task-accept"),
    path("tasks/<int:pk>/return", TaskReturn.as_view(), name="api-task-return"),
    path("tasks/<int:pk>/extension", TaskExtensionRequest.as_view(), name="api-task-extension"),
    path(
        "tasks/<int:pk>/extension/<int:extension_id>/decide",
        TaskExtensionDecide.as_view(),
        name="api-task-extension-decide",
    ),
    path("tasks/<int:pk>/cancel", TaskCancel.as_view(), name="api-task-cancel"),
]
