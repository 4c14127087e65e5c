"""Reads about notices: the send log and its counts."""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from notifications.models import DigestSubscription, NotificationDelivery
from notifications.permissions import deliveries_visible_to
from units.models import User
from units.roles import Role


@dataclass(frozen=True)
class DeliveryFilters:
    """The send log's filters; empty values filter nothing."""

    person: str = ""  # a user name, or part of a full name
    task: int | None = None  # a task id: its notices all link to the task's page
    state: str = ""
    kind: str = ""


def _deliveries_filtered(user: User, filters: DeliveryFilters, *, with_state: bool = True) -> QuerySet:
    deliveries = deliveries_visible_to(user)
    if filters.person:
        deliveries = deliveries.filter(
            Q(notification__user__username__iexact=filters.person)
            | Q(notification__user__full_name__icontains=filters.person)
        )
    if filters.task is not None:
        # An exact match on the indexed url (units_notification_url), not a LIKE.
        deliveries = deliveries.filter(notification__url=reverse("tasks:detail", args=[filters.task]))
    if filters.kind:
        deliveries = deliveries.filter(notification__kind=filters.kind)
    if with_state and filters.state:
        deliveries = deliveries.filter(state=filters.state)
    return deliveries


def delivery_log(*, user: User, filters: DeliveryFilters) -> QuerySet[NotificationDelivery]:
    """The deliveries ``user`` may read that match ``filters``, newest first, person and notice joined in."""
    return _deliveries_filtered(user, filters).order_by("-id")


# The send log counts each outcome up to this many rows; beyond it the page says "hơn 10.000".
COUNT_CAP = 10_000


def delivery_counts(*, user: User, filters: DeliveryFilters, cap: int = COUNT_CAP) -> dict[str, int]:
    """How many matching deliveries ended in each state, whatever the state filter says, each counted
    up to ``cap + 1`` (``cap + 1`` reads "more than ``cap``"). One query, and the database stops
    counting at the cap (an agency's rows by index units_delivery_agency_state), so its cost does
    not grow with the log.
    """
    deliveries = _deliveries_filtered(user, filters, with_state=False).order_by()
    states = NotificationDelivery.State.values
    parts, params = [], []
    try:
        for state in states:
            sql, state_params = deliveries.filter(state=state).values("pk")[: cap + 1].query.sql_with_params()
            parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped)")  # nosec B608  # ORM-compiled SQL, values bound
            params.extend(state_params)
    except EmptyResultSet:  # deliveries_visible_to(...) is none() for this person
        return dict.fromkeys(states, 0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return dict(zip(states, cursor.fetchone(), strict=True))


def daily_digest_wanted(user: User) -> bool:
    """Whether the person gets the daily digest: their own choice, else on for staff only."""
    choice = DigestSubscription.objects.filter(user=user).values_list("daily", flat=True).first()
    return user.groups.filter(name=Role.STAFF).exists() if choice is None else choice


def daily_digest_recipients() -> QuerySet[User]:
    """Active people who get the daily digest: those who chose it, and staff who did not refuse it."""
    chose = DigestSubscription.objects.filter(user=OuterRef("pk"))
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(Exists(chose.filter(daily=True)))
            | (
                ~Q(Exists(chose))
                & Q(Exists(User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name=Role.STAFF)))
            )
        )  # fmt: skip
        .order_by("pk")
    )
