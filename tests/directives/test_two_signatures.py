"""Two signatures in order: the signer's (blue image, name, time) and then the agency's (red
seal over the left third of it), each an incremental PAdES revision, verified by pyHanko."""

import datetime
import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from directives import pdf, signing, stamp_images
from directives.signers import Pkcs12Signer
from tests.directives import samples
from tests.directives.certificates import PASSPHRASE

VIETNAM = datetime.timezone(datetime.timedelta(hours=7))
APPROVED_AT = datetime.datetime(2021, 1, 5, 2, 30, tzinfo=datetime.UTC)  # 09:30 in Vietnam
ISSUED_AT = datetime.datetime(2021, 1, 5, 3, 15, tzinfo=datetime.UTC)
AGENCY = "Sở Khoa học và Công nghệ tỉnh Bà Rịa - Vũng Tàu"


@pytest.fixture(scope="module")
def unsigned():
    return pdf.render_pdf(samples.THONG_BAO)


@pytest.fixture(scope="module")
def personal(authority, unsigned):
    return signing.sign_personal(
        unsigned,
        signer=Pkcs12Signer(authority["pkcs12"], PASSPHRASE),
        signer_name="Nguyễn Công Danh",
        agency_name=AGENCY,
        signed_at=APPROVED_AT,
        image_png=stamp_images.signature_png("Nguyễn Công Danh"),
    )


@pytest.fixture(scope="module")
def both(authority, personal):
    return signing.sign_agency(
        personal,
        signer=Pkcs12Signer(authority["agency_pkcs12"], PASSPHRASE),
        agency_name=AGENCY,
        signed_at=ISSUED_AT,
        seal_png=stamp_images.seal_png(AGENCY),
    )


def test_two_signatures_verify_in_order_first_its_revision_then_the_whole_file(authority, unsigned, personal, both):
    assert both.startswith(personal) and personal.startswith(unsigned)
    first, second = signing.verify_pdf_signatures(both, trust_roots=[authority["ca"]])
    assert first.field_name == signing.PERSONAL_FIELD and second.field_name == signing.AGENCY_FIELD
    assert first.signer_common_name == "Nguyễn Công Danh"
    assert second.signer_common_name == AGENCY
    assert first.valid and first.covers_revision and not first.covers_whole_file
    assert second.valid and second.covers_whole_file
    assert first.signed_at == APPROVED_AT and second.signed_at == ISSUED_AT
    reader = PdfFileReader(io.BytesIO(both))
    one, two = reader.embedded_signatures
    assert one.signed_revision < two.signed_revision
    assert one.byte_range[-2] + one.byte_range[-1] == len(personal)  # the first covers revision 1
    assert two.byte_range[-2] + two.byte_range[-1] == len(both)


def test_signing_time_is_written_in_vietnam_time_with_its_offset(both):
    """``/M`` is local time with +07'00', not UTC, though the times given are UTC."""
    one, two = PdfFileReader(io.BytesIO(both)).embedded_signatures
    assert str(one.sig_object["/M"]).startswith("D:20210105093000+07")
    assert str(two.sig_object["/M"]).startswith("D:20210105101500+07")
    assert one.sig_object["/Name"] == "Nguyễn Công Danh" and two.sig_object["/Name"] == AGENCY


def test_the_seal_overlaps_the_left_third_of_the_signature_image(both):
    reader = PdfFileReader(io.BytesIO(both))
    one, two = reader.embedded_signatures
    px0, py0, px1, py1 = (float(v) for v in one.sig_field["/Rect"])
    sx0, sy0, sx1, sy1 = (float(v) for v in two.sig_field["/Rect"])
    assert sx1 == pytest.approx(px0 + (px1 - px0) / 3, abs=0.5)
    assert sx0 < px0  # the rest of the seal stands to the left of the image
    assert sy0 < py1 and sy1 > py0
    assert sx1 - sx0 == pytest.approx(signing.SEAL_SIZE, abs=0.5)


def _images(resources) -> list:
    found = []
    for xobject in resources.get("/XObject", {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Image":
            found.append(xobject)
        elif "/Resources" in xobject:
            found.extend(_images(xobject["/Resources"]))
    return found


def test_each_stamp_has_its_image(both):
    reader = PdfFileReader(io.BytesIO(both))
    for embedded in reader.embedded_signatures:
        appearance = embedded.sig_field["/AP"]["/N"].get_object()
        images = _images(appearance["/Resources"])
        assert images and "/SMask" in images[0]  # transparent


def test_a_signature_added_after_the_agency_s_breaks_the_whole_file_cover(authority, both):
    results = signing.verify_pdf_signatures(both + b"\n% appended\n", trust_roots=[authority["ca"]])
    assert not results[-1].valid
