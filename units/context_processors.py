from units.models import Notification
from units.roles import Role


def portal(request) -> dict:
    """What the page header needs: the person's roles for the menu and the unread notice count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # One indexed COUNT per page (units_notification_inbox); lazy so pages that skip the header pay nothing.
    return {
        "Role": Role,
        "user_roles": user.roles,
        "unread_notifications": lambda: Notification.objects.filter(user=user, read_at=None).count(),
    }
