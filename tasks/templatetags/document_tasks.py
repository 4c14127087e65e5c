"""The tasks part of a document's page.

The document page (templates/directives/detail.html) shows the tasks given from the document and
the button to give more. ``directives`` sits below ``tasks`` and does not import it; the page's
template composes both apps by loading these tags (docs/architecture.md, "Layers").
"""

from django import template

from tasks import permissions
from tasks.selectors import visible_tasks

register = template.Library()


@register.simple_tag(takes_context=True)
def tasks_of_document(context, document) -> list:
    """The tasks given from ``document``, as far as the person may see them (one query)."""
    return list(visible_tasks(user=context["request"].user).filter(document=document))


@register.simple_tag(takes_context=True)
def can_give_tasks(context, document) -> bool:
    return permissions.can_give_tasks_from(context["request"].user, document)
