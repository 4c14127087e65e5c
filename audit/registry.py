"""Which models the trail records, and how: the values kept, hidden or masked, and the agency of a row.

Every save and delete of a registered model is recorded, whoever makes it (service, admin,
import, shell), through Django's model signals: this is wiring like Django's own permissions,
not domain flow. The values before a change are taken when the row is loaded (``post_init``,
no extra query) and compared after the save. ``QuerySet.update()`` and ``bulk_create()`` send no
signals: the services that use them on a registered model record the change themselves
(``audit.services.audit_bulk_update``), see docs/architecture.md.
"""

import datetime
import decimal
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.utils import timezone
from django.utils.translation import gettext

# What a hidden value (a password hash) or a masked one (a confidential subject) is stored as.
HIDDEN = "***"
# The neutral name of a confidential document in the trail, which people without a grant read.
CONFIDENTIAL_REPR = "Văn bản mật"
CONFIDENTIAL_TASK_REPR = "Nhiệm vụ từ văn bản mật"


@dataclass
class Registration:
    model: type[models.Model]
    exclude: set[str] = field(default_factory=set)
    hidden: set[str] = field(default_factory=set)
    agency: Callable | None = None
    # True when the row must not show ``confidential_fields`` (nor its name) in the trail.
    confidential: Callable | None = None
    confidential_fields: set[str] = field(default_factory=set)
    confidential_repr: str = CONFIDENTIAL_REPR


_registry: dict[type[models.Model], Registration] = {}


def type_name(model: type[models.Model]) -> str:
    return model._meta.label_lower


def register(
    model: type[models.Model],
    *,
    exclude=(),
    hidden=(),
    agency: Callable | None = None,
    confidential: Callable | None = None,
    confidential_fields=(),
    confidential_repr: str = CONFIDENTIAL_REPR,
) -> None:
    """Record every change to ``model``.

    ``exclude``: fields not worth a record (bookkeeping such as ``updated_at``); ``hidden``: fields
    whose change is recorded without the values; ``agency(obj)``: the agency whose trail the row
    belongs to (default ``obj.agency_id``); ``confidential(obj)``: True when the values of
    ``confidential_fields`` and the row's name must be replaced by placeholders.
    """
    _registry[model] = Registration(
        model=model,
        exclude=set(exclude),
        hidden=set(hidden),
        agency=agency,
        confidential=confidential,
        confidential_fields=set(confidential_fields),
        confidential_repr=confidential_repr,
    )
    uid = type_name(model)
    post_init.connect(_loaded, sender=model, weak=False, dispatch_uid=f"audit_init_{uid}")
    post_save.connect(_saved, sender=model, weak=False, dispatch_uid=f"audit_save_{uid}")
    post_delete.connect(_deleted, sender=model, weak=False, dispatch_uid=f"audit_delete_{uid}")
    for m2m in model._meta.many_to_many:
        through = m2m.remote_field.through
        if through._meta.auto_created:  # an explicit through model is registered on its own
            m2m_changed.connect(_m2m, sender=through, weak=False, dispatch_uid=f"audit_m2m_{uid}_{m2m.name}")


def registered_types() -> list[tuple[str, str]]:
    """(type name, Vietnamese name) of every registered model, for the trail's filter."""
    return sorted((type_name(m), str(m._meta.verbose_name)) for m in _registry)


def type_label(name: str) -> str:
    for model in _registry:
        if type_name(model) == name:
            return str(model._meta.verbose_name)
    return name


def _field(object_type: str, name: str):
    for model in _registry:
        if type_name(model) == object_type:
            try:
                return model._meta.get_field(name)
            except FieldDoesNotExist:  # a field renamed since the record was written
                return None
    return None


def field_label(object_type: str, name: str) -> str:
    found = _field(object_type, name)
    return str(found.verbose_name) if found is not None else name


def value_display(object_type: str, name: str, value) -> str:
    """A recorded value as a person reads it: the choice's label, "#id" for a related row, a local date."""
    if value is None or value == "":
        return "—"
    if value == HIDDEN:
        return gettext("(đã ẩn)")
    if isinstance(value, bool):
        return gettext("có") if value else gettext("không")
    found = _field(object_type, name)
    if found is not None and found.choices:
        return str(dict(found.flatchoices).get(value, value))
    if found is not None and found.is_relation:
        return f"#{value}"
    if isinstance(found, models.DateTimeField):
        try:
            return timezone.localtime(datetime.datetime.fromisoformat(value)).strftime("%d/%m/%Y %H:%M:%S")
        except (TypeError, ValueError):
            return str(value)
    if isinstance(found, models.DateField):
        try:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        except (TypeError, ValueError):
            return str(value)
    return str(value)


def _plain(value):
    """A value as JSON can hold it."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.date | datetime.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, bytes | memoryview):
        return HIDDEN
    return str(value)


def _values(obj: models.Model, registration: Registration) -> dict:
    """The recorded fields' values as loaded; deferred fields are left out (reading them costs a query)."""
    loaded = obj.__dict__
    return {
        f.name: _plain(loaded[f.attname])
        for f in obj._meta.concrete_fields
        if f.attname in loaded and f.name not in registration.exclude and not f.primary_key
    }


def _is_confidential(obj: models.Model, registration: Registration) -> bool:
    if registration.confidential is None:
        return False
    try:
        return bool(registration.confidential(obj))
    except ObjectDoesNotExist:
        return False


def masked(obj: models.Model, changes: dict) -> dict:
    """``changes`` with hidden values and, for a confidential row, the confidential values replaced."""
    registration = _registry.get(type(obj))
    if registration is None:
        return changes
    covered = set(registration.hidden)
    if _is_confidential(obj, registration):
        covered |= registration.confidential_fields
    return {
        name: [None if v is None else HIDDEN for v in values] if name in covered else values
        for name, values in changes.items()
    }


def describe(obj: models.Model) -> dict:
    """How a record names ``obj``: its type, id, a name safe for every reader, and its agency."""
    registration = _registry.get(type(obj)) or Registration(model=type(obj))
    name = registration.confidential_repr if _is_confidential(obj, registration) else str(obj)
    try:
        agency_id = registration.agency(obj) if registration.agency else getattr(obj, "agency_id", None)
    except ObjectDoesNotExist:
        agency_id = None
    return {"object_type": type_name(type(obj)), "object_id": obj.pk, "object_repr": name, "agency_id": agency_id}


def _loaded(sender, instance, **kwargs) -> None:
    instance._audit_before = _values(instance, _registry[sender])


def _saved(sender, instance, created, raw=False, update_fields=None, **kwargs) -> None:
    if raw:  # fixtures being loaded
        return
    from audit.services import audit_change

    after = _values(instance, _registry[sender])
    if created:
        changes = {name: [None, value] for name, value in after.items() if value not in (None, "")}
        action = "create"
    else:
        before = getattr(instance, "_audit_before", {})
        names = set(after) & set(before)
        if update_fields is not None:
            names &= set(update_fields)
        changes = {name: [before[name], after[name]] for name in sorted(names) if before[name] != after[name]}
        action = "update"
    instance._audit_before = after
    if changes or created:
        audit_change(obj=instance, action=action, changes=changes)


def _deleted(sender, instance, **kwargs) -> None:
    from audit.services import audit_change

    before = _values(instance, _registry[sender])
    audit_change(
        obj=instance, action="delete", changes={k: [v, None] for k, v in before.items() if v not in (None, "")}
    )


def _m2m(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    from audit.services import audit_change

    if reverse or type(instance) not in _registry:
        return  # e.g. a group's members changed from the group's side: not done by the product
    name = next(f.name for f in type(instance)._meta.many_to_many if f.remote_field.through is sender)
    if action == "pre_clear":
        instance._audit_cleared = set(getattr(instance, name).values_list("pk", flat=True))
        return
    if action == "post_clear":
        pk_set, key = getattr(instance, "_audit_cleared", set()), "removed"
    elif action in ("post_add", "post_remove"):
        key = "added" if action == "post_add" else "removed"
    else:
        return
    if not pk_set:
        return
    names = sorted(str(row) for row in model._default_manager.filter(pk__in=pk_set))
    audit_change(obj=instance, action="update", changes={name: {key: names}})
