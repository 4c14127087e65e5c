from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tasks.models import Holiday
from tasks.services import holiday_delete, holiday_save

WEEKDAYS = [_("Thứ Hai"), _("Thứ Ba"), _("Thứ Tư"), _("Thứ Năm"), _("Thứ Sáu"), _("Thứ Bảy"), _("Chủ nhật")]


class YearFilter(admin.SimpleListFilter):
    title = _("năm")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Holiday.objects.dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(date__year=int(self.value()))
        return queryset


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "name", "kind", "origin"]
    list_filter = [YearFilter, "kind", "origin"]
    search_fields = ["name"]
    date_hierarchy = "date"
    fields = ["date", "weekday", "name", "kind", "origin"]
    readonly_fields = ["weekday", "origin"]
    actions = ["delete_selected_holidays"]

    @admin.display(description=_("thứ"))
    def weekday(self, obj: Holiday) -> str:
        return WEEKDAYS[obj.date.weekday()] if obj.date else "—"

    def save_model(self, request, obj, form, change):
        # Through the service so the row becomes the administrator's and the calendar reloads.
        holiday_save(holiday=obj, by=request.user)

    def delete_model(self, request, obj):
        holiday_delete(holiday=obj, by=request.user)

    def get_actions(self, request):
        # The stock bulk delete bypasses delete_model; ours goes through the service.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Xóa các ngày đã chọn"), permissions=["delete"])
    def delete_selected_holidays(self, request, queryset):
        for holiday in queryset:
            holiday_delete(holiday=holiday, by=request.user)
        self.message_user(request, _("Đã xóa %(count)d ngày.") % {"count": len(queryset)})
