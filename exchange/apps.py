from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = _("Liên thông văn bản")

    def seed_demo(self) -> None:
        """Called by ``manage.py seed_demo`` after the documents: the peer department, arrivals, a sent notice."""
        from exchange.demo import seed_exchange

        seed_exchange()

    def ready(self) -> None:
        from exchange import checks  # noqa: F401 - registers the system checks
        from exchange.outbox import EXCHANGE
        from ops.background import work_kind_register

        work_kind_register(EXCHANGE)  # the messages to send are background work kept as rows
        _receivers_connect()


def _receivers_connect() -> None:
    """Issuing, the official PDF, routing and task progress reach the exchange (exchange/receivers.py)."""
    from django.db.models.signals import post_save

    from directives.hooks import issued_pdf_ready
    from directives.models import Event
    from exchange import receivers
    from tasks.models import TaskEvent

    post_save.connect(receivers.event_saved, sender=Event, dispatch_uid="exchange_event_saved")
    issued_pdf_ready.connect(receivers.issued_pdf_ready, dispatch_uid="exchange_issued_pdf_ready")
    post_save.connect(receivers.task_event_saved, sender=TaskEvent, dispatch_uid="exchange_task_event_saved")
