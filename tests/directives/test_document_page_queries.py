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
    """The director's page, as bench/run measures it. (For people who are not leaders the tasks
    panel, tasks.templatetags, reads their units in two queries of its own: 16-17 in all.)"""
    document = services.document_issue(document=make_approved(), by=clerk)
    add_rows(document, n=3, by=specialist, director=director, agency=agency, unit=science_unit, exchange=False)
    url = reverse("directives:detail", args=[document.pk])
    client.force_login(director)
    client.get(url)

    assert queries_of(client, url) <= PAGE_BUDGET
