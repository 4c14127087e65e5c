"""Who may see and do what with agencies, units and people."""

from django.db.models import QuerySet
from django.http import Http404

from units.models import Agency, ApiToken, Unit, User
from units.roles import Role


def is_installation_administrator(user: User) -> bool:
    """A superuser, or an administrator attached to no agency: they look after every agency."""
    return user.is_superuser or (user.agency_id is None and Role.ADMINISTRATOR in user.roles)


def units_visible_to(user: User) -> QuerySet[Unit]:
    """Everyone sees the units of their own agency; an installation administrator sees all."""
    units = Unit.objects.select_related("agency", "parent")
    if is_installation_administrator(user):
        return units
    return units.filter(agency_id=user.agency_id)


def agencies_managed_by(user: User) -> QuerySet[Agency]:
    """An agency's administrator manages their own agency; an installation administrator manages all."""
    if is_installation_administrator(user):
        return Agency.objects.all()
    return Agency.objects.filter(pk=user.agency_id)


def can_import_people(user: User, agency: Agency | None = None) -> bool:
    """May import units and people from a file, into ``agency`` when one is given."""
    if not user.has_perm("units.import_people"):
        return False
    return agency is None or agencies_managed_by(user).filter(pk=agency.pk).exists()


def api_token_get_for(user: User, pk: int) -> ApiToken:
    """The person's own API token ``pk``; anyone else's, or none, is 404 (tokens are never shared)."""
    token = ApiToken.objects.filter(user=user, pk=pk).first() if user.is_authenticated else None
    if token is None:
        raise Http404
    return token


def units_managed_by(user: User) -> QuerySet[Unit]:
    """The units a person may set up in the admin: their own agency's, every agency's for an
    installation administrator, none for someone attached to no agency who is not one."""
    if is_installation_administrator(user):
        return Unit.objects.all()
    if user.agency_id is None:
        return Unit.objects.none()
    return Unit.objects.filter(agency_id=user.agency_id)


def people_managed_by(user: User) -> QuerySet[User]:
    """The people whose account a person may open in the admin (and so set a password or roles for).

    An agency's administrator reaches only their own agency's people; an installation administrator
    reaches everyone. Only a superuser reaches a superuser: setting one's password would hand over
    every right there is.
    """
    if is_installation_administrator(user):
        people = User.objects.all()
    elif user.agency_id is None:
        return User.objects.none()
    else:
        people = User.objects.filter(agency_id=user.agency_id)
    return people if user.is_superuser else people.filter(is_superuser=False)


def can_keep_installation_settings(user: User) -> bool:
    """May change what every agency shares (the holiday calendar, the reminder rules, document types):
    an installation administrator only. An agency's administrator may look but not change, since a
    change there moves other agencies' deadlines and reminders."""
    return user.is_active and is_installation_administrator(user)


def can_delegate(by: User, principal: User) -> bool:
    """Set a substitute for ``principal``: the person themself, or an administrator of their agency."""
    if not (by.is_active and principal.agency_id):
        return False
    if by.pk == principal.pk or is_installation_administrator(by):
        return True
    return Role.ADMINISTRATOR in by.roles and by.agency_id == principal.agency_id
