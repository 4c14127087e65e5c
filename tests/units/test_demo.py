"""The demo department."""

from django.contrib.auth.models import Group
from django.core.management import call_command

from directives.demo import CONG_VAN_SUBJECT
from directives.models import Document, Event, Revision
from lib.workdays import local_now
from notifications.models import Notification
from tasks.models import Task, TrackingClass
from tasks.tracking import with_tracking
from units.models import Agency, Membership, Organisation, Supervision, Unit, User
from units.roles import Role, start_page_for


def snapshot():
    return {
        model.__name__: sorted(map(repr, model.objects.values_list()))
        for model in (
            Agency,
            Unit,
            Organisation,
            User,
            Membership,
            Supervision,
            Document,
            Event,
            Revision,
            Notification,
        )
    }


def test_seed_demo_twice_changes_nothing(db):
    call_command("seed_demo", stdout=None)
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first


def test_seed_demo_builds_the_department_with_every_role(db):
    call_command("seed_demo")
    agency = Agency.objects.get(abbreviation="SKHCN")
    assert agency.parent_body == "UBND TỈNH BÀ RỊA - VŨNG TÀU"
    assert set(Unit.objects.values_list("abbreviation", flat=True)) >= {"VP", "TTr", "KHTC", "QLKH", "QLCN"}
    for unit in Unit.objects.filter(agency=agency):
        staff = Membership.objects.filter(unit=unit, is_head=False).count()
        assert Membership.objects.filter(unit=unit, is_head=True).count() == 1, unit
        assert 2 <= staff <= 4, unit
    expected = {
        "giamdoc": ("tasks:dashboard", Role.DIRECTOR),
        "phogiamdoc": ("tasks:dashboard", Role.DEPUTY_DIRECTOR),
        "vanthu": ("directives:desk", Role.CLERK),
        "truongphong": ("tasks:unit", Role.UNIT_HEAD),
        "chuyenvien": ("tasks:mine", Role.STAFF),
        "quantri": ("admin:index", Role.ADMINISTRATOR),
    }
    for username, (page, role) in expected.items():
        user = User.objects.get(username=username)
        assert user.check_password("demo12345")
        assert role in user.roles
        assert start_page_for(user) == page
    assert User.objects.get(username="truongphong").memberships.get().unit.abbreviation == "QLKH"
    assert User.objects.get(username="chuyenvien").memberships.get().unit.abbreviation == "QLKH"
    assert User.objects.get(username="giamdoc").supervised_units.exists()
    assert Organisation.objects.filter(name="Thủ tướng Chính phủ").exists()


def test_roles_are_groups_with_their_permissions(db):
    admin_group = Group.objects.get(name=Role.ADMINISTRATOR)
    codenames = set(admin_group.permissions.values_list("codename", flat=True))
    assert {"add_user", "change_unit", "import_people"} <= codenames
    assert not Group.objects.get(name=Role.STAFF).permissions.filter(codename="add_user").exists()


def test_seed_demo_has_documents_in_every_state(db):
    call_command("seed_demo")
    states = set(Document.objects.values_list("state", flat=True))
    assert states == set(Document.State.values)
    sample = Document.objects.get(subject=CONG_VAN_SUBJECT)
    assert (sample.state, sample.urgency, sample.symbol) == ("approved", "khan", "/SKHCN-VP")
    assert sample.references.filter(symbol="16/CT-TTg").exists()


def test_seed_demo_has_tasks_in_every_state_and_tracking_class(db):
    call_command("seed_demo")
    tasks = with_tracking(Task.objects.all(), at=local_now())
    assert set(tasks.values_list("state", flat=True)) == set(Task.State.values)
    assert set(tasks.values_list("tracking", flat=True)) == set(TrackingClass.values)
    assert Task.objects.filter(handler__username="chuyenvien").count() >= 8
    assert Task.objects.filter(document__isnull=False).values("document").distinct().count() >= 3


def test_seed_demo_has_a_sao_y_of_an_issued_document(db):
    from directives.models import Document, IssuedPdf

    call_command("seed_demo")
    copy = Document.objects.get(copy_form="SY")
    assert copy.symbol.endswith("/SY-SKHCN") and copy.copy_of.is_issued
    assert IssuedPdf.objects.filter(document=copy).exists()
