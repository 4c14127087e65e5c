"""Digital signatures on official PDFs (Decree 30/2020 Art. 13, Appendix I II.7-8), by pyHanko.

``sign_pdf`` adds a PAdES signature with a visible stamp in the signature space of the
document (between the signer's title and name, where the decree puts the signature image),
found through the named destination ``directives.pdf`` renders there. The stamp's text is
Vietnamese and is drawn with the bundled Liberation Serif, embedded as a TrueType subset:
pyHanko's default font (Courier, a standard 14 font) has no Vietnamese glyphs.

``verify_pdf`` checks such a signature against given trust roots, offline.
"""

from __future__ import annotations

import datetime
import functools
import io
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from directives.pdf import SIGNATURE_ANCHOR, font_path

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MM = 72 / 25.4
STAMP_WIDTH = 62 * MM
STAMP_HEIGHT = 20 * MM
SIGNATURE_FIELD = "ChuKySo"
STAMP_TEXT = "Ký bởi: %(signer_name)s\nCơ quan: %(agency_name)s\nThời gian ký: %(signed_at)s"
STAMP_FONT_SIZE = 9
STAMP_COLOUR = (0.0, 0.2, 0.6)  # blue, as the decree wants the signer's signature image


class SigningError(Exception):
    """The PDF could not be signed; ``message`` is Vietnamese and may be shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class VerificationResult:
    """What ``verify_pdf`` found about the document's last signature.

    ``intact``: the signed bytes are unchanged. ``valid``: intact, cryptographically sound,
    the certificate chains to a given trust root, and the signature covers the whole file.
    """

    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    signer_common_name: str | None
    signed_at: datetime.datetime | None


@functools.lru_cache(maxsize=1)
def stamp_font_file() -> Path:
    """Return the bundled Liberation Serif rescaled to 1000 units per em, made once under var/.

    pyHanko 0.38 writes a TrueType font's glyph widths into the PDF in the font's own units,
    which the PDF reads as thousandths of an em: with Liberation's 2048 units per em every
    glyph gets twice its advance and the stamp text is shrunk and spaced out. A 1000-unit copy
    makes the two agree. Only this runtime copy is rescaled; the shipped file is untouched.
    """
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    source = font_path("regular")
    target = Path(settings.VAR_DIR) / "fonts" / f"{source.stem}-1000upem.ttf"
    if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
        target.parent.mkdir(parents=True, exist_ok=True)
        font = TTFont(source)
        if font["head"].unitsPerEm != 1000:
            scale_upem(font, 1000)
        partial = target.with_suffix(".tmp")
        font.save(partial)
        partial.replace(target)  # atomic, so a concurrent signer never reads half a font
    return target


def format_signing_time(moment: datetime.datetime) -> str:
    """ISO 8601 in Vietnam time with its offset, as the decree asks: 2021-01-05T09:30:00+07:00."""
    if moment.tzinfo is None:
        raise ValueError("signed_at must be an aware datetime")
    return moment.astimezone(VIETNAM).replace(microsecond=0).isoformat()


class _TimedPdfSigner(signers.PdfSigner):
    """A PdfSigner that records ``signing_time`` as /M instead of the moment it runs.

    The time printed on the stamp and the time in the signature dictionary must agree.
    """

    def __init__(self, *args, signing_time: datetime.datetime, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self.signing_time
        return session


def _page_ids(node) -> list[int]:
    """The page objects' ids in document order (walks nested page trees)."""
    kids = node["/Kids"]
    ids = []
    for index in range(len(kids)):
        reference = kids.raw_get(index)
        child = reference.get_object()
        if child.get("/Type") == "/Pages":
            ids.extend(_page_ids(child))
        else:
            ids.append(reference.idnum)
    return ids


def find_signature_space(reader: PdfFileReader) -> tuple[int, float, float] | None:
    """Return (page index, x centre, y top) of the signature space, or None if not marked."""
    try:
        names = reader.root["/Names"]["/Dests"]["/Names"]
    except KeyError:
        return None
    for index in range(0, len(names) - 1, 2):
        if str(names[index]) != SIGNATURE_ANCHOR:
            continue
        destination = names[index + 1]
        page_id = destination.raw_get(0).idnum
        pages = _page_ids(reader.root["/Pages"])
        if page_id in pages:
            return pages.index(page_id), float(destination[2]), float(destination[3])
    return None


def sign_pdf(
    pdf: bytes,
    *,
    pkcs12: bytes,
    passphrase: bytes | None,
    signer_name: str,
    agency_name: str,
    signed_at: datetime.datetime,
) -> bytes:
    """Return ``pdf`` with a PAdES signature by the key in ``pkcs12`` and a visible stamp.

    The stamp stands in the signature space the official layout leaves between title and
    name (on the page where the signature block fell); in a PDF without that mark it goes
    to the top right of page 1. It reads the signer, the agency and ``signed_at`` in ISO 8601
    with the +07:00 offset, in Vietnamese with the embedded Liberation Serif. The original
    bytes are kept as the first revision (an incremental update), so the signature covers
    the whole file. Raises ``SigningError`` when the key cannot be loaded.
    """
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(pkcs12, other_certs=[], passphrase=passphrase)
    except ValueError as exc:
        raise SigningError("Không đọc được chứng thư số: tệp PKCS#12 hoặc mật khẩu không đúng.") from exc

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    reader = writer.prev
    space = find_signature_space(reader)
    if space is not None:
        page_index, x_centre, y_top = space
        box = (x_centre - STAMP_WIDTH / 2, y_top - STAMP_HEIGHT - 2, x_centre + STAMP_WIDTH / 2, y_top - 2)
    else:
        page_index = 0
        media_box = reader.root["/Pages"]["/Kids"][0].get_object()["/MediaBox"]
        right, top = float(media_box[2]), float(media_box[3])
        box = (right - 15 * MM - STAMP_WIDTH, top - 20 * MM - STAMP_HEIGHT, right - 15 * MM, top - 20 * MM)

    # The factory lays glyphs out at its own size: it must equal the text box's, or the
    # glyphs come out small and spread apart.
    font = GlyphAccumulatorFactory(font_file=str(stamp_font_file()), font_size=STAMP_FONT_SIZE)
    stamp_style = TextStampStyle(
        stamp_text=STAMP_TEXT,
        text_box_style=TextBoxStyle(font=font, font_size=STAMP_FONT_SIZE, text_color=STAMP_COLOUR),
        border_width=1,
        background=None,
    )
    signature_meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=signer_name,
        location=agency_name,
    )
    pdf_signer = _TimedPdfSigner(
        signature_meta,
        signer=signer,
        stamp_style=stamp_style,
        new_field_spec=fields.SigFieldSpec(
            sig_field_name=SIGNATURE_FIELD, on_page=page_index, box=tuple(round(v, 2) for v in box)
        ),
        signing_time=signed_at,
    )
    output = pdf_signer.sign_pdf(
        writer,
        appearance_text_params={
            "signer_name": signer_name,
            "agency_name": agency_name,
            "signed_at": format_signing_time(signed_at),
        },
    )
    return output.getvalue()


def verify_pdf(pdf: bytes, *, trust_roots: list) -> VerificationResult:
    """Check the last signature of ``pdf`` against ``trust_roots``, without network access.

    ``trust_roots`` are certificates (``cryptography`` or ``asn1crypto`` objects, or DER
    bytes). A PDF without a signature yields a result with every flag False.
    """
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    if not reader.embedded_signatures:
        return VerificationResult(False, False, False, False, None, None)
    embedded = reader.embedded_signatures[-1]
    context = ValidationContext(trust_roots=[_asn1_certificate(c) for c in trust_roots], allow_fetching=False)
    status = validate_pdf_signature(embedded, signer_validation_context=context)
    covers_whole_file = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    signed_at = status.signer_reported_dt
    return VerificationResult(
        intact=bool(status.intact),
        valid=bool(status.intact and status.valid and status.trusted and covers_whole_file),
        trusted=bool(status.trusted),
        covers_whole_file=covers_whole_file,
        signer_common_name=status.signing_cert.subject.native.get("common_name"),
        signed_at=signed_at.astimezone(VIETNAM) if signed_at else None,
    )


def _asn1_certificate(certificate) -> asn1_x509.Certificate:
    if isinstance(certificate, asn1_x509.Certificate):
        return certificate
    if isinstance(certificate, bytes):
        return asn1_x509.Certificate.load(certificate)
    from cryptography.hazmat.primitives.serialization import Encoding

    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))


__all__ = ["SigningError", "VerificationResult", "find_signature_space", "sign_pdf", "verify_pdf"]
