"""Every write to agencies, units and people goes through these functions."""

import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.errors import NotAllowed
from units.authentication import password_fingerprint, token_digest
from units.models import Agency, ApiToken, Delegation, Membership, Supervision, Unit, User
from units.permissions import can_delegate
from units.roles import Role


def api_token_issue(*, user: User) -> str:
    """Create a bearer token for ``user`` and return it; only its digest is kept, so it is shown once.

    The token lives ``API_TOKEN_LIFETIME_DAYS`` days and dies earlier with a password change.
    The person's dead tokens (expired, or from before a password change) are deleted in the
    same transaction, so the table does not fill with rows nobody can use.
    """
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    fingerprint = password_fingerprint(user)
    with transaction.atomic():
        ApiToken.objects.filter(Q(expires_at__lte=now) | ~Q(password_fingerprint=fingerprint), user=user).delete()
        ApiToken.objects.create(
            user=user,
            digest=token_digest(token),
            prefix=token[:8],
            expires_at=now + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS),
            password_fingerprint=fingerprint,
        )
    return token


def api_token_revoke(*, token: ApiToken, by: User) -> None:
    """Delete ``token``: it answers 401 from the next request. Only its owner may revoke it."""
    if token.user_id != by.pk:
        raise NotAllowed(_("Chỉ người sở hữu mới thu hồi được mã truy cập này."))
    ApiToken.objects.filter(pk=token.pk).delete()


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
    """Give ``user`` a new private calendar-feed secret and return it; any earlier feed URL stops working.

    Only the secret's digest is stored, so the returned value is the one chance to show the URL.
    """
    token = secrets.token_urlsafe(32)
    digest = token_digest(token)
    User.objects.filter(pk=user.pk).update(calendar_token_digest=digest)
    user.calendar_token_digest = digest
    return token


def calendar_token_revoke(*, user: User) -> None:
    """Stop ``user``'s calendar feed: its URL answers 404 from now on."""
    User.objects.filter(pk=user.pk).update(calendar_token_digest="")  # nosec B106  # empty means "no calendar feed", not a password
    user.calendar_token_digest = ""  # nosec B105  # empty means "no calendar feed", not a password


@transaction.atomic
def delegation_create(*, by: User, principal: User, substitute: User, starts_on, ends_on, note: str = "") -> Delegation:
    """Name ``substitute`` to act for ``principal`` from ``starts_on`` to ``ends_on`` (both included).

    Refused (nothing saved) for someone of another agency, oneself, an end before the start, or a
    period overlapping another of the principal's; only the principal or an administrator of
    their agency may do it."""
    if not can_delegate(by, principal):
        raise NotAllowed(_("Chỉ người ủy quyền hoặc quản trị của cơ quan được đặt người xử lý thay."))
    delegation = Delegation(
        principal=principal, substitute=substitute, starts_on=starts_on, ends_on=ends_on, note=note.strip(),
        created_by=by,
    )  # fmt: skip
    delegation.full_clean()
    delegation.save()
    return delegation
