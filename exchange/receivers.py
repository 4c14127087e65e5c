"""What the layers below tell the exchange (docs/exchange.md, "The flow").

``exchange`` sits above ``directives`` and ``tasks``, which import nothing from it: a document
issued to organisations with an identity must be sent, and the progress of a document that came
by the exchange must be told to its sender. Both apps record every step as a row (``Event``,
``TaskEvent``); these receivers, connected in ``ExchangeConfig.ready()``, read those rows as they
are written, inside the same transaction, and call the exchange's services. A receiver's failure
rolls the step back, as ``directives.hooks`` does for routing.
"""

from directives.models import Document, Event
from tasks.models import TaskEvent


def event_saved(sender, *, instance: Event, created: bool, **kwargs) -> None:
    """An issued outgoing document is queued for its recipients; routing a received one is a 04."""
    from exchange import services

    if not created or kwargs.get("raw"):
        return
    if instance.action == Event.Action.ISSUED:
        if instance.document.direction == Document.Direction.OUTGOING:
            services.document_sent(instance.document)
    elif instance.action == Event.Action.ROUTED:
        services.progress_tell(document=instance.document, code=services.models.ASSIGNED, event=instance)


def task_event_saved(sender, *, instance: TaskEvent, created: bool, **kwargs) -> None:
    """Work started on a received document's task is a 05; its last task accepted is a 06."""
    from exchange import services

    if not created or kwargs.get("raw") or instance.task.document_id is None:
        return
    if instance.action in (TaskEvent.Action.ASSIGNED, TaskEvent.Action.REPORTED):
        services.progress_tell(document=instance.task.document, code=services.models.IN_PROGRESS, event=instance)
    elif instance.action == TaskEvent.Action.ACCEPTED:
        services.progress_tell(document=instance.task.document, code=services.models.DONE, event=instance)
