from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tasks.models import Holiday, Reminder, ReminderRule
from tasks.services import holiday_delete, holiday_save, reminder_rule_save, reminder_rules_activate
from units.admin import AgencyScopedAdmin
from units.permissions import can_keep_installation_settings


class InstallationWideAdmin(admin.ModelAdmin):
    """Rows every agency shares (the calendar, the reminder rules): an agency's administrator may look;
    only an installation administrator changes them, since a change moves every agency's deadlines
    and reminders (docs/decisions.md)."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and can_keep_installation_settings(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and can_keep_installation_settings(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and can_keep_installation_settings(request.user)


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
class HolidayAdmin(InstallationWideAdmin):
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


class ReminderRuleForm(forms.ModelForm):
    class Meta:
        model = ReminderRule
        fields = ["name", "kind", "days", "send_at", "is_active", "to_handlers", "to_unit_head", "to_supervisor"]


@admin.register(ReminderRule)
class ReminderRuleAdmin(InstallationWideAdmin):
    """The administrator keeps the rules; the model's clean() explains a refused rule in Vietnamese."""

    form = ReminderRuleForm
    list_display = ["name", "kind", "days", "send_at", "recipients", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "days", "send_at", "is_active"]}),
        (_("Người nhận"), {"fields": ["to_handlers", "to_unit_head", "to_supervisor"]}),
    ]
    actions = ["deactivate", "activate"]

    @admin.display(description=_("người nhận"))
    def recipients(self, obj: ReminderRule) -> str:
        flags = ["to_handlers", "to_unit_head", "to_supervisor"]
        return ", ".join(str(ReminderRule._meta.get_field(f).verbose_name) for f in flags if getattr(obj, f)) or "—"

    def save_model(self, request, obj, form, change):
        reminder_rule_save(rule=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        # Deleting a rule would delete the reminders sent under it (support reads them); stop it instead.
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Ngừng áp dụng các quy tắc đã chọn"), permissions=["change"])
    def deactivate(self, request, queryset):
        count = reminder_rules_activate(rule_ids=queryset.values_list("pk", flat=True), active=False, by=request.user)
        self.message_user(request, _("Đã ngừng áp dụng %(count)d quy tắc.") % {"count": count})

    @admin.action(description=_("Áp dụng lại các quy tắc đã chọn"), permissions=["change"])
    def activate(self, request, queryset):
        count = reminder_rules_activate(rule_ids=queryset.values_list("pk", flat=True), active=True, by=request.user)
        self.message_user(request, _("Đã áp dụng lại %(count)d quy tắc.") % {"count": count})


class ClaimedFilter(admin.SimpleListFilter):
    title = _("đã gửi")
    parameter_name = "claimed"

    def lookups(self, request, model_admin):
        return [("yes", _("Đã gửi (hoặc đã bỏ qua)")), ("no", _("Chưa gửi"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(claimed_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(claimed_at__isnull=True)
        return queryset


@admin.register(Reminder)
class ReminderAdmin(AgencyScopedAdmin):
    """Read-only, for support: who was reminded of which task, under which rule, and when.
    An agency's administrator never sees another agency's tasks or people."""

    agency_lookup = "task__agency"

    list_display = ["task", "rule", "user", "occasion", "claimed_at", "attempts", "error"]
    list_filter = [ClaimedFilter, "rule"]
    list_select_related = ["task", "rule", "user"]
    search_fields = ["=task__id", "task__title", "user__username", "user__full_name"]
    date_hierarchy = "occasion"
    readonly_fields = [
        "task",
        "rule",
        "user",
        "occasion",
        "created_at",
        "claimed_at",
        "notification",
        "attempts",
        "error",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
