"""Signing official PDFs: a PAdES signature with a Vietnamese visible stamp, verified offline
against a throw-away CA made in the test."""

import asyncio
import datetime
import io
import re

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from directives import pdf, signing
from tests.directives import samples
from tests.directives.certificates import PASSPHRASE

VIETNAM = datetime.timezone(datetime.timedelta(hours=7))
SIGNED_AT = datetime.datetime(2021, 1, 5, 9, 30, tzinfo=VIETNAM)


@pytest.fixture(scope="module")
def unsigned():
    return pdf.render_pdf(samples.THONG_BAO)


@pytest.fixture(scope="module")
def signed(authority, unsigned):
    return signing.sign_pdf(
        unsigned,
        pkcs12=authority["pkcs12"],
        passphrase=PASSPHRASE,
        signer_name="Nguyễn Công Danh",
        agency_name="Sở Khoa học và Công nghệ tỉnh Bà Rịa - Vũng Tàu",
        signed_at=SIGNED_AT,
    )


def test_signed_pdf_verifies_intact_and_valid_against_the_ca(authority, signed):
    result = signing.verify_pdf(signed, trust_roots=[authority["ca"]])
    assert result.intact
    assert result.valid
    assert result.trusted
    assert result.covers_whole_file
    assert result.signer_common_name == "Nguyễn Công Danh"
    assert result.signed_at == SIGNED_AT


def test_signature_keeps_the_original_bytes_as_first_revision(unsigned, signed):
    assert signed.startswith(unsigned)


def test_signature_is_pades(signed):
    reader = PdfFileReader(io.BytesIO(signed))
    (embedded,) = reader.embedded_signatures
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert embedded.sig_object["/M"].startswith("D:20210105093000+07")


def test_signature_from_an_untrusted_ca_is_not_valid(authority, signed):
    result = signing.verify_pdf(signed, trust_roots=[authority["other_ca"]])
    assert result.intact
    assert not result.trusted
    assert not result.valid


def test_tampered_pdf_fails_verification(authority, signed):
    """Change one character of the signed content: the digest no longer matches."""
    reader = PdfFileReader(io.BytesIO(signed))
    start = reader.embedded_signatures[0].byte_range[0]
    position = signed.index(b"/MediaBox", start)
    tampered = signed[:position] + b"/MediaBoy" + signed[position + len(b"/MediaBox") :]
    result = signing.verify_pdf(tampered, trust_roots=[authority["ca"]])
    assert not result.intact
    assert not result.valid


def test_content_appended_after_signing_is_not_covered(authority, signed):
    result = signing.verify_pdf(signed + b"\n% appended\n", trust_roots=[authority["ca"]])
    assert not result.valid


def test_unsigned_pdf_has_no_valid_signature(authority, unsigned):
    result = signing.verify_pdf(unsigned, trust_roots=[authority["ca"]])
    assert not result.intact and not result.valid


def test_wrong_passphrase_is_a_vietnamese_error(authority, unsigned):
    with pytest.raises(signing.SigningError, match="Không đọc được chứng thư số"):
        signing.sign_pdf(
            unsigned,
            pkcs12=authority["pkcs12"],
            passphrase=b"sai",
            signer_name="Nguyễn Công Danh",
            agency_name="Sở Khoa học và Công nghệ",
            signed_at=SIGNED_AT,
        )


def _stamp(signed: bytes):
    reader = PdfFileReader(io.BytesIO(signed))
    (embedded,) = reader.embedded_signatures
    widget = embedded.sig_field
    return reader, widget


def test_stamp_stands_in_the_signature_space_between_title_and_name(signed):
    reader, widget = _stamp(signed)
    x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
    page_index, x_centre, y_top = signing.find_signature_space(reader)
    assert widget.raw_get("/P").idnum == reader.root["/Pages"]["/Kids"].raw_get(page_index).idnum
    assert (x0 + x1) / 2 == pytest.approx(x_centre, abs=1)
    assert y1 <= y_top
    assert y1 - y0 >= 15 * 72 / 25.4


def test_stamp_text_is_vietnamese_in_the_embedded_liberation_serif(signed):
    """The stamp's font is an embedded TrueType subset whose ToUnicode map covers every
    character of the Vietnamese text, so viewers show (and copy) it ungarbled."""
    _reader, widget = _stamp(signed)
    appearance = widget["/AP"]["/N"].get_object()
    fonts = appearance["/Resources"]["/Font"]
    font_dicts = []

    def collect(resources):
        for font in resources.get("/Font", {}).values():
            font_dicts.append(font.get_object())
        for xobject in resources.get("/XObject", {}).values():
            xobject = xobject.get_object()
            if "/Resources" in xobject:
                collect(xobject["/Resources"])

    collect(appearance["/Resources"])
    assert fonts or font_dicts
    (font,) = [f for f in font_dicts if "LiberationSerif" in str(f["/BaseFont"])]
    descendant = font["/DescendantFonts"][0].get_object()
    assert descendant["/Subtype"] == "/CIDFontType2"
    assert "/FontFile2" in descendant["/FontDescriptor"]
    mapped = _to_unicode(font["/ToUnicode"].get_object().data.decode("ascii"))
    expected = (
        "Ký bởi: Nguyễn Công Danh Cơ quan: Sở Khoa học và Công nghệ tỉnh Bà Rịa - Vũng Tàu "
        "Thời gian ký: 2021-01-05T09:30:00+07:00"
    )
    assert set(expected) - {" "} <= mapped


def _to_unicode(cmap: str) -> set[str]:
    """The characters a ToUnicode CMap maps to (bfchar entries and bfrange arrays)."""
    mapped = set()
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        mapped |= {chr(int(code, 16)) for code in re.findall(r"<[0-9a-fA-F]+>\s*<([0-9a-fA-F]{4})>", block)}
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for line in block.strip().splitlines():
            codes = re.findall(r"<([0-9a-fA-F]+)>", line)
            if "[" in line:
                mapped |= {chr(int(code, 16)) for code in codes[2:]}
            else:
                low, high, start = (int(code, 16) for code in codes)
                mapped |= {chr(start + i) for i in range(high - low + 1)}
    return mapped


def test_stamp_font_is_rescaled_to_1000_units_per_em():
    """pyHanko writes glyph widths in font units; the PDF reads them as 1/1000 em."""
    from fontTools.ttLib import TTFont

    assert TTFont(signing.stamp_font_file())["head"].unitsPerEm == 1000


def test_signing_time_is_iso_8601_with_the_vietnam_offset():
    moment = datetime.datetime(2021, 1, 5, 2, 30, 15, 123, tzinfo=datetime.UTC)
    assert signing.format_signing_time(moment) == "2021-01-05T09:30:15+07:00"
    with pytest.raises(ValueError):
        signing.format_signing_time(datetime.datetime(2021, 1, 5, 9, 30))


def test_signing_works_when_called_inside_a_running_event_loop(authority, unsigned):
    # A job run eagerly from async code (or beside a browser driver) has an event loop
    # running in its thread; pyHanko's synchronous API would refuse to start its own.
    async def sign_from_async_code():
        return signing.sign_pdf(
            unsigned,
            pkcs12=authority["pkcs12"],
            passphrase=PASSPHRASE,
            signer_name="Nguyễn Công Danh",
            agency_name="Sở Khoa học và Công nghệ",
            signed_at=SIGNED_AT,
        )

    signed = asyncio.run(sign_from_async_code())
    assert signing.verify_pdf(signed, trust_roots=[authority["ca"]]).valid
