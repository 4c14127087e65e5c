"""The office's report on assigned tasks, its XLSX and PDF, and the province view's summary."""

import io
import random
import unicodedata
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pdfplumber
import pytest
import time_machine
from django.urls import reverse

from lib.workdays import VIETNAM_TZ, deadline_end
from reports.dashboards import by_unit, class_counts, overdue_count, trend
from reports.files.periodic import headers, report_pdf, report_xlsx
from reports.models import TaskSummary
from reports.periodic import COLUMNS, TITLE, report_build
from reports.province import (
    agency_counts,
    agency_overdue_count,
    agency_trend,
    province_counts,
    summary_recount_matches,
    summary_refreshed_at,
    task_summary_refresh,
)
from tasks.models import Task, TrackingClass
from tasks.periods import in_period, period_for
from tests import factories
from tests.concurrency import at_once
from units.roles import Role

S = Task.State
# The moment of every report here: Wednesday 15 July 2026, 10:00 in Hà Nội.
NOW = datetime(2026, 7, 15, 10, 0, tzinfo=VIETNAM_TZ)
JULY = period_for("month", NOW.date())


def make(agency, unit, creator, *, deadline=None, state=S.IN_PROGRESS, completed_at=None, given_on=None, **fields):
    """A task written straight to the table: reports read tasks, they do not care how they came."""
    fields.setdefault("title", "Rà soát hồ sơ")
    task = Task.objects.create(
        agency=agency,
        lead_unit=unit,
        created_by=creator,
        deadline=deadline,
        original_deadline=deadline,
        due_at=deadline_end(deadline) if deadline else None,
        state=state,
        completed_at=completed_at,
        **fields,
    )
    if given_on is not None:
        Task.objects.filter(pk=task.pk).update(created_at=datetime.combine(given_on, datetime.min.time(), VIETNAM_TZ))
    return task


@pytest.fixture
def july_tasks(agency, science_unit, office, director, clerk):
    """One task of every kind in July 2026 for carol's agency, and some outside the period."""
    d = date(2026, 7, 10)
    make(agency, science_unit, director, deadline=d, state=S.DONE, completed_at=deadline_end(d), supervisor=director)
    make(agency, science_unit, director, deadline=d, state=S.DONE, completed_at=deadline_end(d) + timedelta(seconds=1))
    make(agency, science_unit, director, deadline=date(2026, 7, 15), supervisor=director)  # due today: within
    make(agency, office, director, deadline=date(2026, 7, 14), supervisor=director)  # yesterday: overdue
    make(agency, office, director, deadline=date(2026, 7, 20), state=S.SUBMITTED)
    make(agency, office, director, given_on=date(2026, 7, 3))  # a standing duty given in July
    make(agency, office, director, deadline=date(2026, 7, 5), state=S.CANCELLED)  # never counted
    make(agency, office, director, deadline=date(2026, 8, 5))  # due in August: not in July's report
    make(agency, office, director, given_on=date(2026, 6, 3))  # standing duty given in June


def counts(row):
    return {key: row["values"][key] for key, _header in COLUMNS}


@time_machine.travel(NOW, tick=False)
def test_report_numbers_equal_a_recount(agency, july_tasks):
    """Each table's totals equal a plain recount of the agency's tasks due in the period."""
    report = report_build(agency=agency, period=JULY, at=NOW)
    recount = class_counts(in_period(Task.objects.filter(agency=agency), JULY), at=NOW)
    totals = report.totals["values"]
    assert totals == {
        "received": 6,
        TrackingClass.ON_TIME: 1,
        TrackingClass.LATE: 1,
        TrackingClass.WITHIN: 2,
        TrackingClass.OVERDUE: 1,
        TrackingClass.NO_DEADLINE: 1,
        "completion": pytest.approx(2 / 3),
        "on_time_rate": pytest.approx(1 / 2),
    }
    assert {c: totals[c] for c in recount["counts"]} == recount["counts"]
    assert totals["no_deadline"] == recount["no_deadline"]
    for table in (report.units, report.supervisors):
        for key, _header in COLUMNS[:6]:
            assert sum(row["values"][key] for row in table) == totals[key]
    science = next(row for row in report.units if row["name"] == "Phòng Quản lý Khoa học")
    assert counts(science)["received"] == 3
    assert report.totals["labels"]["completion"] == "66,67 %"


@time_machine.travel(NOW, tick=False)
def test_supervisor_table_names_the_director_and_the_tasks_without_one(agency, director, july_tasks):
    report = report_build(agency=agency, period=JULY, at=NOW)
    names = [row["name"] for row in report.supervisors]
    assert names == ["Lê Thị Carol", "Không có lãnh đạo phụ trách"]
    assert report.supervisors[0]["values"]["received"] == 3


@time_machine.travel(NOW, tick=False)
def test_an_outsider_agency_never_leaks_into_an_agency_report(agency, july_tasks, outsider):
    other_unit = outsider.memberships.get().unit
    make(outsider.agency, other_unit, outsider, deadline=date(2026, 7, 9), title="Nhiệm vụ của Sở Công Thương")
    report = report_build(agency=agency, period=JULY, at=NOW)
    assert report.totals["values"]["received"] == 6
    assert other_unit.name not in [row["name"] for row in report.units]


@time_machine.travel(NOW, tick=False)
def test_the_xlsx_has_vietnamese_headers_in_order_and_totals_as_values(agency, july_tasks, science_unit, director):
    science_unit.name = '=HYPERLINK("http://x","bấm")'
    science_unit.save()
    make(agency, science_unit, director, deadline=date(2026, 7, 1))
    report = report_build(agency=agency, period=JULY, at=NOW)
    workbook = openpyxl.load_workbook(io.BytesIO(report_xlsx(report)))
    assert workbook.sheetnames == ["Theo đơn vị", "Theo lãnh đạo phụ trách"]
    sheet = workbook["Theo đơn vị"]
    assert sheet["A2"].value == TITLE
    assert sheet["A1"].value == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert sheet["A3"].value == "Từ ngày 01/07/2026 đến ngày 31/07/2026"
    header_row = 6
    assert [c.value for c in sheet[header_row]] == [
        "STT", "Đơn vị chủ trì", "Tổng số nhiệm vụ", "Hoàn thành đúng hạn", "Hoàn thành quá hạn",
        "Đang thực hiện trong hạn", "Đang thực hiện quá hạn", "Không có hạn", "Tỷ lệ hoàn thành", "Tỷ lệ đúng hạn",
    ]  # fmt: skip
    assert all(c.font.bold and c.font.name == "Times New Roman" for c in sheet[header_row])
    rows = list(sheet.iter_rows(min_row=header_row + 1, values_only=True))
    body, totals = rows[:-1], rows[-1]
    assert totals[1] == "Tổng cộng"
    for column in range(2, 8):
        assert totals[column] == sum(row[column] for row in body)
        assert not str(totals[column]).startswith("=")
    assert totals[2:8] == (7, 1, 1, 2, 2, 1)
    assert totals[8] == pytest.approx(2 / 4)
    assert sheet.cell(row=header_row + len(rows), column=9).number_format == "0.00%"
    assert sheet.cell(row=header_row + len(rows), column=3).font.bold
    # The hostile unit name is text, never a formula.
    hostile = next(c for c in sheet["B"] if c.value and "HYPERLINK" in str(c.value))
    assert hostile.data_type == "s"
    assert hostile.value == '=HYPERLINK("http://x","bấm")' and hostile.quotePrefix
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$6:$6"
    assert sheet["B7"].border.left.style == "thin"


def test_safe_cell_keeps_text_as_text():
    from lib.spreadsheets import safe_cell

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row, value in enumerate(["=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "Phòng A", 5, None], 1):
        sheet.cell(row=row, column=1, value=safe_cell(value))
    buffer = io.BytesIO()
    workbook.save(buffer)
    reread = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert [c.data_type for c in reread["A"]][:7] == ["s"] * 7
    assert reread["A1"].value == "=1+2"  # exactly as typed, stored as text
    assert reread["A8"].value == 5


@time_machine.travel(NOW, tick=False)
def test_a_task_title_starting_with_equals_is_never_a_formula_in_the_report(agency, july_tasks, director):
    """Titles are not printed in the report; the unit and director names are, and they go through safe_cell."""
    director.full_name = "=cmd|' /C calc'!A0"
    director.save()
    report = report_build(agency=agency, period=JULY, at=NOW)
    sheet = openpyxl.load_workbook(io.BytesIO(report_xlsx(report)))["Theo lãnh đạo phụ trách"]
    cell = sheet["B7"]
    assert cell.data_type == "s"
    assert cell.value == "=cmd|' /C calc'!A0"


@time_machine.travel(NOW, tick=False)
def test_the_pdf_prints_the_headers_and_the_totals(agency, july_tasks):
    report = report_build(agency=agency, period=JULY, at=NOW)
    with pdfplumber.open(io.BytesIO(report_pdf(report))) as pdf:
        text = unicodedata.normalize("NFC", "\n".join(page.extract_text() or "" for page in pdf.pages))
        width, height = pdf.pages[0].width, pdf.pages[0].height
        # Headers wrap inside their cells: read the ruled tables cell by cell.
        tables = [table for page in pdf.pages for table in page.extract_tables()]
    assert width > height  # landscape
    assert TITLE in text
    cells = [[" ".join(unicodedata.normalize("NFC", cell or "").split()) for cell in row] for t in tables for row in t]
    assert headers("Đơn vị chủ trì") in cells
    assert headers("Lãnh đạo phụ trách") in cells
    totals = ["", "Tổng cộng", "6", "1", "1", "2", "1", "1", "66,67 %", "50,00 %"]
    assert cells.count(totals) == 2
    assert "Trang 1/" in text


@pytest.mark.parametrize("person", ["director", "clerk", "administrator"])
@time_machine.travel(NOW, tick=False)
def test_leaders_clerks_and_administrators_see_the_report_and_download_it(client, request, july_tasks, person):
    client.force_login(request.getfixturevalue(person))
    page = client.get(reverse("tasks:reports"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Tải XLSX" in content and "Tải PDF" in content
    assert "66,67 %" in content
    xlsx = client.get(reverse("tasks:report_xlsx"), {"period": "month"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"].startswith('attachment; filename="bao-cao-nhiem-vu-skhcn-20260701-20260731')
    openpyxl.load_workbook(io.BytesIO(xlsx.content))


@pytest.mark.parametrize("person", ["specialist", "unit_head", "outsider"])
def test_staff_get_403_on_reports(client, request, person):
    client.force_login(request.getfixturevalue(person))
    for name in ("tasks:reports", "tasks:report_xlsx", "tasks:report_pdf"):
        assert client.get(reverse(name)).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_a_custom_period_selects_the_tasks_due_in_it(client, director, july_tasks):
    client.force_login(director)
    page = client.get(reverse("tasks:reports"), {"period": "custom", "start": "2026-08-01", "end": "2026-08-31"})
    assert "Từ ngày 01/08/2026 đến ngày 31/08/2026" in page.content.decode()


@pytest.mark.parametrize("n", [1, 20])
@time_machine.travel(NOW, tick=False)
def test_the_report_runs_a_fixed_number_of_queries(agency, science_unit, director, django_assert_num_queries, n):
    for i in range(n):
        make(agency, science_unit, director, deadline=date(2026, 7, 1 + i % 28), supervisor=director)
    with django_assert_num_queries(3):
        report = report_build(agency=agency, period=JULY, at=NOW)
    assert report.totals["values"]["received"] == n


@pytest.mark.parametrize("n", [1, 20])
@time_machine.travel(NOW, tick=False)
def test_the_report_page_runs_a_fixed_number_of_queries(
    client, agency, science_unit, director, django_assert_num_queries, n
):
    for i in range(n):
        make(agency, science_unit, director, deadline=date(2026, 7, 1 + i % 28), supervisor=director)
    client.force_login(director)
    client.get(reverse("tasks:reports"))  # warm the session
    with django_assert_num_queries(REPORT_PAGE_QUERIES):
        client.get(reverse("tasks:reports"))


# session, user, groups (roles), the agency, three report queries, the unread bell
REPORT_PAGE_QUERIES = 8


# --- Province ----------------------------------------------------------------------------


@pytest.fixture
def province_admin(db):
    return factories.PersonFactory(username="pat", full_name="Trịnh Văn Pat", agency=None, roles=[Role.ADMINISTRATOR])


def test_province_page_and_api_are_for_the_province_administrator_only(
    client, director, clerk, administrator, specialist
):
    for person in (director, clerk, administrator, specialist):
        client.force_login(person)
        assert client.get(reverse("tasks:province")).status_code == 403
        answer = client.get("/api/v1/reports/province")
        assert answer.status_code == 403
        assert "message" in answer.json()


def _generated(agencies, rng: random.Random, count: int) -> None:
    """Tasks of every kind: extensions, completions at 23:59 and one second later, no deadline, cancelled."""
    for _ in range(count):
        agency, unit, person = rng.choice(agencies)
        deadline = date(2026, 7, 1) + timedelta(days=rng.randint(-40, 60))
        kind = rng.choice(["open", "open", "done", "late", "last_minute", "none", "none_done", "cancelled", "extended"])
        given_on = deadline - timedelta(days=rng.randint(0, 30))
        if kind == "none":
            make(agency, unit, person, given_on=given_on)
        elif kind == "none_done":
            make(agency, unit, person, given_on=given_on, state=S.DONE, completed_at=NOW - timedelta(days=1))
        elif kind == "cancelled":
            make(agency, unit, person, deadline=deadline, state=S.CANCELLED)
        elif kind in ("done", "late", "last_minute"):
            end = deadline_end(deadline)
            at = {
                "done": end - timedelta(days=2),
                "late": end + timedelta(days=3),
                "last_minute": end.replace(second=0, microsecond=0) if rng.random() < 0.5 else end + timedelta(0, 1),
            }[kind]
            make(agency, unit, person, deadline=deadline, state=S.DONE, completed_at=at)
        elif kind == "extended":
            task = make(agency, unit, person, deadline=deadline)
            later = deadline + timedelta(days=rng.randint(1, 20))
            Task.objects.filter(pk=task.pk).update(deadline=later, due_at=deadline_end(later))
        else:
            make(agency, unit, person, deadline=deadline, state=rng.choice([S.NEW, S.IN_PROGRESS, S.RETURNED]))


@pytest.fixture
def province(db, director, science_unit, outsider):
    rng = random.Random(30)
    agencies = [(director.agency, science_unit, director), (outsider.agency, outsider.memberships.get().unit, outsider)]
    third = factories.AgencyFactory(abbreviation="SYT", name="Sở Y tế")
    third_unit = factories.UnitFactory(agency=third, name="Phòng Nghiệp vụ Y")
    agencies.append((third, third_unit, factories.PersonFactory(agency=third, unit=third_unit)))
    factories.AgencyFactory(abbreviation="STP", name="Sở Tư pháp")  # no task at all
    _generated(agencies, rng, 300)
    return agencies


@pytest.mark.parametrize(
    "moment",
    [NOW, datetime(2026, 7, 15, 16, 59, 59, tzinfo=UTC), datetime(2026, 7, 15, 17, 0, tzinfo=UTC)],
    ids=["morning", "last-second-of-the-day", "first-second-of-the-next"],
)
@pytest.mark.parametrize("kind", ["month", "quarter", "year"])
def test_after_a_refresh_the_summary_equals_a_recount(province, moment, kind):
    """At every moment and period, each agency's classes from the summary equal class_counts on its tasks."""
    with time_machine.travel(moment, tick=False):
        task_summary_refresh()
        period = period_for(kind, moment.astimezone(VIETNAM_TZ).date())
        rows = province_counts(period=period, at=moment)
        for row in rows:
            recount = class_counts(in_period(Task.objects.filter(agency_id=row["agency_id"]), period), at=moment)
            assert {c: row["values"][c] for c in recount["counts"]} == recount["counts"], row["name"]
            assert row["values"]["no_deadline"] == recount["no_deadline"]
        assert summary_recount_matches(period=period, at=moment)
        assert sum(row["values"]["received"] for row in rows) > 0
        assert [row["name"] for row in rows][-1] == "Sở Y tế"
        assert next(row for row in rows if row["name"] == "Sở Tư pháp")["values"]["received"] == 0


@pytest.fixture
def several_units(db, director, science_unit, office, outsider):
    """Tasks of every kind over three units of carol's agency and the units of two others,
    with standing duties given in the last and first second of a day in Vietnam."""
    rng = random.Random(7)
    agency = director.agency
    third_unit = factories.UnitFactory(agency=agency, name="Thanh tra Sở")
    other = outsider.agency
    other_units = [outsider.memberships.get().unit, factories.UnitFactory(agency=other, name="Phòng Kế hoạch")]
    places = [(agency, unit, director) for unit in (science_unit, office, third_unit)]
    places += [(other, unit, outsider) for unit in other_units]
    _generated(places, rng, 400)
    for first in (date(2026, 7, 1), date(2026, 8, 1), date(2026, 10, 1), date(2027, 1, 1)):
        last_second = datetime.combine(first, datetime.min.time(), VIETNAM_TZ) - timedelta(seconds=1)
        for given_at in (last_second, last_second + timedelta(seconds=1)):
            for state in (S.IN_PROGRESS, S.DONE):
                task = make(agency, office, director, state=state, completed_at=NOW if state == S.DONE else None)
                Task.objects.filter(pk=task.pk).update(created_at=given_at)
    return agency, other


@pytest.mark.parametrize(
    "moment",
    [NOW, datetime(2026, 7, 15, 16, 59, 59, tzinfo=UTC), datetime(2026, 7, 15, 17, 0, tzinfo=UTC)],
    ids=["morning", "last-second-of-the-day", "first-second-of-the-next"],
)
@pytest.mark.parametrize("kind", ["month", "quarter", "year"])
def test_after_a_refresh_the_agency_dashboard_figures_equal_a_recount(several_units, moment, kind):
    """The agency dashboard's cards and bars per unit from the summary equal class_counts and
    by_unit counted on the tasks: per agency, and over every agency (a superuser's scope)."""
    agency, other = several_units
    with time_machine.travel(moment, tick=False):
        task_summary_refresh()
        assert summary_refreshed_at() == moment
        period = period_for(kind, moment.astimezone(VIETNAM_TZ).date())
        for agency_id in (agency.pk, other.pk, None):
            tasks = Task.objects.all() if agency_id is None else Task.objects.filter(agency_id=agency_id)
            live = in_period(tasks, period)
            cards, units = agency_counts(agency_id=agency_id, period=period, at=moment)
            assert cards == class_counts(live, at=moment)
            assert units == by_unit(live, at=moment)
        _cards, rows = agency_counts(agency_id=agency.pk, period=period, at=moment)
        assert len(rows) == 3
        every_class = [TrackingClass.ON_TIME, TrackingClass.LATE, TrackingClass.WITHIN, TrackingClass.OVERDUE]
        assert all(sum(row["counts"][c] for row in rows) for c in [*every_class, TrackingClass.NO_DEADLINE])


@pytest.mark.parametrize(
    "moment",
    [NOW, datetime(2026, 7, 15, 16, 59, 59, tzinfo=UTC), datetime(2026, 7, 15, 17, 0, tzinfo=UTC)],
    ids=["morning", "last-second-of-the-day", "first-second-of-the-next"],
)
@pytest.mark.parametrize("kind", ["month", "quarter", "year"])
@pytest.mark.parametrize("by", ["week", "month"])
def test_after_a_refresh_the_agency_trend_from_the_summary_equals_the_live_trend(several_units, moment, kind, by):
    """Week by week (from Monday) or month by month, the summary's trend has the same buckets,
    of the same type, with the same counts per class as dashboard.trend on the tasks."""
    agency, other = several_units
    with time_machine.travel(moment, tick=False):
        task_summary_refresh()
        period = period_for(kind, moment.astimezone(VIETNAM_TZ).date())
        for agency_id in (agency.pk, other.pk, None):
            tasks = Task.objects.all() if agency_id is None else Task.objects.filter(agency_id=agency_id)
            live = trend(in_period(tasks, period), at=moment, by=by)
            from_summary = agency_trend(agency_id=agency_id, period=period, at=moment, by=by)
            assert from_summary == live
            assert [type(row["bucket"]) for row in from_summary] == [type(row["bucket"]) for row in live]
        rows = agency_trend(agency_id=agency.pk, period=period, at=moment, by=by)
        starts = [row["bucket"] for row in rows]
        assert all(day.weekday() == 0 if by == "week" else day.day == 1 for day in starts)
        every_class = [TrackingClass.ON_TIME, TrackingClass.LATE, TrackingClass.WITHIN, TrackingClass.OVERDUE]
        assert all(sum(row["counts"][c] for row in rows) for c in every_class)


@pytest.mark.parametrize(
    "moment",
    [NOW, datetime(2026, 7, 15, 16, 59, 59, tzinfo=UTC), datetime(2026, 7, 15, 17, 0, tzinfo=UTC)],
    ids=["morning", "last-second-of-the-day", "first-second-of-the-next"],
)
def test_after_a_refresh_the_overdue_count_from_the_summary_equals_a_recount(several_units, moment):
    """Open tasks past their deadline, whatever the period: the summary's count equals counting
    class_filter(OVERDUE) on the tasks, per agency and over every agency."""
    agency, other = several_units
    with time_machine.travel(moment, tick=False):
        task_summary_refresh()
        for agency_id in (agency.pk, other.pk, None):
            tasks = Task.objects.all() if agency_id is None else Task.objects.filter(agency_id=agency_id)
            assert agency_overdue_count(agency_id=agency_id, at=moment) == overdue_count(tasks, at=moment) > 0


def test_a_task_due_today_is_overdue_in_the_summary_only_from_midnight(db):
    """Due 15 July: within its deadline until 23:59:59.999999 that day in Hà Nội, overdue from
    00:00 on the 16th, in the summary's count as in the live one."""
    agency = factories.AgencyFactory(abbreviation="STC", name="Sở Tài chính")
    unit = factories.UnitFactory(agency=agency, name="Phòng Ngân sách")
    person = factories.PersonFactory(agency=agency, unit=unit)
    make(agency, unit, person, deadline=date(2026, 7, 15))
    make(agency, unit, person, deadline=date(2026, 7, 14), state=S.DONE, completed_at=NOW)  # finished: never
    make(agency, unit, person, deadline=date(2026, 7, 10), state=S.CANCELLED)  # cancelled: never
    tasks = Task.objects.filter(agency=agency)
    for moment, expected in [
        (datetime(2026, 7, 15, 16, 59, 59, 999999, tzinfo=UTC), 0),
        (datetime(2026, 7, 15, 17, 0, tzinfo=UTC), 1),
    ]:
        with time_machine.travel(moment, tick=False):
            task_summary_refresh()
            assert agency_overdue_count(agency_id=agency.pk, at=moment) == overdue_count(tasks, at=moment) == expected


def test_the_summary_figures_of_an_agency_without_tasks_are_zero(several_units, agency):
    task_summary_refresh()
    empty = factories.AgencyFactory(abbreviation="STC", name="Sở Tài chính")
    cards, units = agency_counts(agency_id=empty.pk, period=JULY, at=NOW)
    assert units == []
    assert cards == class_counts(Task.objects.none(), at=NOW)
    assert agency_trend(agency_id=empty.pk, period=JULY, at=NOW) == []
    assert agency_overdue_count(agency_id=empty.pk, at=NOW) == 0


@time_machine.travel(NOW, tick=False)
def test_the_summary_lags_until_the_next_refresh(province, director, science_unit):
    task_summary_refresh()
    assert summary_recount_matches(period=JULY, at=NOW)
    make(director.agency, science_unit, director, deadline=date(2026, 7, 2))
    assert not summary_recount_matches(period=JULY, at=NOW)
    task_summary_refresh()
    assert summary_recount_matches(period=JULY, at=NOW)


def _summary_rows() -> dict:
    return {(r.agency_id, r.lead_unit_id, r.day, r.bucket): (r.pk, r.count) for r in TaskSummary.objects.all()}


def test_a_refresh_writes_only_the_groups_that_changed_and_equals_a_rebuild(province, director, science_unit):
    """A count that changes, a group that empties and a new group: afterwards the summary is what
    a rebuild from nothing gives, and the rows of the groups nobody touched were not rewritten."""
    task_summary_refresh(at=NOW)
    before = _summary_rows()
    agency = director.agency
    # a new group (a day of its own), a group that empties (its only task cancelled), a count that grows
    make(agency, science_unit, director, deadline=date(2026, 12, 24))
    alone = make(agency, science_unit, director, deadline=date(2026, 11, 30))
    task_summary_refresh(at=NOW)
    Task.objects.filter(pk=alone.pk).update(state=S.CANCELLED)
    make(agency, science_unit, director, deadline=date(2026, 7, 1))
    grown_key = (agency.pk, science_unit.pk, date(2026, 7, 1), TaskSummary.Bucket.OPEN)
    later = NOW + timedelta(minutes=1)

    assert task_summary_refresh(at=later) == len(before) + 1 + (grown_key not in before)
    after = _summary_rows()
    assert summary_refreshed_at() == later
    assert (agency.pk, science_unit.pk, date(2026, 11, 30), TaskSummary.Bucket.OPEN) not in after
    assert after[(agency.pk, science_unit.pk, date(2026, 12, 24), TaskSummary.Bucket.OPEN)][1] == 1
    assert after[grown_key][1] == before.get(grown_key, (None, 0))[1] + 1
    untouched = set(before) - {grown_key}
    assert untouched and all(after[key] == before[key] for key in untouched)  # same row, same count
    assert summary_recount_matches(period=period_for("year", date(2026, 7, 15)), at=later)
    TaskSummary.objects.all().delete()
    task_summary_refresh(at=later)
    assert {key: n for key, (_pk, n) in _summary_rows().items()} == {key: n for key, (_pk, n) in after.items()}


def test_a_refresh_with_nothing_changed_still_says_when_it_ran(province):
    assert summary_refreshed_at() is None
    rows = task_summary_refresh(at=NOW)
    before = _summary_rows()
    assert task_summary_refresh(at=NOW + timedelta(minutes=1)) == rows == len(before)
    assert _summary_rows() == before
    assert summary_refreshed_at() == NOW + timedelta(minutes=1)


@pytest.mark.postgres
def test_refreshes_at_once_queue_on_the_refresh_row_and_both_leave_the_recount(province, director, science_unit):
    """Each refresh writes the difference to what it found; run together, the second waits
    for the first to commit, so neither fails and the summary is the recount."""
    task_summary_refresh(at=NOW)
    make(director.agency, science_unit, director, deadline=date(2026, 12, 24))  # a new group: all insert it
    assert at_once([lambda: task_summary_refresh(at=NOW)] * 4) == []
    assert summary_recount_matches(period=period_for("year", date(2026, 7, 15)), at=NOW)


def test_the_beat_job_refreshes_the_summary(province, settings):
    from reports import jobs

    assert settings.CELERY_BEAT_SCHEDULE["task-summary"]["task"] == "reports.jobs.task_summary_refresh"
    assert jobs.task_summary_refresh.delay().get() == TaskSummary.objects.count() > 0


@time_machine.travel(NOW, tick=False)
def test_the_province_api_gives_one_row_per_agency_from_the_summary(client, province, province_admin):
    task_summary_refresh()
    client.force_login(province_admin)
    answer = client.get("/api/v1/reports/province", {"period": "month"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["start"] == "2026-07-01" and body["end"] == "2026-07-31"
    assert [a["abbreviation"] for a in body["agencies"]] == ["SCT", "SKHCN", "STP", "SYT"]
    for agency in body["agencies"]:
        recount = class_counts(in_period(Task.objects.filter(agency_id=agency["agency_id"]), JULY), at=NOW)
        assert agency["overdue"] == recount["counts"][TrackingClass.OVERDUE]
        assert agency["completion"] == recount["completion"]
    assert body["totals"]["received"] == sum(a["received"] for a in body["agencies"])
    assert body["refreshed_at"] is not None
    bad = client.get("/api/v1/reports/province", {"period": "custom", "start": "2026-07-31", "end": "2026-07-01"})
    assert bad.status_code == 400


@pytest.mark.parametrize("n", [1, 20])
@time_machine.travel(NOW, tick=False)
def test_the_province_page_runs_a_fixed_number_of_queries(
    client, province_admin, director, science_unit, django_assert_num_queries, n
):
    for i in range(n):
        make(director.agency, science_unit, director, deadline=date(2026, 7, 1 + i % 28))
    task_summary_refresh()
    client.force_login(province_admin)
    client.get(reverse("tasks:province"))
    with django_assert_num_queries(PROVINCE_PAGE_QUERIES):
        page = client.get(reverse("tasks:province"))
    assert f"<td>{director.agency.name}</td>" in page.content.decode()


# session, user, groups (roles), the summary per agency and bucket, the agencies, when the summary
# was refreshed (its own row, since a refresh writes only the summary rows that changed), the bell
PROVINCE_PAGE_QUERIES = 7


@time_machine.travel(NOW, tick=False)
def test_a_superuser_chooses_the_agency_of_the_report(client, province, outsider, db):
    from units.models import User

    root = User.objects.create_superuser("root", "root@example.vn", "x", full_name="Quản trị tỉnh")
    client.force_login(root)
    page = client.get(reverse("tasks:reports"), {"agency": outsider.agency_id, "period": "month"})
    assert page.status_code == 200
    assert "Sở Công Thương ·" in page.content.decode()


def test_headers_helper_lists_the_columns_in_order():
    assert headers("Đơn vị chủ trì")[:3] == ["STT", "Đơn vị chủ trì", "Tổng số nhiệm vụ"]
