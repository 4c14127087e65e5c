from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = _("Liên thông văn bản")

    def ready(self) -> None:
        from exchange import checks  # noqa: F401 - registers the system checks
        from exchange.outbox import EXCHANGE
        from ops.background import work_kind_register

        work_kind_register(EXCHANGE)  # the messages to send are background work kept as rows
