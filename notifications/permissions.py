"""Who may read which notices and deliveries (a person's own notices: the views filter by ``user``)."""

from django.db.models import QuerySet

from notifications.models import NotificationDelivery
from units.models import User
from units.permissions import is_installation_administrator


def can_view_delivery_log(user: User) -> bool:
    """May read the send log: the administrator role carries the permission (roles.py), a superuser has all."""
    return user.is_active and user.has_perm("notifications.view_notificationdelivery")


def deliveries_visible_to(user: User) -> QuerySet[NotificationDelivery]:
    """The send log rows a person may read: those to their own agency's people (the agency the person was
    in when the notice was written), every agency's for an installation administrator, none for anyone
    else. Person and notice come with each row (one query per page)."""
    deliveries = NotificationDelivery.objects.select_related("notification__user")
    if not can_view_delivery_log(user):
        return deliveries.none()
    if is_installation_administrator(user):
        return deliveries
    return deliveries.filter(agency_id=user.agency_id)  # the delivery's own column: index units_delivery_agency
