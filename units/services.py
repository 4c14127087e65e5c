"""Every write to agencies, units and people goes through these functions."""

import secrets
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction

from units.authentication import token_digest
from units.models import Agency, ApiToken, Membership, Supervision, Unit, User
from units.roles import Role


def api_token_issue(*, user: User) -> str:
    """Create a bearer token for ``user`` and return it; only its digest is kept, so it is shown once."""
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, digest=token_digest(token), prefix=token[:8])
    return token


@transaction.atomic
def person_save(
    *,
    username: str,
    full_name: str,
    agency: Agency,
    email: str = "",
    phone: str = "",
    title: str = "",
    roles: Iterable[str] = (),
    password: str | None = None,
) -> User:
    """Create or update the person with this user name and set their roles exactly to ``roles``.

    A password is set only when given; an imported person without one cannot sign
    in until an administrator sets it or they reset it by e-mail.
    """
    user = User.objects.filter(username=username).first() or User(username=username)
    user.full_name, user.email, user.phone, user.title, user.agency = full_name, email, phone, title, agency
    if password:
        user.set_password(password)
    elif not user.pk:
        user.set_unusable_password()
    roles = set(roles)
    unknown = roles - set(Role.values)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    if Role.ADMINISTRATOR in roles:
        user.is_staff = True  # the administrator works in the Django admin
    user.full_clean(exclude=["password"], validate_unique=False)
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    user.__dict__.pop("roles", None)
    return user


@transaction.atomic
def unit_save(
    *,
    agency: Agency,
    abbreviation: str,
    name: str,
    kind: str,
    parent: Unit | None,
) -> Unit:
    """Create or update the unit with this abbreviation in ``agency``; the pair is its natural key.

    The unit is validated as a whole (parent in the same agency, no cycle through
    its ancestors) before it is saved; an existing unit keeps its ``is_active`` state.
    """
    unit = Unit.objects.filter(agency=agency, abbreviation=abbreviation).first()
    if unit is None:
        unit = Unit(agency=agency, abbreviation=abbreviation, name=name, kind=kind, parent=parent)
        unit.full_clean()
        unit.save()
        return unit
    unit.name, unit.kind, unit.parent = name, kind, parent
    unit.full_clean()
    unit.save(update_fields=["name", "kind", "parent"])
    return unit


def membership_save(*, user: User, unit: Unit, position: str, is_head: bool = False) -> Membership:
    """Place ``user`` in ``unit`` with this position, or update their position there."""
    membership, _created = Membership.objects.update_or_create(
        user=user, unit=unit, defaults={"position": position, "is_head": is_head}
    )
    return membership


def supervision_set(*, director: User, units: Iterable[Unit]) -> None:
    """Make ``units`` exactly the units ``director`` supervises."""
    units = list(units)
    with transaction.atomic():
        Supervision.objects.filter(director=director).exclude(unit__in=units).delete()
        for unit in units:
            Supervision.objects.get_or_create(director=director, unit=unit)


def membership_set(*, user: User, unit: Unit | None, position: str = "", is_head: bool = False) -> None:
    """Make ``unit`` the only unit ``user`` works in, with this position; ``None`` removes them from every unit.

    Used where a source (an import file) states the whole truth about a person's
    place, so that applying it twice leaves the same rows as applying it once.
    """
    with transaction.atomic():
        Membership.objects.filter(user=user).exclude(unit=unit).delete()
        if unit is not None:
            membership_save(user=user, unit=unit, position=position, is_head=is_head)


def calendar_token_issue(*, user: User) -> str:
    """Give ``user`` a new private calendar-feed secret; any earlier feed URL stops working."""
    token = secrets.token_urlsafe(32)
    User.objects.filter(pk=user.pk).update(calendar_token=token)
    user.calendar_token = token
    return token


def calendar_token_revoke(*, user: User) -> None:
    """Stop ``user``'s calendar feed: its URL answers 404 from now on."""
    User.objects.filter(pk=user.pk).update(calendar_token="")  # nosec B106  # an empty token means "no calendar feed", not a password
    user.calendar_token = ""  # nosec B105  # an empty token means "no calendar feed", not a password
