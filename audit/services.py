"""Every write to the audit trail: append one row, never change one."""

from django.db import models
from django.http import HttpRequest

from audit import registry
from audit.context import client_address, current_request, request_actor, request_channel
from audit.models import AuditRecord
from lib.text import shorten
from units.models import User

Action = AuditRecord.Action


def audit_write(
    *,
    action: str,
    object_type: str,
    object_id="",
    object_repr: str = "",
    changes: dict | None = None,
    agency_id: int | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
    detail: str = "",
) -> AuditRecord:
    """Append one record. The person, address and channel come from ``request`` (by default the
    request being served); ``actor`` names the person when the request does not know them yet (a
    sign-in). The agency is the object's, else the person's. Written in the caller's transaction,
    so a change that rolls back leaves no record either."""
    request = request if request is not None else current_request()
    actor = actor or request_actor(request)
    if agency_id is None and actor is not None:
        agency_id = actor.agency_id
    return AuditRecord.objects.create(
        action=action,
        actor=actor,
        actor_name=_person_name(actor),
        agency_id=agency_id,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_repr=shorten(object_repr, 200),
        changes=changes or {},
        address=client_address(request),
        channel=request_channel(request),
        detail=detail[:300],
    )


def _person_name(person: User | None) -> str:
    if person is None:
        return ""
    return f"{person.full_name or person.username} ({person.username})"[:150]


def audit_change(*, obj: models.Model, action: str, changes: dict) -> AuditRecord:
    """Append the record of a change to ``obj``, a registered model, described (and masked) by the registry."""
    described = registry.describe(obj)
    return audit_write(action=action, changes=registry.masked(obj, changes), **described)


def audit_bulk_update(*, model: type[models.Model], pks, changes: dict) -> None:
    """Record a ``QuerySet.update()`` that signals cannot see: one record per row, with the values
    the caller changed (``{field: [before, after]}``; the before may be None when not read)."""
    for obj in model._default_manager.filter(pk__in=list(pks)):
        audit_change(obj=obj, action=Action.UPDATE, changes=changes)


def audit_download(*, obj: models.Model, what: str, request: HttpRequest | None = None) -> AuditRecord:
    """Record that the person of ``request`` downloaded ``what`` (a neutral word, never a file name
    that could repeat a confidential subject) of ``obj``."""
    return audit_write(action=Action.DOWNLOAD, detail=what, request=request, **registry.describe(obj))


def audit_sign_in(*, request: HttpRequest | None, user: User) -> AuditRecord:
    return audit_write(
        action=Action.SIGN_IN,
        object_type=registry.type_name(User),
        object_id=user.pk,
        object_repr=user.username,
        actor=user,
        request=request,
    )


def audit_sign_in_failed(*, request: HttpRequest | None, username: str) -> AuditRecord:
    """Record a refused sign-in under the user name tried; the person's agency when the name exists."""
    person = User.objects.filter(username=username).only("pk", "agency_id").first() if username else None
    return audit_write(
        action=Action.SIGN_IN_FAILED,
        object_type=registry.type_name(User),
        object_id=person.pk if person else "",
        object_repr=username[:150],
        agency_id=person.agency_id if person else None,
        request=request,
    )
