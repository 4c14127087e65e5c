"""The director's dashboard in a browser: a bar segment of the unit chart opens exactly its tasks."""

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from directives.demo import seed_documents
from tasks.demo import seed_tasks
from tests.e2e.conftest import ARTIFACTS, screenshot, sign_in

OVERDUE = 3  # datasets are on time, late, within, overdue


def segment(page, dataset: int, label: str) -> dict:
    """The bar segment of ``label`` in ``dataset``: its count, its link and its centre on the page."""
    return page.evaluate(
        """([dataset, label]) => {
            const canvas = document.getElementById("units-chart");
            const chart = Chart.getChart(canvas);
            const index = chart.data.labels.indexOf(label);
            const point = chart.getDatasetMeta(dataset).data[index].getCenterPoint();
            const box = canvas.getBoundingClientRect();
            return {
                count: chart.data.datasets[dataset].data[index],
                url: chart.data.datasets[dataset].urls[index],
                x: box.left + point.x,
                y: box.top + point.y,
            };
        }""",
        [dataset, label],
    )


def test_director_clicks_a_units_overdue_bar_and_lands_on_exactly_those_tasks(page, demo):
    seed_documents()
    seed_tasks()

    sign_in(page, "giamdoc")
    expect(page.get_by_test_id("start-page")).to_have_text("Bảng điều hành")
    assert page.url.endswith("/tasks/dashboard/")

    # This year, the units he supervises: the office has a task past its deadline.
    with page.expect_navigation():  # a named period applies at once
        page.get_by_label("Kỳ").select_option(label="Năm nay")
    page.get_by_label("Phạm vi").select_option(label="Đơn vị tôi phụ trách")
    page.get_by_role("button", name="Xem số liệu").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("period-words")).to_contain_text("Các đơn vị tôi phụ trách")
    page.wait_for_function("() => Chart.getChart(document.getElementById('units-chart')) !== undefined")
    page.wait_for_timeout(400)  # the bars' short entry animation

    bar = segment(page, OVERDUE, "Văn phòng Sở")
    assert bar["count"] > 0
    page.set_viewport_size({"width": 1366, "height": 900})
    page.mouse.click(bar["x"], bar["y"])
    page.wait_for_url(re.compile(r"/tasks/all/\?"))

    query = parse_qs(urlparse(page.url).query)
    assert query["tracking"] == ["overdue"]
    assert "from" in query and "to" in query and "unit" in query
    expect(page.get_by_test_id("list-total")).to_have_text(f"{bar['count']} nhiệm vụ")
    rows = page.get_by_test_id("task-row")
    expect(rows).to_have_count(bar["count"])
    for index in range(bar["count"]):
        expect(rows.nth(index).get_by_test_id("task-tracking")).to_have_text("Đang thực hiện quá hạn")
        expect(rows.nth(index)).to_contain_text("Văn phòng Sở")
    expect(page.get_by_test_id("narrowed")).to_contain_text("Văn phòng Sở")


def test_dashboard_pictures_on_screen_and_on_paper(page, demo):
    seed_documents()
    seed_tasks()
    sign_in(page, "giamdoc")
    page.goto("/tasks/dashboard/?period=year")
    page.wait_for_function("() => Chart.getChart(document.getElementById('units-chart')) !== undefined")
    page.wait_for_timeout(500)
    expect(page.get_by_test_id("units-table").get_by_test_id("figures-row")).to_have_count(7)
    screenshot(page, "dashboard")

    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1000, "height": 1400})
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_timeout(200)
    expect(page.get_by_test_id("trend-table")).to_be_visible()
    expect(page.locator("nav.navbar")).to_be_hidden()
    screenshot(page, "dashboard-print")
    assert (ARTIFACTS / "dashboard-print.png").exists()
