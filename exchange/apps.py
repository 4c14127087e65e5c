from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = _("Liên thông văn bản")

    def seed_demo(self) -> None:
        """Called by ``manage.py seed_demo`` after the documents: arrivals and a sent notice."""
        from exchange.demo import seed_exchange

        seed_exchange()
