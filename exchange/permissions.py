"""Who may send and receive documents over the exchange."""

from directives.models import Document
from directives.permissions import can_register_incoming
from exchange.models import Outgoing, Received
from units.models import Agency, User
from units.permissions import is_installation_administrator
from units.roles import Role


def can_export(user: User, document: Document) -> bool:
    """The clerks of the issuing agency send its documents (they issue them)."""
    return user.is_authenticated and document.agency_id == user.agency_id and user.has_perm("directives.issue_document")


def can_resend(user: User, outgoing: Outgoing) -> bool:
    """Send a failed message again: the sending agency's clerks, and its administrators."""
    if not user.is_authenticated:
        return False
    if outgoing.agency_id == user.agency_id and user.has_perm("directives.issue_document"):
        return True
    if is_installation_administrator(user):
        return True
    return Role.ADMINISTRATOR in user.roles and outgoing.agency_id == user.agency_id


def can_receive(user: User, agency: Agency | None) -> bool:
    """The clerks of the receiving agency register what arrives (they keep the incoming register)."""
    return agency is not None and user.is_authenticated and user.agency_id == agency.pk and can_register_incoming(user)


def can_decide(user: User, received: Received) -> bool:
    """Accept (03) or refuse (02) an arrival: its agency's clerks, while it waits."""
    return received.state == Received.State.WAITING and can_receive(user, received.agency)


def can_see_arrival(user: User, received: Received) -> bool:
    """An arrival (waiting, refused or accepted) is seen by its agency's clerks; others get 404."""
    return can_receive(user, received.agency)


def can_recall(user: User, document: Document) -> bool:
    """Ask recipients to give a sent document back (13): the clerks of the issuing agency."""
    return can_export(user, document)


def can_answer_recall(user: User, received: Received) -> bool:
    """Agree (15) or refuse (16) a recall request: the receiving agency's clerks, while it is asked."""
    return received.recall == Received.Recall.ASKED and can_receive(user, received.agency)


def arrivals_visible_to(user: User):
    """The arrivals ``user`` may see: their agency's, when they keep its incoming register."""
    if not (user.is_authenticated and can_register_incoming(user)):
        return Received.objects.none()
    return Received.objects.filter(agency_id=user.agency_id)


def arrival_get_for(user: User, pk: int) -> Received:
    """The arrival with this pk if ``user`` may see it; 404 otherwise (no hint it exists)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(arrivals_visible_to(user).select_related("agency", "document"), pk=pk)
