"""bench/floors.py: the floors and the stock admin exist only when PORTAL_BENCH_QUERY_HEADER is on."""

import importlib

import pytest
from django.test.utils import override_settings
from django.urls import Resolver404, clear_url_caches, resolve

import config.urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_urls():
    """config.urls as it is built with the bench flag on; the usual URLConf back afterwards."""
    with override_settings(PORTAL_BENCH_QUERY_HEADER=True):
        importlib.reload(config.urls)
        clear_url_caches()
        yield
    importlib.reload(config.urls)
    clear_url_caches()


def test_no_floor_or_stock_admin_without_the_flag():
    for url in ("/_bench/floor/my-tasks/", "/_bench/admin/"):
        with pytest.raises(Resolver404):
            resolve(url)


def test_the_floor_renders_the_pages_template_with_its_own_sql(bench_urls, client, specialist):
    client.force_login(specialist)
    page = client.get("/tasks/")
    floor = client.get("/_bench/floor/my-tasks/", {"path": "/tasks/"})
    assert floor.status_code == 200
    assert [t.name for t in floor.templates][0] == [t.name for t in page.templates][0] == "tasks/list.html"
    # A second request renders the context captured by the first.
    assert client.get("/_bench/floor/my-tasks/", {"path": "/tasks/"}).status_code == 200
    assert client.get("/_bench/floor/no-such-page/", {"path": "/tasks/"}).status_code == 404


def test_the_stock_admin_lists_tasks_for_a_superuser(bench_urls, client, django_user_model):
    root = django_user_model.objects.create_superuser(username="root", password="x-Y-z-123456")
    client.force_login(root)
    assert client.get("/_bench/admin/tasks/task/", {"handler": root.pk}).status_code == 200
