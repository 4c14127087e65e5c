"""lib/querycount.py: the X-Query-Count header for bench/run, off unless PORTAL_BENCH_QUERY_HEADER is set."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

MIDDLEWARE = "lib.querycount.QueryCountMiddleware"

pytestmark = pytest.mark.django_db


def test_off_by_default(client, specialist):
    assert settings.PORTAL_BENCH_QUERY_HEADER is False
    assert MIDDLEWARE not in settings.MIDDLEWARE
    client.force_login(specialist)
    response = client.get(reverse("tasks:mine"))
    assert response.status_code == 200
    assert "X-Query-Count" not in response.headers


def test_counts_every_query_of_the_request(client, specialist):
    client.force_login(specialist)
    with override_settings(MIDDLEWARE=[MIDDLEWARE, *settings.MIDDLEWARE]):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("tasks:mine"))
        assert response.status_code == 200
        assert int(response.headers["X-Query-Count"]) == len(queries) > 2
        # A page without a database read still gets its count.
        client.logout()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("login"))
        assert int(response.headers["X-Query-Count"]) == len(queries)
