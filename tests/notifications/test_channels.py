"""Channels named in settings.NOTIFICATION_CHANNELS, including by their path from before notices had their own app."""

import pytest

from notifications.channels import EmailChannel, channels


@pytest.fixture
def fresh_channels():
    channels.cache_clear()
    yield
    channels.cache_clear()


def test_a_channel_named_by_its_old_path_in_units_is_still_found(settings, fresh_channels):
    settings.NOTIFICATION_CHANNELS = ["units.channels.EmailChannel"]
    assert isinstance(channels()["email"], EmailChannel)


def test_the_default_names_the_channel_in_its_own_app(settings, fresh_channels):
    assert settings.NOTIFICATION_CHANNELS == ["notifications.channels.EmailChannel"]
    assert isinstance(channels()["email"], EmailChannel)
