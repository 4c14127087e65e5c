"""The directory of organisations copied from the LGSP platform (docs/exchange.md, "Transports and jobs")."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from exchange.lgsp import LgspClient
from exchange.transport import Transport
from units.models import Organisation

log = logging.getLogger(__name__)


def directory_sync(*, transport: Transport | None = None) -> dict[str, int] | None:
    """Copy the platform's directory into ``units.Organisation``, by identity; answer the counts
    (``created``, ``updated``, ``unchanged``, ``skipped``), or None when LGSP is not configured.

    An organisation carrying the identity takes the platform's name; one without identity but with
    the same name takes the identity; any other is created. Nothing is deleted, and what an
    administrator keeps besides the name (abbreviation, address, e-mail, «đang giao dịch») is left
    alone. An entry whose identity is invalid, whose name is empty, or whose name another
    organisation already has under another identity is skipped (and logged). The whole directory
    is read before anything is written, then written in one transaction: a platform failing half
    way (``TransportError``, raised) changes nothing.
    """
    if transport is None:
        if not settings.EXCHANGE_LGSP_URL:
            return None
        transport = LgspClient.from_settings()
    entries = list(transport.organisations())
    counts = dict.fromkeys(("created", "updated", "unchanged", "skipped"), 0)
    with transaction.atomic():
        # Two syncs at once (the weekly job and the command) would both create the same organisation.
        known = list(Organisation.objects.select_for_update())
        by_id = {o.exchange_id: o for o in known if o.exchange_id}
        by_name = {o.name: o for o in known}
        for entry in entries:
            organ_id, name = entry["organ_id"], entry["name"].strip()[:255]
            organisation = by_id.get(organ_id)
            holder = by_name.get(name)
            if organisation is None and holder is not None and not holder.exchange_id:
                organisation = holder  # the same body, entered by hand before the directory
            if organisation is not None and organisation.name == name and organisation.exchange_id == organ_id:
                counts["unchanged"] += 1
                continue
            if not name or (holder is not None and holder is not organisation):
                log.warning("directory entry %s «%s» skipped: empty name or a name taken", organ_id, name)
                counts["skipped"] += 1
                continue
            created = organisation is None
            organisation = organisation or Organisation()
            old_name = organisation.name
            organisation.name, organisation.exchange_id = name, organ_id
            try:
                organisation.full_clean()
            except ValidationError as error:
                log.warning("directory entry %s skipped: %s", organ_id, error.messages)
                counts["skipped"] += 1
                continue
            organisation.save()
            if old_name and old_name != name:
                by_name.pop(old_name, None)
            by_id[organ_id] = by_name[name] = organisation
            counts["created" if created else "updated"] += 1
    return counts
