"""Who may send and receive documents over the exchange."""

from directives.models import Document
from directives.permissions import can_register_incoming
from units.models import Agency, User


def can_export(user: User, document: Document) -> bool:
    """The clerks of the issuing agency send its documents (they issue them)."""
    return user.is_authenticated and document.agency_id == user.agency_id and user.has_perm("directives.issue_document")


def can_receive(user: User, agency: Agency) -> bool:
    """The clerks of the receiving agency register what arrives (they keep the incoming register)."""
    return user.is_authenticated and user.agency_id == agency.pk and can_register_incoming(user)
