"""The notification list and the bell in the page header."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notification_send


@pytest.fixture
def notices(specialist):
    notification_send(users=[specialist], kind="a", message="Thông báo cũ", url="/directives/")
    return notification_send(users=[specialist], kind="b", message="Thông báo mới", url="/tasks/")


def test_the_list_shows_newest_first_with_unread_highlighted(client, specialist, notices):
    client.force_login(specialist)
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.index("Thông báo mới") < page.index("Thông báo cũ")
    assert page.count("notice-unread") == 2


def test_the_bell_counts_unread_notices(client, specialist, notices):
    client.force_login(specialist)
    page = client.get(reverse("notifications:badge")).content.decode()
    assert 'data-testid="bell"' in page and ">2<" in page
    assert 'hx-trigger="every 60s"' in page


def test_opening_a_notice_marks_it_read_and_follows_its_link(client, specialist, notices):
    client.force_login(specialist)
    response = client.get(reverse("notifications:open", args=[notices[0].pk]))
    assert response["Location"] == "/tasks/"
    assert Notification.objects.filter(user=specialist, read_at=None).count() == 1


def test_someone_elses_notice_is_404_and_stays_unread(client, unit_head, notices):
    client.force_login(unit_head)
    assert client.get(reverse("notifications:open", args=[notices[0].pk])).status_code == 404
    notices[0].refresh_from_db()
    assert notices[0].read_at is None


def test_mark_all_read_is_post_only(client, specialist, notices):
    client.force_login(specialist)
    assert client.get(reverse("notifications:read_all")).status_code == 405
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(user=specialist, read_at=None).exists()
    assert "notice-unread" not in client.get(reverse("notifications:list")).content.decode()


def test_a_signed_out_bell_poll_swaps_nothing(client, db):
    assert client.get(reverse("notifications:badge")).status_code == 204
