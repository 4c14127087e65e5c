"""Who may see and do what with readings of received documents."""

from django.http import Http404

from directives.permissions import can_register_incoming
from intake.models import Reading
from units.models import User


def can_read(user: User) -> bool:
    """Reading a received document is the first step of registering it: the clerks' right."""
    return can_register_incoming(user)


def readings_visible_to(user: User):
    """The readings ``user`` may see: their agency's, for its registering clerks; none for anyone else."""
    if not can_register_incoming(user):
        return Reading.objects.none()
    return Reading.objects.filter(agency_id=user.agency_id)


def can_see_reading(user: User, reading: Reading) -> bool:
    return can_register_incoming(user) and reading.agency_id == user.agency_id


def reading_get_for(user: User, pk) -> Reading:
    """The reading ``pk`` if ``user`` may see it; 404 otherwise (it does not exist, or they may not)."""
    reading = readings_visible_to(user).filter(pk=pk).first()
    if reading is None:
        raise Http404
    return reading
