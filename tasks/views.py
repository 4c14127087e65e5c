from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from units.roles import Role


@login_required
def my_tasks(request):
    """The staff start page: the tasks I lead or support."""
    return render(request, "tasks/mine.html")


@login_required
def unit_tasks(request):
    """The unit head's start page: the tasks of the units I head."""
    heads = request.user.memberships.filter(is_head=True).select_related("unit")
    return render(request, "tasks/unit.html", {"headed": heads})


@login_required
def dashboard(request):
    """The director's start page."""
    if not request.user.has_role(Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.ADMINISTRATOR):
        raise PermissionDenied
    supervised = request.user.supervised_units.order_by("name")
    return render(request, "tasks/dashboard.html", {"supervised": supervised})


supervised = create = my_tasks


@login_required
def create_from_document(request, document_pk):
    return my_tasks(request)


@login_required
def detail(request, pk):
    return my_tasks(request)


@login_required
def act(request, pk, action):
    return my_tasks(request)


@login_required
def task_file(request, pk, file_pk):
    return my_tasks(request)
