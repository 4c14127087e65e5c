"""Personas shared by every test: alice the clerk, bob the unit head, carol the director,
dave the specialist (staff of bob's unit) and oscar the outsider from another agency."""

import datetime

import pytest
from django.db import connection

from directives import services
from directives.models import DocumentType
from tests import factories
from tests.directives.certificates import make_authority
from units.roles import Role


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(pytest.mark.django_db(transaction=True))
    # Transactional tests flush the database when they end: run them last (stable sort).
    items.sort(key=lambda item: "postgres" in item.keywords)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 at full strength makes every sign-in in the suite take ~0.3 s.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _cache_from_nothing():
    """A shared cache (CACHE_URL: Redis, as the PostgreSQL pass of CI runs) outlives the run; the
    suite starts from an empty one, as each process's memory cache does."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded and generated files go to a fresh folder per test, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """The holiday calendar is cached per process; each test starts from its own table."""
    from tasks.calendar import calendar_invalidate

    calendar_invalidate()
    yield
    calendar_invalidate()


@pytest.fixture(autouse=True)
def _eager_jobs():
    """Jobs run in the test's own process; the worker itself is exercised by the reminder tests."""
    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _background_healthy():
    """Pages read the background queue's state from a short cache (ops.background.queue_state);
    every test starts with a healthy one that never expires, so page query counts stay exact.
    Tests of the delay notice clear it."""
    from datetime import UTC, datetime

    from django.core.cache import cache

    from ops.background import _STATE_KEY, QueueState

    cache.set(_STATE_KEY, QueueState(heartbeat_at=datetime.max.replace(tzinfo=UTC), oldest_due_at=None), None)
    yield
    cache.delete(_STATE_KEY)


@pytest.fixture(autouse=True)
def _skip_postgres_only(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://… (CI does)")


@pytest.fixture
def agency(db):
    return factories.AgencyFactory(abbreviation="SKHCN", name="Sở Khoa học và Công nghệ")


@pytest.fixture
def office(agency):
    return factories.UnitFactory(agency=agency, abbreviation="VP", name="Văn phòng Sở")


@pytest.fixture
def science_unit(agency):
    return factories.UnitFactory(agency=agency, abbreviation="QLKH", name="Phòng Quản lý Khoa học")


@pytest.fixture
def clerk(office):
    return factories.PersonFactory(
        username="alice",
        full_name="Nguyễn Thị Alice",
        agency=office.agency,
        roles=[Role.CLERK, Role.STAFF],
        unit=office,
        position="Văn thư",
    )


@pytest.fixture
def unit_head(science_unit):
    return factories.PersonFactory(
        username="bob",
        full_name="Trần Văn Bob",
        agency=science_unit.agency,
        roles=[Role.UNIT_HEAD, Role.STAFF],
        unit=science_unit,
        position="Trưởng phòng",
        is_head=True,
    )


@pytest.fixture
def director(agency, science_unit, office):
    person = factories.PersonFactory(
        username="carol", full_name="Lê Thị Carol", agency=agency, roles=[Role.DIRECTOR], title="Giám đốc"
    )
    person.supervisions.create(unit=science_unit)
    person.supervisions.create(unit=office)
    return person


@pytest.fixture
def specialist(science_unit):
    return factories.PersonFactory(
        username="dave",
        full_name="Phạm Văn Dave",
        agency=science_unit.agency,
        roles=[Role.STAFF],
        unit=science_unit,
        position="Chuyên viên",
    )


@pytest.fixture
def administrator(agency):
    return factories.PersonFactory(username="erin", full_name="Võ Thị Erin", agency=agency, roles=[Role.ADMINISTRATOR])


@pytest.fixture
def outsider(db):
    other = factories.AgencyFactory(abbreviation="SCT", name="Sở Công Thương")
    unit = factories.UnitFactory(agency=other, abbreviation="VP", name="Văn phòng Sở Công Thương")
    return factories.PersonFactory(
        username="oscar", full_name="Đỗ Văn Oscar", agency=other, roles=[Role.STAFF], unit=unit, position="Chuyên viên"
    )


# --- Documents, shared by every app's tests ---


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


# --- A confidential document and what is made from it (issue #12, item 2) ---

SECRET_SUBJECT = "Phương án bảo vệ mục tiêu trọng yếu K-47"


@pytest.fixture
def planning(agency):
    return factories.UnitFactory(agency=agency, abbreviation="KH", name="Phòng Kế hoạch")


@pytest.fixture
def planning_head(planning):
    """henry heads a unit the confidential document was never sent to: no grant."""
    return factories.PersonFactory(
        username="henry", full_name="Hồ Văn Henry", agency=planning.agency, roles=[Role.UNIT_HEAD, Role.STAFF],
        unit=planning, position="Trưởng phòng", is_head=True,
    )  # fmt: skip


@pytest.fixture
def planning_staff(planning):
    """ivy handles the task given from the confidential document: no grant."""
    return factories.PersonFactory(
        username="ivy", full_name="Đặng Thị Ivy", agency=planning.agency, roles=[Role.STAFF], unit=planning,
        position="Chuyên viên",
    )  # fmt: skip


@pytest.fixture
def planning_deputy(agency, planning):
    """kate, a deputy director who supervises the planning unit and holds no grant."""
    person = factories.PersonFactory(
        username="kate", full_name="Lý Thị Kate", agency=agency, roles=[Role.DEPUTY_DIRECTOR]
    )
    person.supervisions.create(unit=planning)
    return person


@pytest.fixture
def secret_document(make_approved, clerk):
    """An issued «Mật» notice: dave drafted it, bob forwarded it, carol signed it, alice issued it."""
    return services.document_issue(document=make_approved(confidentiality="mat", subject=SECRET_SUBJECT), by=clerk)


@pytest.fixture
def secret_task(secret_document, director, planning, planning_head, planning_staff):
    """carol gives point 2 of the confidential notice to the planning unit; henry assigns it to ivy."""
    from tasks import services as task_services
    from tasks.models import Task

    task = task_services.task_create(
        by=director, title="Chuẩn bị lực lượng theo điểm 2", document=secret_document, point="2",
        lead_unit=planning, deadline=secret_document.issued_on + datetime.timedelta(days=20),
    )  # fmt: skip
    task_services.task_assign(task=task, by=planning_head, handler=planning_staff)
    return Task.objects.get(pk=task.pk)
