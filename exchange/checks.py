"""System checks for the exchange's connections (docs/exchange-lgsp.md, "How to connect a province's LGSP")."""

import os
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register

from exchange.lgsp import LgspClient
from exchange.transport import TransportError


@register()
def check_exchange_connections(app_configs, **kwargs):
    """LGSP settings the client accepts, and a shared folder the worker can write: else every send
    and poll over them would fail at run time."""
    errors = []
    if settings.EXCHANGE_LGSP_URL:
        try:
            LgspClient.from_settings()
        except TransportError as error:
            errors.append(Error(error.message_vi, id="exchange.E001"))
    folder = settings.EXCHANGE_FOLDER
    if folder and not (Path(folder).is_dir() and os.access(folder, os.W_OK | os.X_OK)):
        errors.append(
            Error(
                "EXCHANGE_FOLDER is not a folder this process can write.",
                hint=f"Create {folder} with write access for the portal's user, or leave the variable empty.",
                id="exchange.E002",
            )
        )
    return errors
