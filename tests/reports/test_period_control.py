"""The dashboard's period box shows the period its figures count, whatever the query asked."""

import re
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from lib.workdays import VIETNAM_TZ

NOW = datetime(2026, 6, 17, 10, 0, tzinfo=VIETNAM_TZ)  # a Wednesday


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def selected_period(html: str) -> str:
    select = re.search(r'<select name="period".*?</select>', html, re.S).group(0)
    return re.search(r'<option value="([^"]*)"[^>]*selected', select).group(1)


def counted_words(html: str) -> str:
    return re.search(r'data-testid="period-words">(.*?)</p>', html, re.S).group(1)


@pytest.mark.parametrize(
    ("query", "shown", "words"),
    [
        ("", "month", "Tháng này"),
        ("?period=week", "week", "Tuần này"),
        ("?period=quarter", "quarter", "Quý này"),
        ("?period=bogus", "month", "Tháng này"),
        ("?period=custom", "month", "Tháng này"),  # a custom period without its dates falls back
        ("?period=custom&from=2026-06-20&to=2026-06-10", "month", "Tháng này"),
        ("?period=custom&from=2026-06-01&to=2026-06-10", "custom", "Tùy chọn"),
        ("?scope=unit", "month", "Tháng này"),
    ],
)
def test_period_box_shows_the_period_counted(client, director, query, shown, words):
    client.force_login(director)
    response = client.get(reverse("tasks:dashboard") + query)
    html = response.content.decode()
    assert selected_period(html) == shown
    assert words in counted_words(html)


def test_an_empty_query_shows_this_month_not_the_first_choice(client, director):
    """The defect: the box showed «Tuần này» (the first option) over this month's figures."""
    client.force_login(director)
    html = client.get(reverse("tasks:dashboard")).content.decode()
    assert selected_period(html) == "month"
    assert "01/06/2026 – 30/06/2026" in counted_words(html)


def test_the_custom_range_is_shown_in_the_date_boxes(client, director):
    client.force_login(director)
    html = client.get(reverse("tasks:dashboard") + "?period=custom&from=2026-06-01&to=2026-06-10").content.decode()
    assert 'name="from" value="2026-06-01"' in html
    assert 'name="to" value="2026-06-10"' in html


def test_a_refused_range_is_reported_and_not_shown_as_counted(client, director):
    client.force_login(director)
    response = client.get(reverse("tasks:dashboard") + "?period=custom&from=2026-06-20&to=2026-06-10")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu." in html
    assert 'name="from" value="2026-06-20"' not in html


def test_the_unit_dashboard_box_shows_the_period_counted(client, unit_head, science_unit):
    client.force_login(unit_head)
    html = client.get(reverse("tasks:unit_dashboard", args=[science_unit.pk])).content.decode()
    assert selected_period(html) == "month"
    assert "Tháng này" in counted_words(html)
