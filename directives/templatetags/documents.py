from django import template
from django.utils.text import Truncator
from django.utils.translation import gettext

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
