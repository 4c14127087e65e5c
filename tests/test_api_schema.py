"""schemathesis over the whole OpenAPI schema, signed in as a clerk and as a director.

Every operation gets a bounded number of generated requests (valid and invalid), sent to the
WSGI application in this process, so it reads and writes the test database of this test.
Each answer must not be a 5xx and must match the schema: its status is listed, its content
type is the one declared, and its body validates (the error shape included).

schemathesis' lazy ``from_fixture`` loader does not run on pytest 9 (it sets ``_nodeid``),
so the schema is loaded at import from the application itself; it needs no database.
"""

import datetime

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from directives import services as documents
from tasks import services as tasks
from tests import factories
from units.services import api_token_issue

# Bounded so both personas over every operation stay within a few minutes on 2 cores.
MAX_EXAMPLES = 6

schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    application,
    config=schemathesis.Config.from_dict({"generation": {"max-examples": MAX_EXAMPLES}}),
)


@pytest.fixture
def world(clerk, director, unit_head, specialist, make_approved, science_unit, office, cong_van):
    """A few documents and tasks in every state the operations act on."""
    issued = documents.document_issue(document=make_approved(), by=clerk)
    make_approved(subject="Kế hoạch chuyển đổi số năm 2027")
    sender = factories.OrganisationFactory(name="Ủy ban nhân dân tỉnh")
    incoming = documents.incoming_register(
        by=clerk,
        sender=sender,
        symbol="12/UBND-KT",
        issued_on=datetime.date(2026, 3, 2),
        doc_type=cong_van,
        subject="Về việc báo cáo tình hình thực hiện nhiệm vụ",
    )
    task = tasks.task_create(by=director, title="Rà soát đề tài chậm tiến độ", lead_unit=science_unit, document=issued)
    tasks.task_assign(task=task, by=unit_head, handler=specialist)
    tasks.task_report(task=task, by=specialist, text="Đã rà soát 3 đề tài.", percent=40)
    tasks.task_create(by=director, title="Tổng hợp báo cáo quý", lead_unit=office, deadline=datetime.date(2027, 3, 31))
    return {"issued": issued, "incoming": incoming, "task": task}


@pytest.fixture
def connection_kept():
    """Keep the test's connection across the requests, as Django's test client does: the WSGI
    handler's request signals would close it (it is inside the test's transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def aim_at_real_objects(case, world: dict) -> None:
    """Point half the generated ids at a document or task of ``world``, so the actions and pages
    run on real rows and not only answer 404."""
    pk = (case.path_parameters or {}).get("id")
    if not isinstance(pk, int) or isinstance(pk, bool) or pk % 2:
        return
    path = case.operation.path
    if path.startswith("/api/v1/tasks/"):
        case.path_parameters["id"] = world["task"].pk
    elif path.startswith("/api/v1/incoming/"):
        case.path_parameters["id"] = world["incoming"].pk
    elif path.startswith("/api/v1/directives/"):
        case.path_parameters["id"] = world["issued" if pk % 4 else "incoming"].pk


@pytest.mark.slow
@pytest.mark.parametrize("persona", ["clerk", "director"])
@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True)
def test_api_answers_match_the_schema_and_never_fail(case, persona, world, connection_kept, request):
    token = api_token_issue(user=request.getfixturevalue(persona))
    aim_at_real_objects(case, world)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )
