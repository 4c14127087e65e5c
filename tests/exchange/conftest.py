"""Two agencies of one installation exchanging documents (docs/exchange.md, "The flow").

Sở Khoa học và Công nghệ (SKHCN, identity H37.DN.001: alice the clerk, carol the director) sends;
Sở Công Thương (SCT, identity H37.DN.002: olga the clerk, quentin the director, rita the head of
its planning office, sam her specialist; oscar is a plain member) receives. The transport is not
what these tests are about: ``Courier`` hands each queued ``Outgoing`` row to the other side's
services as the bytes a transport would carry.
"""

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from directives import services as directives
from directives.models import Document, IssuedPdf
from exchange import edxml
from exchange import services as exchange
from exchange.models import Outgoing
from tests import factories
from units.models import Agency, Organisation
from units.roles import Role


@pytest.fixture
def skhcn(agency):
    agency.exchange_id = "H37.DN.001"
    agency.save(update_fields=["exchange_id"])
    return agency


@pytest.fixture
def sct(outsider):
    other = outsider.agency
    other.exchange_id = "H37.DN.002"
    other.save(update_fields=["exchange_id"])
    return other


@pytest.fixture
def sct_clerk(sct):
    return factories.PersonFactory(
        username="olga", full_name="Phạm Thị Olga", agency=sct, roles=[Role.CLERK, Role.STAFF],
        unit=sct.units.first(), position="Văn thư",
    )  # fmt: skip


@pytest.fixture
def sct_planning(sct):
    return factories.UnitFactory(agency=sct, abbreviation="KHTC", name="Phòng Kế hoạch - Tài chính")


@pytest.fixture
def sct_director(sct, sct_planning):
    person = factories.PersonFactory(
        username="quentin", full_name="Hoàng Văn Quentin", agency=sct, roles=[Role.DIRECTOR], title="Giám đốc"
    )
    person.supervisions.create(unit=sct_planning)
    return person


@pytest.fixture
def sct_head(sct_planning):
    return factories.PersonFactory(
        username="rita", full_name="Vũ Thị Rita", agency=sct_planning.agency, roles=[Role.UNIT_HEAD, Role.STAFF],
        unit=sct_planning, position="Trưởng phòng", is_head=True,
    )  # fmt: skip


@pytest.fixture
def sct_staff(sct_planning):
    return factories.PersonFactory(
        username="sam", full_name="Đinh Văn Sam", agency=sct_planning.agency, roles=[Role.STAFF],
        unit=sct_planning, position="Chuyên viên",
    )  # fmt: skip


@pytest.fixture
def sct_organisation(sct):
    """How SKHCN addresses SCT: an outside organisation carrying SCT's identity."""
    return factories.OrganisationFactory(name="Sở Công Thương", exchange_id="H37.DN.002")


@pytest.fixture(scope="session")
def signed_pdf(authority):
    from directives import pdf, signing
    from tests.directives import samples
    from tests.directives.certificates import PASSPHRASE

    return signing.sign_pdf(
        pdf.render_pdf(samples.THONG_BAO), pkcs12=authority["pkcs12"], passphrase=PASSPHRASE,
        signer_name="Lê Thị Carol", agency_name="Sở Khoa học và Công nghệ",
        signed_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
    )  # fmt: skip


@pytest.fixture
def sent(skhcn, sct, sct_organisation, make_draft, specialist, unit_head, director, clerk, signed_pdf,
         django_capture_on_commit_callbacks):  # fmt: skip
    """A notice of SKHCN issued to SCT (and to a body without identity), with a signed PDF attached."""
    paper_only = factories.OrganisationFactory(name="Báo Bà Rịa - Vũng Tàu")
    document = make_draft(recipient_organisations=[sct_organisation, paper_only], urgency="khan")
    directives.attachment_add(
        document=document, by=specialist,
        file=SimpleUploadedFile("Quyết định đã ký.pdf", signed_pdf, content_type="application/pdf"),
    )  # fmt: skip
    directives.document_submit(document=document, by=specialist)
    directives.document_forward(document=document, by=unit_head)
    directives.document_approve(document=document, by=director)
    with django_capture_on_commit_callbacks(execute=True):
        directives.document_issue(document=Document.objects.get(pk=document.pk), by=clerk)
    document.refresh_from_db()
    assert document.issued_pdf.state == IssuedPdf.State.READY
    return document


class Courier:
    """Carries queued rows to the other side in-process, as a transport would (each row once)."""

    def __init__(self):
        self.carried: set[int] = set()

    def bytes_of(self, row: Outgoing) -> bytes:
        if row.kind == Outgoing.Kind.PACKAGE:
            return edxml.package_build(exchange.package_of_document(row.document))
        agency = row.agency
        to = Organisation.objects.filter(exchange_id=row.to_id).first() or Agency.objects.get(exchange_id=row.to_id)
        return edxml.status_build(
            edxml.Status(
                code=row.code,
                from_=edxml.Party(agency.exchange_id, agency.name),
                to=edxml.Party(row.to_id, to.name),
                document_id=row.package_document_id,
                code_notation=row.code_notation,
                timestamp=row.created_at,
                description=row.description,
                staff=row.staff,
            )
        )

    def carry(self, row: Outgoing, *, message_id: str | None = None):
        """Deliver one row; answer what the receiving service answered."""
        self.carried.add(row.pk)
        data = self.bytes_of(row)
        Outgoing.objects.filter(pk=row.pk).update(state=Outgoing.State.SENT, sent_at=timezone.now())
        message_id = f"test-{row.pk}" if message_id is None else message_id
        if row.kind == Outgoing.Kind.PACKAGE:
            return exchange.arrival_store(
                data=data, transport="test", message_id=message_id, sender_id=row.agency.exchange_id
            )
        return exchange.status_apply(data=data, transport="test", message_id=message_id)

    def pending(self, **filters) -> list[Outgoing]:
        rows = Outgoing.objects.filter(state=Outgoing.State.PENDING, **filters).exclude(pk__in=self.carried)
        return list(rows.select_related("agency", "document").order_by("pk"))

    def carry_all(self, **filters) -> list:
        return [self.carry(row) for row in self.pending(**filters)]


@pytest.fixture
def courier():
    return Courier()
