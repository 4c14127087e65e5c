"""Rights in the Django admin follow the pages' rules: erin, the administrator of carol's agency,
reaches only her own agency; nobody raises their own rights (issue #12, item 1)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tasks.models import Holiday, ReminderRule
from tests import factories
from units.models import Agency, Membership, Unit, User
from units.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def erin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def oscar_unit(outsider):
    return outsider.memberships.get().unit


def person_form(person: User, **fields) -> dict:
    """What the change form of ``person`` posts, with ``fields`` changed."""
    data = {
        "username": person.username,
        "full_name": person.full_name,
        "email": person.email,
        "phone": "",
        "title": person.title,
        "agency": person.agency_id or "",
        "is_active": "on",
        "groups": [group.pk for group in person.groups.all()],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "supervisions-TOTAL_FORMS": "0",
        "supervisions-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


def test_the_people_list_shows_only_the_administrators_agency(erin_client, specialist, outsider):
    page = erin_client.get(reverse("admin:units_user_changelist")).content.decode()
    assert specialist.full_name in page
    assert outsider.full_name not in page


@pytest.mark.parametrize(
    "view", ["units_user_change", "units_user_history", "units_user_delete", "auth_user_password_change"]
)
def test_another_agencys_person_answers_404_on_every_admin_url(erin_client, outsider, view):
    assert erin_client.get(reverse(f"admin:{view}", args=[outsider.pk])).status_code == 404


def test_the_administrator_cannot_set_another_agencys_password(erin_client, outsider):
    url = reverse("admin:auth_user_password_change", args=[outsider.pk])
    response = erin_client.post(url, {"password1": "Chiem-quyen-123", "password2": "Chiem-quyen-123"})
    assert response.status_code == 404
    outsider.refresh_from_db()
    assert not outsider.check_password("Chiem-quyen-123")


def test_the_administrator_cannot_edit_another_agencys_person(erin_client, outsider):
    response = erin_client.post(
        reverse("admin:units_user_change", args=[outsider.pk]), person_form(outsider, full_name="Bị sửa")
    )
    assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.full_name == "Đỗ Văn Oscar"


def test_a_superuser_of_the_same_agency_is_out_of_the_administrators_reach(erin_client, agency):
    root = User.objects.create_superuser("root", "root@example.vn", "x", full_name="Quản trị hệ thống", agency=agency)
    assert erin_client.get(reverse("admin:auth_user_password_change", args=[root.pk])).status_code == 404


def test_the_administrator_cannot_tick_is_superuser_or_is_staff_on_her_own_account(erin_client, administrator):
    response = erin_client.post(
        reverse("admin:units_user_change", args=[administrator.pk]),
        person_form(administrator, is_superuser="on", is_staff="on", full_name="Võ Thị Erin"),
    )
    assert response.status_code == 302
    administrator.refresh_from_db()
    assert not administrator.is_superuser


def test_the_administrator_cannot_give_herself_another_role(erin_client, administrator):
    director = Group.objects.get(name=Role.DIRECTOR)
    groups = [director.pk, *administrator.groups.values_list("pk", flat=True)]
    erin_client.post(
        reverse("admin:units_user_change", args=[administrator.pk]), person_form(administrator, groups=groups)
    )
    assert set(User.objects.get(pk=administrator.pk).groups.values_list("name", flat=True)) == {Role.ADMINISTRATOR}


def test_the_administrator_gives_a_colleague_a_role_but_no_group_or_permission_beyond_the_roles(
    erin_client, specialist
):
    extra = Group.objects.create(name="toàn quyền")
    extra.permissions.set(Permission.objects.all())
    url = reverse("admin:units_user_change", args=[specialist.pk])
    clerk = Group.objects.get(name=Role.CLERK)
    staff = Group.objects.get(name=Role.STAFF)

    refused = erin_client.post(url, person_form(specialist, groups=[staff.pk, extra.pk]))
    assert refused.status_code == 200  # the form comes back with the error
    assert not specialist.groups.filter(pk=extra.pk).exists()

    everything = list(Permission.objects.values_list("pk", flat=True)[:5])
    erin_client.post(url, person_form(specialist, groups=[staff.pk, clerk.pk], user_permissions=everything))
    specialist.refresh_from_db()
    assert set(specialist.groups.values_list("name", flat=True)) == {Role.STAFF, Role.CLERK}
    assert not specialist.user_permissions.exists()


def test_a_person_cannot_be_moved_to_another_agency_or_to_none(erin_client, specialist, outsider):
    url = reverse("admin:units_user_change", args=[specialist.pk])
    for agency in [outsider.agency_id, ""]:
        response = erin_client.post(url, person_form(specialist, agency=agency))
        assert response.status_code == 200
        specialist.refresh_from_db()
        assert specialist.agency.abbreviation == "SKHCN"


def test_a_membership_in_another_agencys_unit_is_refused(erin_client, specialist, oscar_unit):
    data = person_form(
        specialist,
        **{
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-unit": oscar_unit.pk,
            "memberships-0-position": "Chuyên viên",
            "memberships-0-user": specialist.pk,
        },
    )
    response = erin_client.post(reverse("admin:units_user_change", args=[specialist.pk]), data)
    assert response.status_code == 200
    assert not Membership.objects.filter(user=specialist, unit=oscar_unit).exists()


def test_the_units_list_and_urls_stop_at_the_agency(erin_client, science_unit, oscar_unit):
    page = erin_client.get(reverse("admin:units_unit_changelist")).content.decode()
    assert science_unit.name in page
    assert oscar_unit.name not in page
    for view in ["change", "history", "delete"]:
        assert erin_client.get(reverse(f"admin:units_unit_{view}", args=[oscar_unit.pk])).status_code == 404


def test_a_unit_cannot_be_created_in_another_agency_or_under_its_unit(erin_client, agency, outsider, oscar_unit):
    add = reverse("admin:units_unit_add")
    crafted = [
        {"agency": outsider.agency_id, "name": "Phòng lạ", "abbreviation": "PL", "kind": "phong", "is_active": "on"},
        {"agency": agency.pk, "parent": oscar_unit.pk, "name": "Phòng lạ", "abbreviation": "PL", "kind": "phong"},
    ]
    for data in crafted:
        assert erin_client.post(add, data).status_code == 200
    assert not Unit.objects.filter(abbreviation="PL").exists()
    assert erin_client.post(add, {**crafted[0], "agency": agency.pk}).status_code == 302  # her own agency: fine


def test_the_unit_autocomplete_offers_only_the_agencys_units(erin_client, science_unit, oscar_unit):
    response = erin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "units", "model_name": "membership", "field_name": "unit", "term": ""},
    )
    names = {row["text"] for row in response.json()["results"]}
    assert science_unit.name in names
    assert oscar_unit.name not in names


def test_the_administrator_sees_only_her_agency_and_cannot_add_one(erin_client, agency, outsider):
    page = erin_client.get(reverse("admin:units_agency_changelist")).content.decode()
    assert agency.name in page
    assert outsider.agency.name not in page
    assert erin_client.get(reverse("admin:units_agency_change", args=[outsider.agency_id])).status_code == 404
    assert erin_client.get(reverse("admin:units_agency_add")).status_code == 403
    count = Agency.objects.count()
    erin_client.post(reverse("admin:units_agency_add"), {"name": "Sở mới", "abbreviation": "SM", "place_name": "X"})
    assert Agency.objects.count() == count


def test_the_certificate_form_offers_only_her_agency(erin_client, agency, outsider):
    form = erin_client.get(reverse("admin:directives_signingcertificate_add")).context["adminform"].form
    assert list(form.fields["agency"].queryset) == [agency]


@pytest.mark.parametrize("model", ["holiday", "reminderrule"])
def test_an_agencys_administrator_reads_the_shared_calendar_and_rules_but_cannot_change_them(erin_client, model):
    rule = ReminderRule.objects.first()
    holiday = Holiday.objects.first()
    obj = rule if model == "reminderrule" else holiday
    assert erin_client.get(reverse(f"admin:tasks_{model}_changelist")).status_code == 200
    assert erin_client.get(reverse(f"admin:tasks_{model}_add")).status_code == 403
    response = erin_client.post(reverse(f"admin:tasks_{model}_change", args=[obj.pk]), {"name": "Đổi"})
    assert response.status_code == 403
    obj.refresh_from_db()
    assert obj.name != "Đổi"


def test_an_installation_administrator_reaches_every_agency(client, outsider, oscar_unit):
    installer = factories.PersonFactory(username="root", agency=None, roles=[Role.ADMINISTRATOR])
    client.force_login(installer)
    assert client.get(reverse("admin:units_user_change", args=[outsider.pk])).status_code == 200
    assert client.get(reverse("admin:units_unit_change", args=[oscar_unit.pk])).status_code == 200


def test_a_superuser_may_still_make_a_superuser(client, specialist):
    root = User.objects.create_superuser("root", "root@example.vn", "x", full_name="Quản trị hệ thống")
    client.force_login(root)
    response = client.post(
        reverse("admin:units_user_change", args=[specialist.pk]), person_form(specialist, is_superuser="on")
    )
    assert response.status_code == 302
    specialist.refresh_from_db()
    assert specialist.is_superuser


def test_document_types_are_shared_so_an_agencys_administrator_only_reads_them(erin_client):
    from directives.models import DocumentType

    kind = DocumentType.objects.first()
    assert erin_client.get(reverse("admin:directives_documenttype_changelist")).status_code == 200
    assert erin_client.get(reverse("admin:directives_documenttype_add")).status_code == 403
    response = erin_client.post(reverse("admin:directives_documenttype_change", args=[kind.pk]), {"name": "Đổi"})
    assert response.status_code == 403
    kind.refresh_from_db()
    assert kind.name != "Đổi"


def test_a_new_person_is_added_only_to_the_administrators_agency(erin_client, agency, outsider):
    add = reverse("admin:units_user_add")
    person = {"username": "moi", "full_name": "Người Mới", "email": "moi@example.vn", "usable_password": "true"}
    person |= {"password1": "Mat-khau-moi-123", "password2": "Mat-khau-moi-123"}
    for inline in ["memberships", "supervisions"]:
        person |= {f"{inline}-TOTAL_FORMS": "0", f"{inline}-INITIAL_FORMS": "0"}
    for elsewhere in [outsider.agency_id, ""]:
        assert erin_client.post(add, {**person, "agency": elsewhere}).status_code == 200
        assert not User.objects.filter(username="moi").exists()
    assert erin_client.post(add, {**person, "agency": agency.pk}).status_code == 302
    assert User.objects.get(username="moi").agency == agency
