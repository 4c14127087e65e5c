from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from units.roles import start_page_for


@login_required
def home(request):
    """Send each person to the start page of their role."""
    return redirect(start_page_for(request.user))
