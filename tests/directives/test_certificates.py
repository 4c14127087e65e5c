"""Each leader keeps how they sign on their profile page; the issue job signs with theirs and
then the agency's; the document page lists both, in order."""

import io

import pytest
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from directives import certificates, official_pdf, signing, stamp_images
from directives.models import IssuedPdf, PersonalCertificate, SignerKind
from lib.errors import DomainError, NotAllowed
from tests.directives import test_official_pdf
from tests.directives.certificates import PASSPHRASE

issue_now = test_official_pdf.issue_now  # the fixture: issue a document and run its jobs


def _upload(client, url, bundle, passphrase, image=None):
    data = {"kind": SignerKind.PKCS12, "pkcs12_file": io.BytesIO(bundle), "passphrase": passphrase}
    data["pkcs12_file"].name = "chu-ky.p12"
    if image is not None:
        data["image"] = io.BytesIO(image)
        data["image"].name = "chu-ky.png"
    return client.post(url, data)


def test_a_leader_uploads_their_pkcs12_and_signature_image_on_their_profile(client, director, authority):
    client.force_login(director)
    url = reverse("directives:personal_certificate")
    page = client.get(url)
    assert page.status_code == 200 and "Chưa có chứng thư số" in page.content.decode()
    response = _upload(
        client, url, authority["pkcs12"], PASSPHRASE.decode(), stamp_images.signature_png("Lê Thị Carol")
    )
    assert response.status_code == 302
    record = PersonalCertificate.objects.get(user=director)
    assert "Nguyễn Công Danh" in record.subject and record.kind == SignerKind.PKCS12
    assert PASSPHRASE not in bytes(record.bundle) and bytes(record.bundle) != authority["pkcs12"]
    assert bytes(record.image).startswith(b"\x89PNG")
    assert "Nguyễn Công Danh" in client.get(url).content.decode()


def test_a_wrong_passphrase_is_refused_in_vietnamese_and_keeps_nothing(client, director, authority):
    client.force_login(director)
    response = _upload(client, reverse("directives:personal_certificate"), authority["pkcs12"], "sai")
    assert response.status_code == 400
    assert "mật khẩu không đúng" in response.content.decode()
    assert not PersonalCertificate.objects.exists()
    # The key file is not staged like other files: the page says to choose it again.
    assert "tệp đã chọn và mật khẩu không được giữ lại" in response.content.decode()


def test_a_signature_image_that_is_not_a_png_is_refused(director, authority):
    with pytest.raises(DomainError, match="PNG"):
        certificates.personal_certificate_save(
            user=director, by=director, data=authority["pkcs12"], passphrase=PASSPHRASE.decode(), image=b"GIF89a..."
        )
    assert not PersonalCertificate.objects.exists()


def test_only_the_person_and_their_administrator_keep_a_certificate(
    client, director, administrator, unit_head, outsider, authority
):
    url = reverse("directives:personal_certificate_for", args=[director.pk])
    for stranger in (unit_head, outsider):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
        with pytest.raises(NotAllowed):
            certificates.personal_certificate_save(
                user=director, by=stranger, data=authority["pkcs12"], passphrase=PASSPHRASE.decode()
            )
    client.force_login(administrator)
    assert client.get(url).status_code == 200
    assert _upload(client, url, authority["pkcs12"], PASSPHRASE.decode()).status_code == 302
    assert PersonalCertificate.objects.get(user=director).uploaded_by == administrator


def test_a_token_setting_without_the_module_configured_is_refused(director, settings):
    settings.SIGNING_PKCS11_MODULE = ""
    with pytest.raises(DomainError, match="PKCS#11"):
        certificates.personal_certificate_save(
            user=director, by=director, kind=SignerKind.PKCS11, token_label="vgca", key_label="carol"
        )


def test_issue_signs_with_the_leader_s_certificate_then_the_agency_s(
    issue_now, agency, administrator, director, authority, client, specialist
):
    certificates.personal_certificate_save(
        user=director,
        by=director,
        data=authority["pkcs12"],
        passphrase=PASSPHRASE.decode(),
        image=stamp_images.signature_png(director.get_full_name()),
    )
    official_pdf.signing_certificate_upload(
        agency=agency,
        by=administrator,
        data=authority["agency_pkcs12"],
        passphrase=PASSPHRASE.decode(),
        seal=stamp_images.seal_png(agency.name),
    )
    document = issue_now()
    record = IssuedPdf.objects.get(document=document)
    assert record.state == IssuedPdf.State.READY and record.signed
    first, second = official_pdf.issued_pdf_verify(record)
    assert first.field_name == signing.PERSONAL_FIELD and first.valid and first.covers_revision
    assert second.field_name == signing.AGENCY_FIELD and second.valid and second.covers_whole_file
    reader = PdfFileReader(io.BytesIO(official_pdf.issued_pdf_read(record)))
    one, two = reader.embedded_signatures
    assert one.sig_object["/Name"] == director.get_full_name() and two.sig_object["/Name"] == agency.name
    client.force_login(specialist)
    panel = client.get(reverse("directives:pdf_status", args=[document.pk])).content.decode()
    assert panel.count('data-testid="signature"') == 2
    assert panel.index("Chữ ký 1:") < panel.index("Nguyễn Công Danh") < panel.index("Chữ ký 2:")
    assert "bao trùm toàn bộ tệp" in panel and "bao trùm phiên bản tệp lúc ký" in panel


def test_without_the_leader_s_certificate_only_the_agency_signs(issue_now, agency, administrator, authority):
    official_pdf.signing_certificate_upload(
        agency=agency, by=administrator, data=authority["agency_pkcs12"], passphrase=PASSPHRASE.decode()
    )
    record = IssuedPdf.objects.get(document=issue_now())
    (only,) = official_pdf.issued_pdf_verify(record)
    assert only.field_name == signing.AGENCY_FIELD and only.valid


def test_a_personal_certificate_is_recorded_in_the_audit_trail_without_the_key(director, authority):
    from audit.models import AuditRecord

    certificates.personal_certificate_save(
        user=director, by=director, data=authority["pkcs12"], passphrase=PASSPHRASE.decode()
    )
    (record,) = AuditRecord.objects.filter(object_type="directives.personalcertificate")
    assert record.agency_id == director.agency_id
    assert record.changes["bundle"] == [None, "***"] and "subject" in record.changes


def test_the_agency_s_administrator_installs_its_certificate_and_seal_in_the_admin(
    client, administrator, agency, authority
):
    from directives.models import SigningCertificate

    client.force_login(administrator)
    bundle, seal = io.BytesIO(authority["agency_pkcs12"]), io.BytesIO(stamp_images.seal_png(agency.name))
    bundle.name, seal.name = "co-quan.p12", "con-dau.png"
    response = client.post(
        reverse("admin:directives_signingcertificate_add"),
        {"agency": agency.pk, "kind": SignerKind.PKCS12, "pkcs12_file": bundle, "passphrase": PASSPHRASE.decode(),
         "seal": seal},
    )  # fmt: skip
    assert response.status_code == 302
    record = SigningCertificate.objects.get(agency=agency)
    assert "Bà Rịa - Vũng Tàu" in record.subject and bytes(record.image).startswith(b"\x89PNG")


def test_the_user_menu_offers_the_page_to_leaders_only(client, director, specialist):
    url = reverse("directives:personal_certificate")
    client.force_login(director)
    assert url in client.get(reverse("directives:desk")).content.decode()
    client.force_login(specialist)
    assert url not in client.get(reverse("directives:desk")).content.decode()
