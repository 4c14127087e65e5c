"""System checks for what reading received files depends on."""

import shutil
import subprocess  # nosec B404  # tesseract --list-langs, fixed arguments

from django.core.checks import Warning, register


def _tesseract_languages() -> set[str]:
    try:
        result = subprocess.run(  # nosec B603
            [shutil.which("tesseract") or "tesseract", "--list-langs"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return set()
    return {line.strip() for line in (result.stdout + result.stderr).splitlines()[1:]}


@register()
def check_ocr_tools(app_configs, **kwargs):
    """Scans are read by ocrmypdf with tesseract's Vietnamese model.

    Warnings, not errors: without them the portal runs, and a scan's reading fails with a
    Vietnamese message telling the clerk to type the fields. (.doc files need LibreOffice, which
    stays optional: without it they are refused, asking for .docx or PDF.)
    """
    if shutil.which("ocrmypdf") is None or shutil.which("tesseract") is None:
        return [
            Warning(
                "ocrmypdf or tesseract is not installed: scanned documents cannot be read.",
                hint="apt-get install --no-install-recommends ocrmypdf tesseract-ocr-vie",
                id="intake.W001",
            )
        ]
    if "vie" not in _tesseract_languages():
        return [
            Warning(
                "tesseract has no Vietnamese model (vie): scanned documents cannot be read.",
                hint="apt-get install --no-install-recommends tesseract-ocr-vie",
                id="intake.W002",
            )
        ]
    return []
