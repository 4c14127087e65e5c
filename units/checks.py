"""System checks for what the product depends on being set up right."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_time_zone(app_configs, **kwargs):
    if settings.TIME_ZONE != "Asia/Ho_Chi_Minh" or not settings.USE_TZ:
        return [
            Error(
                "Deadlines and numbering years are counted in Asia/Ho_Chi_Minh.",
                hint="Set TIME_ZONE = 'Asia/Ho_Chi_Minh' and USE_TZ = True.",
                id="units.E001",
            )
        ]
    return []


@register(deploy=True)
def check_sqlite_mode(app_configs, **kwargs):
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and db.get("OPTIONS", {}).get("transaction_mode") != "IMMEDIATE":
        return [
            Warning(
                "SQLite without IMMEDIATE transactions fails concurrent writers with 'database is locked'.",
                hint="Keep OPTIONS['transaction_mode'] = 'IMMEDIATE' for SQLite.",
                id="units.W001",
            )
        ]
    return []


@register()
def check_safe_xml(app_configs, **kwargs):
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:
        return [
            Error(
                "openpyxl parses uploaded XLSX files without defusedxml, open to entity-expansion attacks.",
                hint="Install defusedxml (it is in requirements.txt).",
                id="units.E002",
            )
        ]
    return []


@register()
def check_libmagic(app_configs, **kwargs):
    try:
        import magic

        magic.from_buffer(b"%PDF-1.7", mime=True)
    except (ImportError, OSError) as error:
        return [
            Error(
                f"Uploads cannot be recognised by their content: {error}.",
                hint="Install Debian's libmagic1 (apt-get install libmagic1) and python-magic (requirements.txt).",
                id="units.E003",
            )
        ]
    return []
