"""The document search is answered through the trigram index on PostgreSQL, not a table scan, and
within the person's agency through the index's agency key (issue #19)."""

import pytest
from django.db import connection, transaction

from directives.models import Document
from directives.selectors import DocumentFilters, document_search
from lib.text import fold

pytestmark = pytest.mark.postgres

SUBJECTS = [
    "Kế hoạch kiểm tra đo lường năm {n}",
    "Báo cáo kết quả chuyển đổi số quý {n}",
    "Hướng dẫn thi đua, khen thưởng đợt {n}",
]


@pytest.fixture
def many_documents(make_draft, specialist, science_unit, notice_type):
    """A few hundred documents, three of them about quarantine (cách ly)."""
    wanted = [make_draft(subject=f"Phương án cách ly tập trung số {n}") for n in range(3)]
    others = []
    for n in range(400):
        subject = SUBJECTS[n % len(SUBJECTS)].format(n=n)
        others.append(
            Document(
                agency=science_unit.agency,
                doc_type=notice_type,
                subject=subject,
                drafting_unit=science_unit,
                author=specialist,
                search_text=fold(f"{subject} {notice_type.name}"),
            )
        )
    Document.objects.bulk_create(others)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directives_document")
    return wanted


def plan_of(queryset) -> str:
    sql, params = queryset.all()[:50].query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # At a few hundred rows a scan is cheapest; forbid it so the plan shows what the index can serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def uses_a_trigram_index(plan: str) -> bool:
    """Either trigram index: with every document in one agency (these tests) the agency key
    narrows nothing and the planner rightly takes the words-only one."""
    return " on directives_doc_search_trgm " in plan or " on directives_doc_search_agency_trgm " in plan


@pytest.mark.parametrize("persona", ["director", "specialist"])
def test_search_uses_the_trigram_index(many_documents, persona, request):
    user = request.getfixturevalue(persona)
    found = document_search(user=user, filters=DocumentFilters(q="CÁCH ly"))

    assert sorted(d.pk for d in found) == sorted(d.pk for d in many_documents)
    assert uses_a_trigram_index(plan_of(found))


def test_every_word_of_the_search_is_indexable(many_documents, director):
    found = document_search(user=director, filters=DocumentFilters(q="cach ly tap trung", year=2099))

    assert uses_a_trigram_index(plan_of(found))


def index_condition(plan: str, index: str) -> str:
    """The «Index Cond» of the scan of ``index`` in an EXPLAIN text."""
    lines = plan.splitlines()
    start = next(n for n, line in enumerate(lines) if f" on {index} " in f"{line} ")
    return next(line for line in lines[start + 1 :] if "Index Cond" in line)


@pytest.mark.parametrize("persona", ["director", "specialist"])
def test_search_matches_words_within_the_agency(many_documents, persona, request, outsider, notice_type):
    """The agency and the words are one index condition: the trigram match never collects the
    other agencies' documents before the agency filter throws them away."""
    Document.objects.bulk_create(
        Document(
            agency=outsider.agency, doc_type=notice_type, subject=f"Phương án cách ly số {n}", author=outsider,
            search_text=fold(f"Phương án cách ly số {n} {notice_type.name}"),
        )
        for n in range(200)
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directives_document")
    user = request.getfixturevalue(persona)
    found = document_search(user=user, filters=DocumentFilters(q="cach ly"))

    assert sorted(d.pk for d in found) == sorted(d.pk for d in many_documents)
    condition = index_condition(plan_of(found), "directives_doc_search_agency_trgm")
    assert "agency_id =" in condition
    assert "search_text ~~" in condition
