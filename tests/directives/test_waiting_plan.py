"""What waits for a person's review or signature is read through the pending_with index on
PostgreSQL, for him and whom he stands in for, not by testing every document in review or signing
of the installation (issue #19)."""

import pytest
from django.db import connection, transaction

from directives.models import Document
from directives.selectors import documents_waiting_for

pytestmark = pytest.mark.postgres


def test_the_waiting_documents_are_read_through_the_pending_with_index(make_draft, director, unit_head, specialist):
    waiting = make_draft(subject="Chờ giám đốc ký")
    Document.objects.filter(pk=waiting.pk).update(state=Document.State.SIGNING, pending_with=director)
    for n in range(30):  # in review with someone else
        other = make_draft(subject=f"Chờ trưởng phòng {n}")
        Document.objects.filter(pk=other.pk).update(state=Document.State.REVIEW, pending_with=unit_head)
    documents = documents_waiting_for(user=director)
    assert [d.pk for d in documents] == [waiting.pk]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: make the planner choose an index
        sql, params = documents.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Cond: (pending_with_id = " in plan, plan
