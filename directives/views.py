from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from directives import permissions, selectors


@login_required
def desk(request):
    """The documents start page: the clerk's desk and everyone's way into documents."""
    return render(request, "directives/desk.html")


@login_required
def detail(request, pk):
    document = selectors.document_detail(document=permissions.document_get_for(request.user, pk))
    return render(request, "directives/detail.html", {"document": document})


outgoing = incoming = incoming_register = drafts = waiting = inbox = search = create = desk
edit = revisions = route = detail


@login_required
def act(request, pk, action):
    return detail(request, pk)


@login_required
def attachment(request, pk, attachment_pk):
    return detail(request, pk)
