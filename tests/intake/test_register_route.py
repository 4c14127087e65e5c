"""The director's routing of a read document with its proposed tasks: one submit routes and
gives the ticked points, all or nothing (issue #17, item 4)."""

import datetime

import pytest
from django.urls import reverse

from directives.models import Document
from intake import registration
from tasks.models import Task
from tests.intake.test_register import SYMBOL, _reading, input_tag


@pytest.fixture
def read_document(clerk, director, cong_van, science_unit, office):
    return registration.reading_register(
        reading=_reading(clerk), by=clerk, sender=None, new_sender_name="UBND tỉnh Quảng Trị", doc_type=cong_van,
        symbol=SYMBOL, issued_on=datetime.date(2020, 3, 31), subject="Phòng chống dịch",
        received_on=datetime.date(2020, 4, 2),
    )  # fmt: skip


def _route(science_unit, **extra) -> dict:
    data = {"note": "Giao Phòng QLKH chủ trì thực hiện.", "lead_unit": science_unit.pk, "deadline": ""}
    data.update(extra)
    return data


def _rows(page_rows: list[dict]) -> dict:
    data = {"point-TOTAL_FORMS": str(len(page_rows)), "point-INITIAL_FORMS": str(len(page_rows))}
    for index, row in enumerate(page_rows):
        for key, value in row.items():
            data[f"point-{index}-{key}"] = value
    return data


def _row(point, title, lead, *, accept=True, deadline="", cooperating=(), period=""):
    return {
        "accept": "on" if accept else "", "point": point, "title": title, "description": title, "lead_unit": lead,
        "cooperating_units": list(cooperating), "deadline": deadline, "working_days": "", "reporting_period": period,
        "priority": "2",
    }  # fmt: skip


def test_the_page_proposes_the_points_with_units_and_deadline(client, director, read_document, science_unit, office):
    client.force_login(director)
    page = client.get(reverse("intake:route", args=[read_document.pk])).content.decode()
    assert page.count('data-testid="proposal"') == 2
    assert "Phòng Quản lý Khoa học chủ trì rà soát các đề tài" in page  # the title: the first sentence
    assert " checked" in input_tag(page, "point-0-accept")
    lead = page.split('name="point-0-lead_unit"')[1].split("</select>")[0]
    assert f'<option value="{science_unit.pk}" selected>' in lead
    cooperating = page.split('name="point-0-cooperating_units"')[1].split("</select>")[0]
    assert f'<option value="{office.pk}" selected>' in cooperating
    assert "30/04/2031" in page or "2031-04-30" in page
    # The routing itself starts from the points: the first lead unit leads, the others cooperate.
    routing_lead = page.split('name="lead_unit"')[1].split("</select>")[0]
    assert f'<option value="{science_unit.pk}" selected>' in routing_lead
    routing_cooperating = page.split('name="cooperating_units"')[1].split("</select>")[0]
    assert f'<option value="{office.pk}" selected>' in routing_cooperating


def test_one_submit_routes_and_gives_the_ticked_points_only(client, director, read_document, science_unit, office):
    client.force_login(director)
    data = {
        **_route(science_unit),
        **_rows([
            _row("1", "Rà soát các đề tài (đã sửa)", science_unit.pk, deadline="30/04/2031", cooperating=[office.pk]),
            _row("2", "Tổng hợp báo cáo", office.pk, accept=False),
        ]),
    }  # fmt: skip
    response = client.post(reverse("intake:route", args=[read_document.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    read_document.refresh_from_db()
    assert read_document.state == Document.State.ROUTED
    task = Task.objects.get()  # the point's task only: the direction note makes none of its own
    assert (task.point, task.title, task.lead_unit, task.deadline) == (
        "1",
        "Rà soát các đề tài (đã sửa)",
        science_unit,
        datetime.date(2031, 4, 30),
    )
    assert list(task.cooperating_units.all()) == [office]
    assert task.document == read_document


def test_with_every_point_dropped_the_direction_note_is_the_task(client, director, read_document, science_unit):
    client.force_login(director)
    data = {
        **_route(science_unit),
        **_rows([_row("1", "Rà soát", science_unit.pk, accept=False), _row("2", "Tổng hợp", "", accept=False)]),
    }
    assert client.post(reverse("intake:route", args=[read_document.pk]), data).status_code == 302
    task = Task.objects.get()
    assert task.lead_unit == science_unit and "Giao Phòng QLKH chủ trì" in task.description
    assert task.point == ""


def test_a_refused_task_leaves_the_document_unrouted(client, director, read_document, science_unit, office):
    client.force_login(director)
    data = {
        **_route(science_unit),
        **_rows([_row("1", "Rà soát", science_unit.pk), _row("2", "Tổng hợp", office.pk, deadline="01/01/2001")]),
    }
    page = client.post(reverse("intake:route", args=[read_document.pk]), data).content.decode()
    assert "Hạn xử lý không thể trước hôm nay." in page
    read_document.refresh_from_db()
    assert read_document.state == Document.State.REGISTERED
    assert not Task.objects.exists()


def test_a_ticked_point_without_lead_unit_is_refused(client, director, read_document, science_unit):
    client.force_login(director)
    data = {**_route(science_unit), **_rows([_row("1", "Rà soát", "")])}
    page = client.post(reverse("intake:route", args=[read_document.pk]), data).content.decode()
    assert "Hãy chọn đơn vị chủ trì." in page
    assert Document.objects.get(pk=read_document.pk).state == Document.State.REGISTERED
    assert not Task.objects.exists()


def test_only_the_director_routes_and_outsiders_get_404(client, clerk, outsider, read_document, science_unit):
    client.force_login(clerk)
    assert client.get(reverse("intake:route", args=[read_document.pk])).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("intake:route", args=[read_document.pk])).status_code == 404
    assert client.post(reverse("intake:route", args=[read_document.pk]), _route(science_unit)).status_code == 404
    assert Document.objects.get(pk=read_document.pk).state == Document.State.REGISTERED


def test_a_document_typed_by_hand_routes_without_proposals(client, clerk, director, cong_van, science_unit):
    from directives import services
    from tests import factories

    document = services.incoming_register(
        by=clerk, sender=factories.OrganisationFactory(), symbol="1/X", issued_on=None, doc_type=cong_van,
        subject="Văn bản đến",
    )  # fmt: skip
    client.force_login(director)
    page = client.get(reverse("intake:route", args=[document.pk])).content.decode()
    assert 'data-testid="no-proposals"' in page
    response = client.post(reverse("intake:route", args=[document.pk]), {**_route(science_unit), **_rows([])})
    assert response.status_code == 302
    assert Task.objects.get().document == document


RECURRING_ITEMS = [
    {"label": "1", "text": "Phòng Quản lý Khoa học báo cáo tiến độ các đề tài hằng quý.",
     "lead_units": ["Phòng Quản lý Khoa học"], "cooperating_units": [], "deadline": None, "recurrence": "quarterly"},
    {"label": "2", "text": "Văn phòng Sở tổng kết công tác định kỳ 6 tháng.", "lead_units": ["Văn phòng Sở"],
     "cooperating_units": [], "deadline": None, "recurrence": "half-yearly"},
]  # fmt: skip


@pytest.fixture
def recurring_document(clerk, director, cong_van, science_unit, office):
    return registration.reading_register(
        reading=_reading(clerk, items=RECURRING_ITEMS), by=clerk, sender=None, new_sender_name="UBND tỉnh Quảng Trị",
        doc_type=cong_van, symbol=SYMBOL, issued_on=datetime.date(2020, 3, 31), subject="Báo cáo định kỳ",
        received_on=datetime.date(2020, 4, 2),
    )  # fmt: skip


def test_a_quarterly_point_is_proposed_and_given_as_a_standing_duty(
    client, director, recurring_document, science_unit, office
):
    client.force_login(director)
    url = reverse("intake:route", args=[recurring_document.pk])
    page = client.get(url).content.decode()
    period = page.split('name="point-0-reporting_period"')[1].split("</select>")[0]
    assert '<option value="quarterly" selected>' in period
    # Six-monthly has no reporting period: left blank, and the page says what the document asks.
    blank = page.split('name="point-1-reporting_period"')[1].split("</select>")[0]
    assert '<option value="" selected>' in blank
    assert "Văn bản ghi: định kỳ 6 tháng — chọn hạn hoặc kỳ báo cáo phù hợp." in page
    assert page.count('data-testid="recurrence-hint"') == 1

    rows = [
        _row("1", "Báo cáo tiến độ các đề tài", science_unit.pk, period="quarterly"),
        {**_row("2", "Tổng kết công tác", office.pk, deadline="30/06/2031"), "recurrence": "half-yearly"},
    ]
    response = client.post(url, {**_route(science_unit), **_rows(rows)})
    assert response.status_code == 302, response.content.decode()[:2000]
    duty, dated = Task.objects.order_by("point")
    assert (duty.point, duty.deadline, duty.reporting_period) == ("1", None, Task.Period.QUARTERLY)
    assert (dated.deadline, dated.reporting_period) == (datetime.date(2031, 6, 30), "")


def test_a_proposal_with_a_deadline_and_a_period_routes_nothing(client, director, recurring_document, science_unit):
    client.force_login(director)
    url = reverse("intake:route", args=[recurring_document.pk])
    rows = [
        _row("1", "Báo cáo tiến độ", science_unit.pk, deadline="30/04/2031", period="quarterly"),
        {**_row("2", "Tổng kết", science_unit.pk, accept=False), "recurrence": "half-yearly"},
    ]
    page = client.post(url, {**_route(science_unit), **_rows(rows)}).content.decode()
    assert "Nhiệm vụ có kỳ báo cáo là nhiệm vụ thường xuyên, không có hạn xử lý" in page
    assert "Văn bản ghi: định kỳ 6 tháng" in page  # the hint survives the refused post
    assert Document.objects.get(pk=recurring_document.pk).state == Document.State.REGISTERED
    assert not Task.objects.exists()
