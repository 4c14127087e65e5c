"""Digital signatures on official PDFs (Decree 30/2020 Art. 13, Appendix I II.7-8), by pyHanko.

An issued document carries two signatures, each an incremental PAdES revision: the signer's
(``sign_personal``: the blue signature image with their name and the time, centred in the
signature space between title and name) and then the agency's (``sign_agency``: the red
seal overlapping the left third of the signer's image, with the agency's name and the
time). ``sign_pdf`` is the single-signature text stamp of earlier versions. The key comes
from a ``directives.signers`` signer: a PKCS#12 bundle, a PKCS#11 token or HSM, or a
remote-signing service.

Stamp text is Vietnamese and is drawn with the bundled Liberation Serif, embedded as a
TrueType subset: pyHanko's default font (Courier, a standard 14 font) has no Vietnamese glyphs.

``verify_pdf`` checks the last signature against given trust roots, offline;
``verify_pdf_signatures`` checks every signature, in order.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import functools
import io
import textwrap
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from PIL import Image
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from directives.pdf import SIGNATURE_ANCHOR, font_path
from directives.signers import Pkcs12Signer, Signer, SignerError

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MM = 72 / 25.4
STAMP_WIDTH = 62 * MM
STAMP_HEIGHT = 20 * MM
SIGNATURE_FIELD = "ChuKySo"
STAMP_TEXT = "Ký bởi: %(signer_name)s\nCơ quan: %(agency_name)s\nThời gian ký: %(signed_at)s"
STAMP_FONT_SIZE = 9
STAMP_COLOUR = (0.0, 0.2, 0.6)  # blue, as the decree wants the signer's signature image
PERSONAL_FIELD = "ChuKyNguoiKy"
AGENCY_FIELD = "ChuKyCoQuan"
PERSONAL_WIDTH, PERSONAL_HEIGHT = 50 * MM, 28 * MM  # the image, then two lines of small type
SEAL_SIZE = 34 * MM  # a usual seal's diameter, printed at actual size
SMALL_TEXT = 6
PERSONAL_TEXT = "%(signer_name)s\n%(signed_at)s"
AGENCY_TEXT = "%(agency_name)s\n%(signed_at)s"

SigningError = SignerError  # the PDF could not be signed; ``message`` is Vietnamese


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
    field_name: str = ""
    # the signature covers the file as it was when it was made (a later revision added only
    # allowed things: another signature, form fields); for the last one, the whole file
    covers_revision: bool = False


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
        # /M in Vietnam time with its offset (D:20210105093000+07'00'), never UTC
        session.system_time = self.signing_time.astimezone(VIETNAM)
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


def _signature_box_in_space(reader: PdfFileReader, width: float, height: float) -> tuple[int, tuple]:
    """(page index, box) of a stamp ``width`` × ``height`` centred under the signature space's top.

    In a PDF without that mark it goes to the top right of page 1.
    """
    space = find_signature_space(reader)
    if space is not None:
        page_index, x_centre, y_top = space
        return page_index, (x_centre - width / 2, y_top - height - 2, x_centre + width / 2, y_top - 2)
    media_box = reader.root["/Pages"]["/Kids"][0].get_object()["/MediaBox"]
    right, top = float(media_box[2]), float(media_box[3])
    return 0, (right - 15 * MM - width, top - 20 * MM - height, right - 15 * MM, top - 20 * MM)


def _text_style(
    text: str,
    *,
    size: float,
    colour,
    image_png: bytes | None,
    image_height: float = 0,
    text_x: layout.AxisAlignment = layout.AxisAlignment.ALIGN_MID,
) -> TextStampStyle:
    """A stamp of ``text``, under ``image_png`` (kept to its aspect, at the top) when given;
    ``text_x`` places the text block left, centred or right under the image."""
    # The factory lays glyphs out at its own size: it must equal the text box's, or the
    # glyphs come out small and spread apart.
    font = GlyphAccumulatorFactory(font_file=str(stamp_font_file()), font_size=size)
    text_box = TextBoxStyle(font=font, font_size=size, text_color=colour)
    if image_png is None:
        return TextStampStyle(stamp_text=text, text_box_style=text_box, border_width=1, background=None)
    image = PdfImage(Image.open(io.BytesIO(image_png)))
    return TextStampStyle(
        stamp_text=text,
        text_box_style=text_box,
        border_width=0,
        background=image,
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins(bottom=round(image_height)),
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=text_x,
            y_align=layout.AxisAlignment.ALIGN_MIN,
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
    )


def _sign(
    pdf: bytes,
    *,
    signer: Signer,
    field_name: str,
    page_index: int,
    box: tuple,
    stamp_style: TextStampStyle,
    text_params: dict,
    name: str,
    location: str,
    signed_at: datetime.datetime,
) -> bytes:
    """Add one PAdES signature as an incremental update, with a visible stamp at ``box``."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    signature_meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=name,
        location=location,
    )

    def sign() -> bytes:
        with signer.open() as pyhanko_signer:
            pdf_signer = _TimedPdfSigner(
                signature_meta,
                signer=pyhanko_signer,
                stamp_style=stamp_style,
                new_field_spec=fields.SigFieldSpec(
                    sig_field_name=field_name, on_page=page_index, box=tuple(round(v, 2) for v in box)
                ),
                signing_time=signed_at,
            )
            return pdf_signer.sign_pdf(writer, appearance_text_params=text_params).getvalue()

    return _outside_event_loop(sign)


def _outside_event_loop(work):
    """pyHanko's synchronous API runs its own event loop, which Python refuses inside a
    running one (an eager job called from async code): then the work runs in its own thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def sign_pdf(
    pdf: bytes,
    *,
    signer: Signer | None = None,
    pkcs12: bytes | None = None,
    passphrase: bytes | None = None,
    signer_name: str,
    agency_name: str,
    signed_at: datetime.datetime,
) -> bytes:
    """Return ``pdf`` with one PAdES signature by ``signer`` (or the key in ``pkcs12``) and a text stamp.

    The stamp stands in the signature space the official layout leaves between title and
    name (on the page where the signature block fell); in a PDF without that mark it goes
    to the top right of page 1. It reads the signer, the agency and ``signed_at`` in ISO 8601
    with the +07:00 offset, in Vietnamese with the embedded Liberation Serif; ``/M`` carries
    the same time in Vietnam time. The original bytes are kept as the first revision (an
    incremental update), so the signature covers the whole file. Raises ``SigningError``
    when the key cannot be loaded.
    """
    signer = signer or Pkcs12Signer(bundle=pkcs12 or b"", passphrase=passphrase)
    reader = PdfFileReader(io.BytesIO(pdf))
    page_index, box = _signature_box_in_space(reader, STAMP_WIDTH, STAMP_HEIGHT)
    return _sign(
        pdf,
        signer=signer,
        field_name=SIGNATURE_FIELD,
        page_index=page_index,
        box=box,
        stamp_style=_text_style(STAMP_TEXT, size=STAMP_FONT_SIZE, colour=STAMP_COLOUR, image_png=None),
        text_params={
            "signer_name": signer_name,
            "agency_name": agency_name,
            "signed_at": format_signing_time(signed_at),
        },
        name=signer_name,
        location=agency_name,
        signed_at=signed_at,
    )


def sign_personal(
    pdf: bytes,
    *,
    signer: Signer,
    signer_name: str,
    agency_name: str,
    signed_at: datetime.datetime,
    image_png: bytes | None,
) -> bytes:
    """The signer's own signature: first, centred in the signature space between title and name.

    With ``image_png`` (their signature, blue, transparent) the stamp is the image with their
    name and the time (ISO 8601, +07:00) in small blue type under it; without, a boxed text
    stamp. ``/Name`` is the signer's name.
    """
    reader = PdfFileReader(io.BytesIO(pdf))
    page_index, box = _signature_box_in_space(reader, PERSONAL_WIDTH, PERSONAL_HEIGHT)
    if image_png is not None:
        # the text keeps to the right, clear of the seal that will overlap the image's left third
        style = _text_style(
            PERSONAL_TEXT,
            size=SMALL_TEXT,
            colour=STAMP_COLOUR,
            image_png=image_png,
            image_height=8 * MM,
            text_x=layout.AxisAlignment.ALIGN_MAX,
        )
    else:
        style = _text_style(
            "Ký bởi: %(signer_name)s\nThời gian ký: %(signed_at)s", size=8, colour=STAMP_COLOUR, image_png=None
        )
    return _sign(
        pdf,
        signer=signer,
        field_name=PERSONAL_FIELD,
        page_index=page_index,
        box=box,
        stamp_style=style,
        text_params={"signer_name": signer_name, "signed_at": format_signing_time(signed_at)},
        name=signer_name,
        location=agency_name,
        signed_at=signed_at,
    )


def _field_widget(reader: PdfFileReader, name: str):
    """(page index, rect) of the signature field ``name``'s widget, or None."""
    try:
        form_fields = reader.root["/AcroForm"]["/Fields"]
    except KeyError:
        return None
    pages = _page_ids(reader.root["/Pages"])
    for reference in form_fields:
        field_dict = reference.get_object()
        if str(field_dict.get("/T")) != name:
            continue
        page_ref = field_dict.raw_get("/P")
        rect = tuple(float(v) for v in field_dict["/Rect"])
        return pages.index(page_ref.idnum), rect
    return None


def sign_agency(
    pdf: bytes,
    *,
    signer: Signer,
    agency_name: str,
    signed_at: datetime.datetime,
    seal_png: bytes | None,
) -> bytes:
    """The agency's signature, after the signer's: it covers the whole file, their signature included.

    With ``seal_png`` (the seal, red, transparent) the seal is printed at actual size
    (``SEAL_SIZE``) overlapping the left third of the signer's image, with the agency's name
    and the time (+07:00) in small type under it, level with the foot of the signer's stamp. Without
    the signer's signature the seal stands in the signature space; without a seal image the
    stamp is boxed text. ``/Name`` is the agency's name.
    """
    reader = PdfFileReader(io.BytesIO(pdf))
    # a long name wraps under the seal rather than shrinking to nothing
    wrapped = "\n".join(textwrap.wrap(agency_name, 34)[:3]) if seal_png is not None else agency_name
    text_params = {"agency_name": wrapped, "signed_at": format_signing_time(signed_at)}
    if seal_png is None:
        page_index, box = _signature_box_in_space(reader, STAMP_WIDTH, 12 * MM)
        if _field_widget(reader, PERSONAL_FIELD) is not None:  # under the signer's stamp
            box = (box[0], box[1] - PERSONAL_HEIGHT, box[2], box[3] - PERSONAL_HEIGHT)
        style = _text_style(
            "Cơ quan: %(agency_name)s\nThời gian ký: %(signed_at)s", size=8, colour=(0, 0, 0), image_png=None
        )
    else:
        text_height = 9 * MM
        personal = _field_widget(reader, PERSONAL_FIELD)
        if personal is not None:
            # its text ends level with the signer's stamp, so it stays clear of the printed
            # name below; the seal then rises over the image (and a little over the title)
            page_index, (x0, bottom, _x1, _y1) = personal
            right = x0 + PERSONAL_WIDTH / 3
        else:
            page_index, (_x0, bottom, right, _y1) = _signature_box_in_space(reader, SEAL_SIZE, SEAL_SIZE + text_height)
        box = (right - SEAL_SIZE, bottom, right, bottom + SEAL_SIZE + text_height)
        style = _text_style(
            AGENCY_TEXT, size=SMALL_TEXT, colour=(0, 0, 0), image_png=seal_png, image_height=text_height
        )
    return _sign(
        pdf,
        signer=signer,
        field_name=AGENCY_FIELD,
        page_index=page_index,
        box=box,
        stamp_style=style,
        text_params=text_params,
        name=agency_name,
        location=agency_name,
        signed_at=signed_at,
    )


def verify_pdf(pdf: bytes, *, trust_roots: list) -> VerificationResult:
    """Check the last signature of ``pdf`` against ``trust_roots``, without network access.

    ``trust_roots`` are certificates (``cryptography`` or ``asn1crypto`` objects, or DER
    bytes). A PDF without a signature yields a result with every flag False.
    """
    results = verify_pdf_signatures(pdf, trust_roots=trust_roots)
    return results[-1] if results else VerificationResult(False, False, False, False, None, None)


def verify_pdf_signatures(pdf: bytes, *, trust_roots: list) -> list[VerificationResult]:
    """Check every signature of ``pdf``, in the order they were made, offline.

    An earlier signature is ``valid`` when it is intact, sound, trusted and covers its own
    revision with only allowed changes after it (more signatures, form filling); the last
    one must cover the whole file. An unreadable PDF or one without signatures gives [].
    """
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded_signatures = list(reader.embedded_signatures)
    except Exception:  # a received file may be anything: it simply has no verifiable signature
        return []
    context = ValidationContext(trust_roots=[_asn1_certificate(c) for c in trust_roots], allow_fetching=False)
    results = []
    for position, embedded in enumerate(embedded_signatures):
        last = position == len(embedded_signatures) - 1
        try:
            status = validate_pdf_signature(embedded, signer_validation_context=context)
        except Exception:  # a malformed signature dictionary is an invalid signature, not a crash
            results.append(VerificationResult(False, False, False, False, None, None, field_name=embedded.field_name))
            continue
        coverage = status.coverage.name if status.coverage is not None else ""
        covers_whole_file = coverage == "ENTIRE_FILE"
        covers_revision = covers_whole_file or (coverage == "ENTIRE_REVISION" and bool(status.docmdp_ok))
        signed_at = status.signer_reported_dt
        sound = bool(status.intact and status.valid and status.trusted)
        results.append(
            VerificationResult(
                intact=bool(status.intact),
                valid=sound and (covers_whole_file if last else covers_revision),
                trusted=bool(status.trusted),
                covers_whole_file=covers_whole_file,
                signer_common_name=status.signing_cert.subject.native.get("common_name"),
                signed_at=signed_at.astimezone(VIETNAM) if signed_at else None,
                field_name=embedded.field_name or "",
                covers_revision=covers_revision,
            )
        )
    return results


def _asn1_certificate(certificate) -> asn1_x509.Certificate:
    if isinstance(certificate, asn1_x509.Certificate):
        return certificate
    if isinstance(certificate, bytes):
        return asn1_x509.Certificate.load(certificate)
    from cryptography.hazmat.primitives.serialization import Encoding

    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))


__all__ = [
    "SigningError",
    "VerificationResult",
    "find_signature_space",
    "sign_agency",
    "sign_pdf",
    "sign_personal",
    "verify_pdf",
    "verify_pdf_signatures",
]
