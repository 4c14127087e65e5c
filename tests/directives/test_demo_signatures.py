"""The demo installs a test CA, the director's, the deputy's and the agency's certificates, so a
newcomer's issued PDFs carry both signatures, each with its image."""

import io

from django.core.management import call_command
from pyhanko.pdf_utils.reader import PdfFileReader

from directives import official_pdf, signing
from directives.models import IssuedPdf, PersonalCertificate, SigningCertificate


def test_the_demo_s_issued_pdfs_are_signed_twice_with_images(db):
    call_command("seed_demo")
    assert set(PersonalCertificate.objects.values_list("user__username", flat=True)) == {"giamdoc", "phogiamdoc"}
    seal = SigningCertificate.objects.get()
    assert bytes(seal.image).startswith(b"\x89PNG")
    records = list(IssuedPdf.objects.select_related("document__signer"))
    assert records
    for record in records:  # what the worker does after `make run`
        official_pdf.issued_pdf_render(record.document_id)
        record.refresh_from_db()
        assert record.state == IssuedPdf.State.READY and record.signed
        if record.document.copy_form:  # the demo's sao y: signed for the agency alone (TL.)
            (only,) = official_pdf.issued_pdf_verify(record)
            assert only.signer_common_name == record.document.agency.name and only.covers_whole_file
            continue
        first, second = official_pdf.issued_pdf_verify(record)
        assert first.signer_common_name == record.document.signer.get_full_name()
        assert first.valid and first.covers_revision and not first.covers_whole_file
        assert second.signer_common_name == record.document.agency.name
        assert second.valid and second.covers_whole_file
        reader = PdfFileReader(io.BytesIO(official_pdf.issued_pdf_read(record)))
        for embedded in reader.embedded_signatures:
            resources = embedded.sig_field["/AP"]["/N"].get_object()["/Resources"]
            assert "/XObject" in resources  # the image (signature, then seal)
        assert [e.field_name for e in reader.embedded_signatures] == [signing.PERSONAL_FIELD, signing.AGENCY_FIELD]


def test_a_second_seed_keeps_the_certificates(db):
    call_command("seed_demo")
    before = list(PersonalCertificate.objects.values_list("pk", "subject", "bundle"))
    call_command("seed_demo")
    assert list(PersonalCertificate.objects.values_list("pk", "subject", "bundle")) == before
