from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Thông báo")

    def ready(self) -> None:
        from notifications.jobs import DELIVERIES
        from ops.background import work_kind_register

        work_kind_register(DELIVERIES)  # the deliveries are background work kept as rows
