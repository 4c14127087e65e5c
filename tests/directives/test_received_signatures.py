"""A received PDF's signatures are verified when it is registered, and shown on its page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directives import official_pdf, pdf, services, signing, stamp_images
from directives.signers import Pkcs12Signer
from tests import factories
from tests.directives import samples
from tests.directives.certificates import PASSPHRASE

AT = datetime.datetime(2021, 1, 5, 2, 30, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def signed_twice(authority):
    content = pdf.render_pdf(samples.THONG_BAO)
    content = signing.sign_personal(
        content,
        signer=Pkcs12Signer(authority["pkcs12"], PASSPHRASE),
        signer_name="Nguyễn Công Danh",
        agency_name="UBND tỉnh",
        signed_at=AT,
        image_png=stamp_images.signature_png("Nguyễn Công Danh"),
    )
    return signing.sign_agency(
        content,
        signer=Pkcs12Signer(authority["agency_pkcs12"], PASSPHRASE),
        agency_name="UBND tỉnh",
        signed_at=AT,
        seal_png=None,
    )


def _register(clerk, notice_type, content, name="den.pdf"):
    sender = factories.OrganisationFactory(name="UBND tỉnh Bà Rịa - Vũng Tàu")
    return services.incoming_register(
        by=clerk, sender=sender, symbol="12/UBND-VP", issued_on=None, doc_type=notice_type, subject="Văn bản đến",
        file=SimpleUploadedFile(name, content, content_type="application/pdf"),
    )  # fmt: skip


def test_signatures_of_a_received_pdf_are_checked_on_registration(
    clerk, notice_type, signed_twice, agency, administrator, authority, client
):
    official_pdf.signing_certificate_upload(
        agency=agency, by=administrator, data=authority["agency_pkcs12"], passphrase=PASSPHRASE.decode()
    )  # the installation knows this CA: the signatures are trusted
    document = _register(clerk, notice_type, signed_twice)
    (attachment,) = document.attachments.all()
    first, second = attachment.signatures
    assert first["signer"] == "Nguyễn Công Danh" and first["valid"] and first["covers_revision"]
    assert second["valid"] and second["covers_whole_file"]
    assert first["signed_at"] == "2021-01-05T09:30:00+07:00"
    client.force_login(clerk)
    page = client.get(reverse("directives:detail", args=[document.pk])).content.decode()
    assert page.count('data-testid="received-signature"') == 2 and "Chữ ký số hợp lệ" in page


def test_a_signature_by_an_unknown_ca_is_intact_but_not_trusted(clerk, notice_type, signed_twice, client):
    document = _register(clerk, notice_type, signed_twice)
    first, _second = document.attachments.get().signatures
    assert first["intact"] and not first["trusted"] and not first["valid"]
    client.force_login(clerk)
    assert "chưa được tin cậy" in client.get(reverse("directives:detail", args=[document.pk])).content.decode()


def test_an_unsigned_received_pdf_says_so(clerk, notice_type, client):
    document = _register(clerk, notice_type, pdf.render_pdf(samples.THONG_BAO))
    assert document.attachments.get().signatures == []
    client.force_login(clerk)
    assert (
        "Tệp PDF không có chữ ký số." in client.get(reverse("directives:detail", args=[document.pk])).content.decode()
    )
