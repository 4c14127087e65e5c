"""The text of a received file (issue #17).

CONTRACT (owned by the extraction's author; the rest of the app builds on it):

    text_of(data: bytes, *, name: str) -> Extracted
        Plain text, .docx, .doc (LibreOffice where installed), a PDF's text layer (NFC; TCVN3
        or VNI detected and converted). Raises ``Unreadable`` (a Vietnamese message) for a kind
        it does not read. Answers ``Extracted(needs_ocr=True, text="")`` for a scan or an image:
        the caller queues the OCR job instead of waiting.
    ocr(data: bytes, *, name: str) -> Extracted
        ocrmypdf + tesseract (vie); slow (seconds per page): only in a background job or the
        command line, never in a request. ``confidence`` is the mean word confidence, 0–100.
"""

from __future__ import annotations

from dataclasses import dataclass


class Unreadable(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Extracted:
    text: str
    method: str  # intake.models.Reading.Method value
    confidence: float | None = None
    needs_ocr: bool = False


def text_of(data: bytes, *, name: str) -> Extracted:
    """PLACEHOLDER until extraction lands: plain UTF-8 text only."""
    return Extracted(data.decode("utf-8"), "plain")


def ocr(data: bytes, *, name: str) -> Extracted:
    raise Unreadable("Chưa nhận dạng được tệp quét.")
