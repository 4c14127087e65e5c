"""Headers and page-wide behaviour every page shares."""

from django.urls import reverse


def test_strict_content_security_policy_on_pages(client, db):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"


def test_pages_vary_on_htmx_requests(client, db):
    assert "HX-Request" in client.get(reverse("login"))["Vary"]


def test_english_is_not_offered_while_nothing_is_translated(client, specialist):
    client.force_login(specialist)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("tasks:mine"))
    assert response["Content-Language"] == "vi"


def test_admin_is_vietnamese(admin_client):
    assert "Quản trị" in admin_client.get("/admin/").content.decode()


def test_administrator_reaches_people_admin_but_staff_do_not(client, administrator, specialist):
    client.force_login(administrator)
    assert client.get("/admin/units/user/").status_code == 200
    client.force_login(specialist)
    assert client.get("/admin/units/user/").status_code == 302
