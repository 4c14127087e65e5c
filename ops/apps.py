from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """What keeps the portal running: background work, heartbeats, health, idempotent requests.

    The lowest app: it imports nothing from units, directives or tasks. They register their
    kinds of background work with ``ops.background.work_kind_register`` in their ``ready()``.
    """

    name = "ops"
    verbose_name = _("Vận hành")
