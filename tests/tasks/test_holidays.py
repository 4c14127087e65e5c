from datetime import UTC, date, datetime
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from lib.errors import NotAllowed
from tasks import calendar as calendar_module
from tasks.calendar import calendar_current
from tasks.models import Holiday, HolidayYear
from tasks.services import holiday_delete, holiday_save, holidays_preload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_calendar():
    """These tests load the table themselves; migrate preloads this year and next."""
    Holiday.objects.all().delete()
    HolidayYear.objects.all().delete()


@pytest.fixture
def alice(django_user_model):
    """An administrator."""
    return django_user_model.objects.create_superuser("alice", "alice@example.org", "x", full_name="Alice")


@pytest.fixture
def bob(django_user_model):
    """A staff member with no rights on the calendar."""
    return django_user_model.objects.create_user("bob", "bob@example.org", "x", full_name="Bob")


def test_preload_inserts_the_years_holidays_from_the_law():
    assert holidays_preload(years=[2026]) == [2026]
    tet = Holiday.objects.get(date=date(2026, 2, 17))
    assert tet.name == "Tết Nguyên đán (mùng 1)"
    assert tet.kind == Holiday.Kind.HOLIDAY
    assert tet.origin == Holiday.Origin.LAW
    assert Holiday.objects.get(date=date(2026, 4, 27)).name == "Nghỉ bù Giỗ Tổ Hùng Vương"


@time_machine.travel(datetime(2026, 12, 31, 17, 30, tzinfo=UTC), tick=False)
def test_load_command_defaults_to_this_and_next_year_in_vietnam():
    """At 00:30 on 1 January 2027 in Hanoi it is still 2026 in UTC: the command loads 2027 and 2028."""
    out = StringIO()
    call_command("load_holidays", stdout=out)
    assert "2027: đã nạp ngày nghỉ lễ." in out.getvalue()
    assert sorted(HolidayYear.objects.values_list("year", flat=True)) == [2027, 2028]
    assert Holiday.objects.filter(date=date(2027, 2, 6)).exists()  # Tết 2027


def test_load_command_is_idempotent_and_keeps_an_administrators_edit(alice):
    call_command("load_holidays", "2026", stdout=StringIO())
    count = Holiday.objects.count()
    edited = Holiday.objects.get(date=date(2026, 9, 1))
    edited.name = "Quốc khánh (theo thông báo của Thủ tướng)"
    holiday_save(holiday=edited, by=alice)

    out = StringIO()
    call_command("load_holidays", "2026", stdout=out)

    assert "2026: đã có từ trước, giữ nguyên." in out.getvalue()
    assert Holiday.objects.count() == count
    edited.refresh_from_db()
    assert edited.name == "Quốc khánh (theo thông báo của Thủ tướng)"
    assert edited.origin == Holiday.Origin.ADMINISTRATOR


def test_a_holiday_the_administrator_moved_does_not_come_back(alice):
    """The government chose 3 September: the administrator moves the row, and a reload leaves 1 September free."""
    holidays_preload(years=[2026])
    moved = Holiday.objects.get(date=date(2026, 9, 1))
    moved.date = date(2026, 9, 3)
    holiday_save(holiday=moved, by=alice)
    holiday_delete(holiday=Holiday.objects.get(date=date(2026, 1, 1)), by=alice)

    assert holidays_preload(years=[2026]) == []

    assert not Holiday.objects.filter(date__in=[date(2026, 9, 1), date(2026, 1, 1)]).exists()
    assert Holiday.objects.filter(date=date(2026, 9, 3)).exists()


def test_a_day_entered_before_the_load_is_kept(alice):
    """The administrator entered the year's announcement first; the load fills in only the other days."""
    swapped_off = Holiday(date=date(2026, 2, 16), name="Nghỉ hoán đổi", kind=Holiday.Kind.HOLIDAY)
    holiday_save(holiday=swapped_off, by=alice)
    holidays_preload(years=[2026])
    swapped_off.refresh_from_db()
    assert swapped_off.name == "Nghỉ hoán đổi"
    assert swapped_off.origin == Holiday.Origin.ADMINISTRATOR
    assert Holiday.objects.filter(date=date(2026, 2, 17), origin=Holiday.Origin.LAW).exists()


def test_a_working_day_must_be_a_weekend_day(alice):
    with pytest.raises(ValidationError):
        holiday_save(holiday=Holiday(date=date(2026, 2, 12), name="Làm bù", kind=Holiday.Kind.WORKING_DAY), by=alice)


def test_someone_without_rights_cannot_change_the_calendar(bob):
    with pytest.raises(NotAllowed):
        holiday_save(holiday=Holiday(date=date(2026, 2, 14), name="Làm bù", kind=Holiday.Kind.WORKING_DAY), by=bob)
    assert not Holiday.objects.exists()


def test_the_calendar_is_read_in_one_query_and_then_cached(django_assert_num_queries):
    holidays_preload(years=[2026])
    with django_assert_num_queries(1):
        calendar = calendar_current()
    with django_assert_num_queries(0):
        assert calendar_current() is calendar
    assert not calendar.is_working_day(date(2026, 2, 17))
    assert calendar.add_working_days(date(2026, 2, 12), 3) == date(2026, 2, 24)


def test_a_swapped_saturday_counts_once_saved(alice, django_capture_on_commit_callbacks):
    """Saturday 14 Feb 2026 declared a working day: the cached calendar is refreshed when the change commits."""
    holidays_preload(years=[2026])
    assert calendar_current().add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    with django_capture_on_commit_callbacks(execute=True):
        holiday_save(
            holiday=Holiday(date=date(2026, 2, 14), name="Làm bù cho ngày 16/02", kind=Holiday.Kind.WORKING_DAY),
            by=alice,
        )
    assert calendar_current().add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)


def test_the_cached_calendar_expires_after_its_ttl(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(calendar_module.time, "monotonic", lambda: clock[0])
    first = calendar_current()
    Holiday.objects.create(date=date(2026, 3, 2), name="Nghỉ hoán đổi", origin=Holiday.Origin.ADMINISTRATOR)
    assert calendar_current() is first  # another process changed the table: not seen yet
    clock[0] += calendar_module.CALENDAR_TTL + 1
    assert not calendar_current().is_working_day(date(2026, 3, 2))


def test_the_admin_lists_by_year_and_saves_through_the_service(alice, client, django_capture_on_commit_callbacks):
    holidays_preload(years=[2026, 2027])
    client.force_login(alice)
    response = client.get("/admin/tasks/holiday/", {"year": "2027"})
    assert response.status_code == 200
    assert "Tết Nguyên đán (mùng 1)" in response.content.decode()
    assert len(response.context["cl"].result_list) == len(Holiday.objects.filter(date__year=2027))

    calendar_current()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/tasks/holiday/add/",
            {"date": "2026-02-14", "name": "Làm bù", "kind": Holiday.Kind.WORKING_DAY},
        )
    assert response.status_code == 302
    assert Holiday.objects.get(date=date(2026, 2, 14)).origin == Holiday.Origin.ADMINISTRATOR
    assert calendar_current().is_working_day(date(2026, 2, 14))
