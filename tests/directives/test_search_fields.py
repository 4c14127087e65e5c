"""The document search reads the signer and the sender organisation, and takes a range of dates."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse
from rest_framework.test import APIClient

from directives import services
from directives.models import Document
from directives.selectors import DocumentFilters, document_search
from tests import factories


@pytest.fixture
def sender(db):
    return factories.OrganisationFactory(name="Ủy ban nhân dân tỉnh Quảng Trị")


@pytest.fixture
def documents(make_draft, clerk, notice_type, sender):
    draft = make_draft(subject="Kế hoạch kiểm tra đo lường")  # signer: Lê Thị Carol
    first = services.incoming_register(
        by=clerk, sender=sender, symbol="15/UBND-KT", issued_on=date(2026, 3, 2), doc_type=notice_type,
        subject="Về việc triển khai chuyển đổi số", received_on=date(2026, 3, 5),
    )  # fmt: skip
    second = services.incoming_register(
        by=clerk, sender=factories.OrganisationFactory(name="Bộ Khoa học và Công nghệ"), symbol="88/BKHCN-VP",
        issued_on=date(2026, 3, 20), doc_type=notice_type, subject="Về việc báo cáo quý I",
        received_on=date(2026, 3, 25),
    )  # fmt: skip
    return draft, first, second


def found(user, **filters) -> set[int]:
    return set(document_search(user=user, filters=DocumentFilters(**filters)).values_list("pk", flat=True))


@pytest.mark.parametrize("query", ["le thi carol", "Lê Thị Carol", "CAROL"])
def test_the_signer_is_searched(documents, director, query):
    """The defect: the signer's name found nothing."""
    draft, _first, _second = documents
    assert found(director, q=query) == {draft.pk}


@pytest.mark.parametrize("query", ["uy ban nhan dan tinh quang tri", "quảng trị", "UBND tinh"])
def test_the_sender_organisation_is_searched(documents, clerk, query):
    _draft, first, _second = documents
    assert first.pk in found(clerk, q=query)


def test_the_migration_refills_the_search_text_with_the_signer(documents, director):
    Document.objects.update(search_text="")
    migration = importlib.import_module("directives.migrations.0009_search_text_with_signer")
    migration.refill_search_text(apps, None)
    assert found(director, q="le thi carol") == {documents[0].pk}


def test_date_from_is_not_ignored(documents, clerk):
    """The defect: ``date_from`` was ignored. Incoming documents count by their day of arrival."""
    _draft, first, second = documents
    incoming = {first.pk, second.pk}
    assert found(clerk, date_from=date(2026, 3, 10)) & incoming == {second.pk}
    assert found(clerk, date_to=date(2026, 3, 10)) & incoming == {first.pk}
    assert found(clerk, date_from=date(2026, 3, 5), date_to=date(2026, 3, 25)) & incoming == incoming
    assert found(clerk, date_from=date(2026, 3, 6), date_to=date(2026, 3, 24)) & incoming == set()


def test_the_search_page_takes_the_range_and_refuses_a_reversed_one(client, documents, clerk):
    _draft, first, second = documents
    client.force_login(clerk)
    html = client.get(reverse("directives:search"), {"date_from": "2026-03-10"}).content.decode()
    assert second.subject in html
    assert first.subject not in html
    html = client.get(reverse("directives:incoming"), {"date_from": "2026-03-10", "date_to": "2026-03-01"}).content
    html = html.decode()
    assert "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu." in html
    assert 'name="date_from" value="2026-03-10"' in html


def test_the_api_takes_the_same_range(documents, clerk):
    _draft, first, second = documents
    api = APIClient()
    api.force_authenticate(clerk)
    rows = api.get("/api/v1/directives", {"date_from": "2026-03-10", "q": "bao cao"}).json()["results"]
    assert [row["id"] for row in rows] == [second.pk]
    response = api.get("/api/v1/directives", {"date_from": "2026-03-10", "date_to": "2026-03-01"})
    assert response.status_code == 400
    assert "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu." in str(response.json())
