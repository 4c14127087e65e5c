from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext

from directives.models import Confidentiality, Document, Urgency

register = template.Library()

STATE_CSS = {
    "draft": "text-bg-secondary",
    "review": "text-bg-info",
    "signing": "text-bg-warning",
    "returned": "text-bg-danger",
    "approved": "text-bg-primary",
    "issued": "text-bg-success",
    "registered": "text-bg-warning",
    "routed": "text-bg-success",
}


@register.filter
def state_css(state: str) -> str:
    """The badge colour of a document state: what waits on someone is amber, what is done green."""
    return STATE_CSS.get(state, "text-bg-light")


@register.filter
def tab_title(document) -> str:
    """What a document's browser tab says: its number and symbol once it has one (issued, or
    registered incoming), else its subject; a draft's symbol («/SKHCN-VP») names nothing."""
    if document.symbol and (document.number or document.direction == "incoming"):
        return document.symbol
    subject = " ".join((document.subject or "").split())
    return Truncator(subject).chars(80) if subject else gettext("Dự thảo")


def _day(value) -> str:
    """``value|date:"d/m/Y"``: a date as it is, a datetime in the current time zone."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


@register.simple_tag
def document_rows(documents, show_inbox: bool = False) -> list[dict]:
    """The rows of a document list (``directives/_rows.html``), each value worked out once here.

    The template used to ask each row for its labels, link and holder through lookups, filters,
    translations and an include; at 50 rows that was most of the page's time (issue #19). The
    labels are translated once per list, not once per row; what shows is the same.
    """
    states = {value: str(label) for value, label in Document.State.choices}
    urgencies = {value: str(label) for value, label in Urgency.choices}
    secrecy = {value: str(label) for value, label in Confidentiality.choices}
    approved_holder = gettext("Văn thư (chờ phát hành)")
    rows = []
    for d in documents:
        incoming = d.direction == Document.Direction.INCOMING
        day = _day(d.received_on if incoming else d.issued_on or d.updated_at)
        row = {
            "pk": d.pk,
            "url": reverse("directives:detail", args=[d.pk]),
            "symbol": d.symbol if d.number or incoming else None,
            "day": day,
            "type": d.doc_type.name,
            "subject": d.subject,
            "urgency": urgencies.get(d.urgency, d.urgency) if d.urgency else "",
            "confidentiality": secrecy.get(d.confidentiality, d.confidentiality) if d.confidentiality else "",
            "unread": show_inbox and not d.is_read,
            "source": (d.sender.name if d.sender_id else "")
            if incoming
            else (d.drafting_unit.name if d.drafting_unit_id else ""),
            "state_css": state_css(d.state),
            "state": states.get(d.state, d.state),
            "holder": None,
        }
        if d.direction == Document.Direction.OUTGOING and d.state != Document.State.ISSUED:
            if d.pending_with_id:
                holder = d.pending_with.get_full_name()
            elif d.state == Document.State.APPROVED:
                holder = approved_holder
            else:
                holder = d.author.get_full_name()
            since = d.pending_since or d.created_at
            row["holder"] = {
                "name": holder,
                "acting_for": getattr(d, "acting_for_name", ""),
                "since": timezone.localtime(since).strftime("%H:%M %d/%m/%Y") if since else "",
            }
        rows.append(row)
    return rows
