"""API: the progress report behind the director's dashboard — the same numbers, as JSON.

``GET /api/v1/reports/progress?period=…&from=…&to=…&scope=agency|supervised|unit&unit=<id>``
answers the tracking classes of the tasks due in the period (``reports.dashboards``: one aggregate
query each) in total and per lead unit. Leaders and administrators only; a bad period is a 400
with a Vietnamese message.
"""

from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from lib.api import InputSerializer, error_responses
from lib.errors import NotAllowed
from lib.workdays import local_now, local_today
from reports import dashboards as dashboard
from tasks import periods
from tasks import permissions as rights
from units.models import Unit


class ProgressQuerySerializer(InputSerializer):
    """The period (this month by default; ``custom`` needs ``from`` and ``to``) and the scope."""

    period = serializers.ChoiceField(choices=list(periods.PERIODS.items()), required=False, default="month")
    scope = serializers.ChoiceField(
        choices=[
            ("agency", gettext_lazy("Toàn cơ quan")),
            ("supervised", gettext_lazy("Đơn vị tôi phụ trách")),
            ("unit", gettext_lazy("Một đơn vị")),
        ],
        required=False,
        default="agency",
    )
    unit = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)

    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword: declared here rather than as a class attribute.
        fields["from"] = serializers.DateField(required=False, allow_null=True, default=None)
        fields["to"] = serializers.DateField(required=False, allow_null=True, default=None)
        for name in ("from", "to"):
            fields[name].error_messages["invalid"] = gettext_lazy("Ngày không hợp lệ: dùng dạng YYYY-MM-DD.")
        return fields

    def validate(self, data):
        start, end = data.get("from"), data.get("to")
        if data["period"] == "custom" and (start is None or end is None):
            raise serializers.ValidationError({"from": _("Kỳ tùy chọn cần cả ngày bắt đầu (from) và kết thúc (to).")})
        if start and end and start > end:
            raise serializers.ValidationError({"to": _("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu.")})
        if data["scope"] == "unit" and not data.get("unit"):
            raise serializers.ValidationError({"unit": _("Phạm vi một đơn vị cần mã đơn vị (unit).")})
        if data["scope"] == "unit" and not Unit.objects.filter(pk=data["unit"], agency_id=self.context["agency_id"]):
            raise serializers.ValidationError({"unit": _("Đơn vị không hợp lệ: chỉ chọn được đơn vị thuộc cơ quan.")})
        return data


class PeriodSerializer(serializers.Serializer):
    kind = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class ClassCountsSerializer(serializers.Serializer):
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    within = serializers.IntegerField()
    overdue = serializers.IntegerField()
    no_deadline = serializers.IntegerField(required=False)


class SharesSerializer(serializers.Serializer):
    on_time = serializers.FloatField()
    late = serializers.FloatField()
    within = serializers.FloatField()
    overdue = serializers.FloatField()


class TotalsSerializer(serializers.Serializer):
    """The four classes, tasks without a deadline counted apart, and the Government Office's rates
    (completion = finished ÷ (finished + overdue); on time = on time ÷ finished; null when undefined)."""

    counts = ClassCountsSerializer()
    no_deadline = serializers.IntegerField()
    total = serializers.IntegerField()
    shares = SharesSerializer()
    finished = serializers.IntegerField()
    completion = serializers.FloatField(allow_null=True)
    on_time = serializers.FloatField(allow_null=True)
    completion_label = serializers.CharField()
    on_time_label = serializers.CharField()


class UnitProgressSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField()
    name = serializers.CharField()
    counts = ClassCountsSerializer()
    finished = serializers.IntegerField()
    completion = serializers.FloatField(allow_null=True)
    on_time = serializers.FloatField(allow_null=True)
    completion_label = serializers.CharField()
    on_time_label = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    period = PeriodSerializer()
    totals = TotalsSerializer()
    units = UnitProgressSerializer(many=True)


class ProgressReport(APIView):
    @extend_schema(
        summary=gettext_lazy("Báo cáo tiến độ thực hiện nhiệm vụ"),
        parameters=[ProgressQuerySerializer],
        responses={200: ProgressSerializer, **error_responses(400, 403)},
    )
    def get(self, request):
        """The tracking classes of the tasks due in the period, in total and per lead unit:
        the numbers of the director's dashboard."""
        user = request.user
        if not rights.can_see_dashboards(user):
            raise NotAllowed(_("Chỉ Ban Giám đốc và quản trị viên xem báo cáo tiến độ."))
        query = ProgressQuerySerializer(data=request.query_params, context={"agency_id": user.agency_id})
        query.is_valid(raise_exception=True)
        data = query.validated_data
        period = periods.period_for(data["period"], local_today(), data.get("from"), data.get("to"))
        tasks = periods.in_period(periods.scoped(user, scope=data["scope"], unit_id=data.get("unit")), period)
        at = local_now()
        body = {
            "period": {"kind": period.kind, "start": period.start, "end": period.end},
            "totals": dashboard.class_counts(tasks, at=at),
            "units": dashboard.by_unit(tasks, at=at),
        }
        return Response(ProgressSerializer(body).data)


urlpatterns = [path("reports/progress", ProgressReport.as_view(), name="reports-progress")]
