from notifications.models import Notification


def unread(request) -> dict:
    """The bell's count of unread notices in the page header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # One indexed COUNT per page (units_notification_inbox); lazy so pages that skip the header pay nothing.
    return {"unread_notifications": lambda: Notification.objects.filter(user=user, read_at=None).count()}
