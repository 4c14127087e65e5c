"""The document page runs a fixed number of SQL queries, at most 15, however many deliveries,
events, citations, files, tasks and exchange recipients the document has (issue #19, DESIGN §5)."""

from itertools import count

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directives import services
from directives.models import Attachment, Delivery, Document, Event, Recipient, Reference
from exchange.models import Outgoing
from tasks import services as task_services
from tests import factories
from units.roles import Role

PAGE_BUDGET = 15
serial = count()


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def add_rows(document, *, n, by, director, agency, unit, exchange=True):
    """``n`` more of each thing the page lists; with ``exchange``, recipients it was sent to over the exchange."""
    for _ in range(n):
        i = next(serial)
        other = factories.UnitFactory(agency=agency, abbreviation=f"U{i}", name=f"Phòng số {i}")
        factories.PersonFactory(username=f"member{i}", agency=agency, unit=other)
        Recipient.objects.create(document=document, unit=other)
        Delivery.objects.create(document=document, unit=other)
        if exchange:
            organisation = factories.OrganisationFactory(name=f"Cơ quan {i}", exchange_id=f"H37.X.{i:03}")
            Recipient.objects.create(document=document, organisation=organisation)
            Outgoing.objects.create(
                agency=agency, kind=Outgoing.Kind.PACKAGE, to_id=organisation.exchange_id, organisation=organisation,
                document=document, state=Outgoing.State.SENT,
            )  # fmt: skip
        Event.objects.create(document=document, actor=by, action=Event.Action.GRANTED, comment=f"Lần {i}")
        citing = services.document_create(by=by, doc_type=document.doc_type, subject=f"Trích dẫn {i}", signer=director)
        Reference.objects.create(document=citing, target=document)
        Reference.objects.create(document=document, symbol=f"{i}/QĐ-UBND", doc_type="Quyết định")
        # an issued document takes no new file through the service: the row as the service leaves it
        Attachment.objects.create(
            document=document, file=SimpleUploadedFile(f"phu-luc-{i}.txt", b"x"), name=f"phu-luc-{i}.txt", size=1,
            sha256="0" * 64, uploaded_by=by, signatures=[],
        )  # fmt: skip
        task_services.task_create(by=director, title=f"Nhiệm vụ {i}", lead_unit=unit, document=document)


@pytest.mark.parametrize("reader", ["director", "clerk", "unit_head"])
def test_the_document_page_runs_a_fixed_number_of_queries(
    client, reader, request, make_approved, specialist, director, clerk, science_unit, agency
):
    """The same count at one and at six deliveries, events, citations, files, tasks and exchange recipients."""
    document = services.document_issue(document=make_approved(), by=clerk)
    rows = {"by": specialist, "director": director, "agency": agency, "unit": science_unit}
    add_rows(document, n=1, **rows)
    url = reverse("directives:detail", args=[document.pk])
    client.force_login(request.getfixturevalue(reader))
    client.get(url)  # the first visit records the read receipt; the count is of a visit after it
    one = queries_of(client, url)

    add_rows(Document.objects.get(pk=document.pk), n=5, **rows)

    assert queries_of(client, url) == one


def test_the_document_page_stays_within_its_budget(
    client, make_approved, specialist, director, clerk, science_unit, agency
):
    """The director's page, as bench/run measures it."""
    document = services.document_issue(document=make_approved(), by=clerk)
    add_rows(document, n=3, by=specialist, director=director, agency=agency, unit=science_unit, exchange=False)
    url = reverse("directives:detail", args=[document.pk])
    client.force_login(director)
    client.get(url)

    assert queries_of(client, url) <= PAGE_BUDGET


@pytest.fixture
def colleague(science_unit):
    """A specialist of the science unit who had no hand in the document (bench.chuyenvien's case)."""
    return factories.PersonFactory(
        username="hana", full_name="Ngô Thị Hana", agency=science_unit.agency, roles=[Role.STAFF],
        unit=science_unit, position="Chuyên viên",
    )  # fmt: skip


@pytest.mark.parametrize(("reader", "budget"), [("colleague", PAGE_BUDGET), ("unit_head", PAGE_BUDGET - 2)])
def test_the_document_page_stays_within_its_budget_for_people_who_are_not_leaders(
    client, reader, budget, request, make_approved, specialist, director, clerk, science_unit, agency
):
    """The tasks panel (tasks.templatetags.document_tasks) reads the person's units once for both
    its rules (whether he may give tasks, which tasks he sees): 15 for a specialist (was 16), 13
    for a unit head, who may give tasks without the permissions read (was 16). The author also
    sees who read it (one query more: 16, was 17)."""
    document = services.document_issue(document=make_approved(), by=clerk)
    add_rows(document, n=3, by=specialist, director=director, agency=agency, unit=science_unit, exchange=False)
    url = reverse("directives:detail", args=[document.pk])
    client.force_login(request.getfixturevalue(reader))
    client.get(url)

    assert queries_of(client, url) <= budget
