"""The exchange's records in the admin: read-only (they are what was sent and received), with
«Gửi lại» for failed messages (exchange.outbox.outgoing_retry, the same service as the screens)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from exchange.models import Mailbox, Outgoing, Poll, Received, StatusLog
from exchange.outbox import outgoing_retry
from lib.errors import DomainError
from units.admin import AgencyScopedAdmin, MissingIsNotFound
from units.permissions import can_keep_installation_settings


class RecordAdmin:
    """Records: looked at, never added, changed or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Received)
class ReceivedAdmin(RecordAdmin, AgencyScopedAdmin):
    list_display = ["received_at", "agency", "sender_name", "sender_exchange_id", "symbol", "state", "transport"]
    list_filter = ["state", "transport", "agency"]
    list_select_related = ["agency"]
    search_fields = ["symbol", "subject", "sender_name", "sender_exchange_id", "message_id"]
    date_hierarchy = "received_at"
    show_full_result_count = False


@admin.register(Outgoing)
class OutgoingAdmin(RecordAdmin, AgencyScopedAdmin):
    list_display = [
        "created_at", "agency", "kind", "code", "to_id", "state", "attempts", "due_at", "transport", "error",
    ]  # fmt: skip
    list_filter = ["state", "kind", "transport", "agency"]
    list_select_related = ["agency"]
    search_fields = ["to_id", "message_id", "error"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    actions = ["resend"]

    @admin.action(description=_("Gửi lại"), permissions=["view"])
    def resend(self, request, queryset):
        resent = 0
        for outgoing in queryset.filter(state=Outgoing.State.FAILED):
            try:
                outgoing_retry(outgoing=outgoing, by=request.user)
            except DomainError as error:
                self.message_user(request, f"{outgoing}: {error.message}", messages.ERROR)
            else:
                resent += 1
        self.message_user(request, _("Đã đặt gửi lại %(count)s thông điệp.") % {"count": resent}, messages.SUCCESS)


@admin.register(StatusLog)
class StatusLogAdmin(RecordAdmin, AgencyScopedAdmin):
    list_display = ["at", "agency", "direction", "party_id", "code", "description"]
    list_filter = ["direction", "code", "agency"]
    list_select_related = ["agency"]
    search_fields = ["party_id", "description"]
    show_full_result_count = False


class InstallationRecordAdmin(RecordAdmin, MissingIsNotFound, admin.ModelAdmin):
    """Rows of the whole installation, not of one agency: its administrators only."""

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and can_keep_installation_settings(request.user)

    def has_module_permission(self, request):
        return super().has_module_permission(request) and can_keep_installation_settings(request.user)


@admin.register(Mailbox)
class MailboxAdmin(InstallationRecordAdmin):
    list_display = ["created_at", "kind", "sender_id", "to_id", "acknowledged_at"]
    list_filter = ["kind"]
    search_fields = ["sender_id", "to_id"]
    exclude = ["data"]
    show_full_result_count = False


@admin.register(Poll)
class PollAdmin(InstallationRecordAdmin):
    list_display = ["transport", "polled_at", "succeeded_at", "received", "error"]
