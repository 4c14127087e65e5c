"""The exchange's parts of other apps' pages: the document page's «Liên thông» panels, the
waiting arrivals offered on the incoming register and the desk. ``directives`` sits below
``exchange`` and does not import it; its templates compose both by loading these tags."""

from django import template

from exchange import permissions as rights
from exchange import selectors
from exchange.models import Outgoing, Received

register = template.Library()

ARRIVAL_CSS = {
    Received.State.WAITING: "text-bg-warning",
    Received.State.ACCEPTED: "text-bg-success",
    Received.State.REFUSED: "text-bg-danger",
    Received.State.RECALLED: "text-bg-secondary",
}
# A recipient's last status: what is still on its way amber or blue, done green, a refusal red.
STATUS_CSS = {
    "01": "text-bg-info",
    "02": "text-bg-danger",
    "03": "text-bg-success",
    "04": "text-bg-primary",
    "05": "text-bg-primary",
    "06": "text-bg-success",
    "13": "text-bg-warning",
    "15": "text-bg-secondary",
    "16": "text-bg-danger",
}
SEND_CSS = {
    Outgoing.State.PENDING: "text-bg-warning",
    Outgoing.State.SENT: "text-bg-success",
    Outgoing.State.FAILED: "text-bg-danger",
}


@register.filter
def arrival_state_css(state: str) -> str:
    return ARRIVAL_CSS.get(state, "text-bg-light")


@register.filter
def status_css(code: str) -> str:
    return STATUS_CSS.get(code, "text-bg-light")


@register.filter
def send_css(state: str) -> str:
    return SEND_CSS.get(state, "text-bg-light")


@register.inclusion_tag("exchange/_document_panel.html", takes_context=True)
def exchange_panel(context, document) -> dict:
    """The document page's «Liên thông» part: for a document received over the exchange, where it
    came from and the recall to answer; for one sent over it, each recipient's progress. Nothing
    (no query beyond one) for any other document."""
    request = context["request"]
    user = request.user
    result = {"document": document, "request": request, "csrf_token": context.get("csrf_token")}
    if document.direction == "incoming":
        arrival = selectors.arrival_of_document(document)
        if arrival is not None:
            result.update(
                arrival=arrival,
                can_see_arrival=rights.can_see_arrival(user, arrival),
                can_answer_recall=rights.can_answer_recall(user, arrival),
                history=selectors.exchange_history(document),
            )
        return result
    packages = selectors.packages_of(document) if document.is_issued else []
    if not packages:
        return result  # one query for a document that never left over the exchange
    recipients = selectors.recipients_of(document, packages=packages)
    if any(r.package_id for r in recipients):
        can_export = rights.can_export(user, document)
        result.update(
            recipients=recipients,
            can_export=can_export,
            can_recall=rights.can_recall(user, document),
            recallable=[r for r in recipients if selectors.recipient_recallable(r)],
        )
    return result


@register.inclusion_tag("exchange/_waiting_offer.html", takes_context=True)
def arrivals_waiting_offer(context) -> dict:
    """«Có N văn bản liên thông chờ tiếp nhận» for the agency's clerks, when there are any."""
    user = context["request"].user
    return {"n": selectors.arrivals_waiting_count(user)}
