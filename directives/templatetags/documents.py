from django import template

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
