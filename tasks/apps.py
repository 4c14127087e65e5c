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

    def seed_demo(self) -> None:
        """Called by ``manage.py seed_demo``, app by app in INSTALLED_APPS order."""
        from tasks.demo import seed_tasks

        seed_tasks()

    def ready(self) -> None:
        from directives.hooks import incoming_routed

        post_migrate.connect(_holidays_after_migrate, sender=self, dispatch_uid="tasks_holidays")
        # Routing an incoming document creates the lead unit's task (the one hook directives offers).
        incoming_routed.connect(_task_from_routing, dispatch_uid="tasks_from_routing")
        _audit_register()


def _task_from_routing(sender, *, routing, by, cooperating_units, note_task=True, **kwargs) -> None:
    from tasks.services import task_from_routing

    if not note_task:  # the router gives the document's points as tasks instead (intake)
        return
    task_from_routing(routing=routing, by=by, cooperating_units=cooperating_units)


def _task_from_confidential_document(task) -> bool:
    # One query per recorded change of a task made from a document, unless the document is loaded.
    return task.document_id is not None and task.document.is_confidential


def _audit_register() -> None:
    """Every change to a task, a reminder rule and a day of the calendar goes to the audit trail.
    A task made from a confidential document is named neutrally and its texts are masked, since
    they may repeat the document's subject. The sweep's bookkeeping (``swept_on``) is left out."""
    from audit import registry
    from audit.registry import CONFIDENTIAL_TASK_REPR
    from tasks.models import Holiday, ReminderRule, Task

    registry.register(
        Task,
        exclude=["updated_at"],
        confidential=_task_from_confidential_document,
        confidential_fields=["title", "description", "point", "result"],
        confidential_repr=CONFIDENTIAL_TASK_REPR,
    )
    registry.register(ReminderRule, exclude=["swept_on", "swept_from"], agency=lambda _rule: None)
    registry.register(Holiday, agency=lambda _day: None)
