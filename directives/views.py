from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def desk(request):
    """The documents start page: the clerk's desk and everyone's way into documents."""
    return render(request, "directives/desk.html")
