from django.utils import timezone

from ops.background import queue_state


def background_delay(request) -> dict:
    """``background_late``: whether signed-in people should be told e-mails and PDFs are delayed.

    Lazy, and at most one primary-key read per process every 30 seconds (``queue_state``).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"background_late": lambda: queue_state().late(timezone.now())}
