"""API: the province view — every agency's tracking classes and rates for a period.

Read from the summary (``reports.province``), which is recounted every minute: the figures lag
the tasks by at most that minute; ``refreshed_at`` says when they were counted.
"""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from lib.api import InputSerializer, error_responses
from lib.errors import NotAllowed
from lib.workdays import local_today
from reports.province import province_counts, province_totals, summary_refreshed_at
from tasks import permissions
from tasks.periods import PERIODS, period_for


class PeriodInputSerializer(InputSerializer):
    period = serializers.ChoiceField(
        choices=list(PERIODS), default="month", help_text=gettext_lazy("Tuần, tháng, quý, năm này hoặc tùy chọn")
    )
    start = serializers.DateField(required=False, help_text=gettext_lazy("Ngày bắt đầu (kỳ tùy chọn)"))
    end = serializers.DateField(required=False, help_text=gettext_lazy("Ngày kết thúc (kỳ tùy chọn)"))

    def validate(self, data):
        if data["period"] == "custom":
            if not (data.get("start") and data.get("end")):
                raise serializers.ValidationError(_("Kỳ tùy chọn cần cả ngày bắt đầu và ngày kết thúc."))
            if data["start"] > data["end"]:
                raise serializers.ValidationError(_("Ngày bắt đầu phải trước ngày kết thúc."))
        return data


class FiguresSerializer(serializers.Serializer):
    received = serializers.IntegerField(help_text=gettext_lazy("Tổng số nhiệm vụ trong kỳ (trừ nhiệm vụ đã hủy)"))
    on_time = serializers.IntegerField(help_text=gettext_lazy("Hoàn thành đúng hạn"))
    late = serializers.IntegerField(help_text=gettext_lazy("Hoàn thành quá hạn"))
    within = serializers.IntegerField(help_text=gettext_lazy("Đang thực hiện trong hạn"))
    overdue = serializers.IntegerField(help_text=gettext_lazy("Đang thực hiện quá hạn"))
    no_deadline = serializers.IntegerField(help_text=gettext_lazy("Không có hạn"))
    completion = serializers.FloatField(
        allow_null=True, help_text=gettext_lazy("Hoàn thành ÷ (hoàn thành + đang thực hiện quá hạn); null khi chia 0")
    )
    on_time_rate = serializers.FloatField(
        allow_null=True, help_text=gettext_lazy("Hoàn thành đúng hạn ÷ hoàn thành; null khi chia 0")
    )


class AgencyFiguresSerializer(FiguresSerializer):
    agency_id = serializers.IntegerField()
    name = serializers.CharField()
    abbreviation = serializers.CharField()


class ProvinceSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    at = serializers.DateTimeField(help_text=gettext_lazy("Thời điểm phân loại trong hạn / quá hạn"))
    refreshed_at = serializers.DateTimeField(
        allow_null=True, help_text=gettext_lazy("Lúc số liệu tổng hợp được tính (cập nhật mỗi phút)")
    )
    agencies = AgencyFiguresSerializer(many=True)
    totals = FiguresSerializer()


def _figures(row: dict) -> dict:
    return {**row["values"], **{key: row[key] for key in ("agency_id", "name", "abbreviation") if key in row}}


class ProvinceReport(APIView):
    @extend_schema(
        summary=gettext_lazy("Số liệu nhiệm vụ toàn tỉnh theo cơ quan"),
        parameters=[PeriodInputSerializer],
        responses={200: ProvinceSerializer, **error_responses(400, 403)},
    )
    def get(self, request):
        """One row per agency: the four tracking classes, tasks without a deadline and the two rates,
        for the administrator of a multi-agency installation. At most a minute behind the tasks."""
        if not permissions.is_province_administrator(request.user):
            raise NotAllowed(_("Chỉ quản trị viên cấp tỉnh xem số liệu toàn tỉnh."))
        form = PeriodInputSerializer(data=request.query_params)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        period = period_for(data["period"], local_today(), data.get("start"), data.get("end"))
        at = timezone.now()
        rows = province_counts(period=period, at=at)
        body = {
            "start": period.start,
            "end": period.end,
            "at": at,
            "refreshed_at": summary_refreshed_at(),
            "agencies": [_figures(row) for row in rows],
            "totals": _figures(province_totals(rows)),
        }
        return Response(ProvinceSerializer(body).data)


urlpatterns = [path("reports/province", ProvinceReport.as_view(), name="reports-province")]
