from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _holidays_after_migrate(sender, using="default", **kwargs) -> None:
    from lib.workdays import local_today
    from tasks.services import holidays_preload

    # Like Django's permissions: a fresh installation knows this year's and next year's
    # public holidays at once. Years already loaded are left as the administrator keeps them.
    year = local_today().year
    holidays_preload(years=[year, year + 1])
    from tasks.reminders import reminder_rules_ensure

    reminder_rules_ensure()


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Nhiệm vụ")

    def ready(self) -> None:
        post_migrate.connect(_holidays_after_migrate, sender=self, dispatch_uid="tasks_holidays")
