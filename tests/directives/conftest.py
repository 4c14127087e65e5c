import pytest

from directives import services
from directives.models import DocumentType
from tests.directives.certificates import make_authority


@pytest.fixture
def notice_type(db):
    return DocumentType.objects.get(abbreviation="TB")


@pytest.fixture
def cong_van(db):
    return DocumentType.objects.get(name="Công văn")


@pytest.fixture
def make_draft(specialist, unit_head, director, science_unit, notice_type):
    """A draft by dave in the science unit, to be signed by carol."""

    def make(by=None, **fields):
        fields.setdefault("doc_type", notice_type)
        fields.setdefault("subject", "Triển khai nhiệm vụ khoa học năm 2027")
        fields.setdefault("body", "<p>Các phòng triển khai.</p>")
        fields.setdefault("signer", director)
        fields.setdefault("recipient_units", [science_unit])
        return services.document_create(by=by or specialist, **fields)

    return make


@pytest.fixture
def make_approved(make_draft, specialist, unit_head, director):
    """A document signed by carol, waiting for the clerk."""

    def make(**fields):
        document = make_draft(**fields)
        services.document_submit(document=document, by=specialist)
        services.document_forward(document=document, by=unit_head)
        services.document_approve(document=document, by=director)
        document.refresh_from_db()
        return document

    return make


@pytest.fixture(scope="session")
def authority():
    """A throw-away CA and a signer certificate, bundled as PKCS#12 (see certificates.py)."""
    return make_authority()
