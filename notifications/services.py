"""Notices to people: the in-app list and every channel, for events and reminders alike.

``notification_send`` writes the notice (the in-app list) and one delivery row per
channel in the caller's transaction, then, after commit, queues the deliveries in jobs of up
to ``CHUNK`` (a reminder sweep of 100,000 notices queues 500 messages, not 100,000).
Guarantees: the in-app notice exists exactly once, exactly when the action that caused it
committed. E-mail and other channels are at-least-once: a delivery is claimed by a
conditional update before the channel is called and marked sent after; a worker that dies
between the two leaves the claim stale, and the recovery sweep sends it again (a rare
duplicate rather than a lost notice). Failures are retried with back-off, and after the
last try the delivery shows as failed without holding up any other.

The delivery rows are the jobs (ops.background): publishing after commit only wakes a worker
and may fail without failing the action; a transient failure puts the delivery back to
pending with a later ``due_at`` (back-off), and the recovery job re-queues what is due.
"""

from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.text import shorten
from notifications.channels import channels
from notifications.jobs import deliveries_enqueue
from notifications.models import DigestSubscription, Notification, NotificationDelivery, NotificationMute
from units.models import User

KINDS = {
    "reminder_before": _("Nhắc việc trước hạn"),
    "reminder_due_today": _("Nhắc việc đến hạn hôm nay"),
    "reminder_overdue": _("Nhắc việc quá hạn"),
    "reminder_overdue_supervisor": _("Báo lãnh đạo nhiệm vụ quá hạn"),
    "reminder_periodic_report": _("Nhắc nộp báo cáo định kỳ"),
    "reminder_returned": _("Nhắc nhiệm vụ bị trả lại chưa xử lý"),
    "weekly_digest": _("Tổng hợp hằng tuần"),
    "daily_digest": _("Bản tin việc hằng ngày"),
    "document_review": _("Dự thảo chờ tôi duyệt"),
    "document_signature": _("Văn bản chờ tôi ký"),
    "document_returned": _("Dự thảo của tôi bị trả lại"),
    "document_approved": _("Văn bản đã ký chờ phát hành"),
    "document_received": _("Văn bản đến đơn vị tôi"),
    "incoming_routing": _("Văn bản đến chờ phân công"),
    "task_received": _("Đơn vị được giao nhiệm vụ"),
    "task_assigned": _("Tôi được phân công nhiệm vụ"),
    "task_submitted": _("Báo cáo chờ tôi nghiệm thu"),
    "task_accepted": _("Nhiệm vụ được nghiệm thu"),
    "task_returned": _("Nhiệm vụ bị trả lại"),
    "extension_asked": _("Đề nghị gia hạn gửi tôi"),
    "extension_answered": _("Trả lời đề nghị gia hạn"),
}

# The detail of a delivery not made because the person muted this kind of notice on this channel.
_MUTED = _("Cán bộ đã tắt loại thông báo này")


def _fit(message: str) -> str:
    """The message as written when it fits its column, else cut between words with "…"."""
    return message if len(message) <= 500 else shorten(message, 500)


def notification_send(
    *, users: Iterable[User], kind: str, message: str, url: str = "", body: str = "", body_html: str = ""
) -> list[Notification]:
    """Put a notice in each person's list and queue it on every channel they have not muted.

    ``body`` is plain text (the list, the e-mail's text part); ``body_html``, already escaped
    HTML rendered from a template, is the e-mail's HTML detail (``body`` when empty).
    """
    people = {u.pk: u for u in users if u is not None}
    return notifications_send(
        notices=[
            Notification(user=u, kind=kind, message=_fit(message), url=url, body=body, body_html=body_html)
            for u in people.values()
        ]
    )


def notifications_send(*, notices: list[Notification]) -> list[Notification]:
    """Write unsaved notices, each with its own person, kind and text, and queue them on every channel.

    The set-wise form of ``notification_send`` (one notice per row, a fixed number of queries
    whatever their number), for callers that write many different notices in one transaction,
    like the reminder sweep.
    """
    if not notices:
        return []
    for notice in notices:
        notice.message = _fit(notice.message)
    pending = (_write_set_wise if connection.vendor == "postgresql" else _write)(notices)
    if pending:
        transaction.on_commit(lambda: deliveries_enqueue(pending))  # never raises: the rows are the jobs
    return notices


def _write(notices: list[Notification]) -> list[int]:
    """Save the notices and one delivery per channel (skipped where muted); return the pending deliveries' ids."""
    Notification.objects.bulk_create(notices)
    muted = set(
        NotificationMute.objects.filter(
            user_id__in={n.user_id for n in notices}, kind__in={n.kind for n in notices}
        ).values_list("user_id", "kind", "channel")
    )
    agencies = _agencies(notices)
    deliveries = []
    for notice in notices:
        agency_id = agencies[notice.user_id]
        for name in channels():
            if (notice.user_id, notice.kind, name) in muted:
                deliveries.append(NotificationDelivery(
                    notification=notice, agency_id=agency_id, channel=name, state=NotificationDelivery.State.SKIPPED,
                    detail=str(_MUTED), finished_at=timezone.now(),
                ))  # fmt: skip
            else:
                deliveries.append(NotificationDelivery(notification=notice, agency_id=agency_id, channel=name))
    created = NotificationDelivery.objects.bulk_create(deliveries)
    return [d.pk for d in created if d.state == NotificationDelivery.State.PENDING]


def _agencies(notices: list[Notification]) -> dict[int, int | None]:
    """Each notice's person's agency id, by person: from the people the notices hold, else one query."""
    agencies = {n.user_id: n.user.agency_id for n in notices if Notification.user.is_cached(n)}
    missing = {n.user_id for n in notices} - agencies.keys()
    if missing:
        agencies.update(User.objects.filter(pk__in=missing).values_list("pk", "agency_id"))
    return agencies


def _write_set_wise(notices: list[Notification]) -> list[int]:
    """``_write`` on PostgreSQL in two statements, the rows passed as arrays (``unnest``).

    The reminder sweep writes notices by the hundred thousand, and bulk_create's work per
    object was most of its time (docs/performance.md). The notices' ids come back in the
    order given (``WITH ORDINALITY … ORDER BY``, as bulk_create relies on for its VALUES);
    the deliveries join the mutes and the person's agency in SQL.
    """
    now = timezone.now()
    State = NotificationDelivery.State
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Notification._meta.db_table} (user_id, kind, message, url, body, body_html, created_at)"  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
            " SELECT t.u, t.k, t.m, t.l, t.b, t.h, %s"
            " FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])"
            " WITH ORDINALITY AS t(u, k, m, l, b, h, i) ORDER BY t.i RETURNING id",
            [
                now,
                *(
                    [getattr(n, name) for n in notices]
                    for name in ("user_id", "kind", "message", "url", "body", "body_html")
                ),
            ],
        )
        for notice, (pk,) in zip(notices, cursor.fetchall(), strict=True):
            notice.pk, notice.created_at = pk, now
            notice._state.adding, notice._state.db = False, connection.alias
        muted = "m.id IS NOT NULL"
        cursor.execute(
            f"INSERT INTO {NotificationDelivery._meta.db_table}"  # nosec B608  # names come from model _meta and ORM-compiled SQL; every value is a bound parameter
            " (notification_id, agency_id, channel, state, attempts, detail, finished_at, due_at)"
            f" SELECT n.id, u.agency_id, c.name, CASE WHEN {muted} THEN %s ELSE %s END, 0,"
            f" CASE WHEN {muted} THEN %s ELSE '' END, CASE WHEN {muted} THEN %s::timestamptz END, %s"
            f" FROM {Notification._meta.db_table} n JOIN {User._meta.db_table} u ON u.id = n.user_id"
            " CROSS JOIN unnest(%s::text[]) AS c(name)"
            f" LEFT JOIN {NotificationMute._meta.db_table} m"
            " ON m.user_id = n.user_id AND m.kind = n.kind AND m.channel = c.name"
            " WHERE n.id = ANY(%s) RETURNING id, state",
            [State.SKIPPED, State.PENDING, str(_MUTED), now, now, list(channels()), [n.pk for n in notices]],
        )
        return sorted(pk for pk, state in cursor.fetchall() if state == State.PENDING)


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the person's notices read (all of them when ``ids`` is None); returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at=None)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def mutes_set(*, user: User, muted_kinds: Iterable[str], channel: str = "email") -> None:
    """Make ``muted_kinds`` exactly the kinds ``user`` receives in-app only."""
    kinds = set(muted_kinds) & set(KINDS)
    with transaction.atomic():
        NotificationMute.objects.filter(user=user, channel=channel).exclude(kind__in=kinds).delete()
        NotificationMute.objects.bulk_create(
            [NotificationMute(user=user, kind=k, channel=channel) for k in kinds], ignore_conflicts=True
        )


def digest_subscription_set(*, user: User, daily: bool) -> None:
    """Record the person's own choice about the daily digest (it then overrides the default)."""
    DigestSubscription.objects.update_or_create(user=user, defaults={"daily": daily})
