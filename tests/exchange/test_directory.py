"""The directory of organisations copied from the LGSP platform (the fake, over real HTTP)."""

import pytest
from django.core.management import CommandError, call_command

from exchange import jobs
from exchange.directory import directory_sync
from exchange.transport import TransportError
from tests import factories
from tests.exchange.fake_lgsp import fake_lgsp_fixture  # noqa: F401 - the fixture `fake_lgsp`
from units.models import Organisation


def entry(organ_id: str, name: str, parent: str | None = None) -> dict:
    return {"organId": organ_id, "organName": name, "parentId": parent}


def test_the_directory_creates_new_bodies_and_renames_known_ones_by_identity(db, fake_lgsp, capsys):
    renamed = factories.OrganisationFactory(
        name="Sở KH&ĐT", exchange_id="H37.DN.004", abbreviation="SKHĐT", email="skhdt@example.vn", is_active=False
    )
    by_hand = factories.OrganisationFactory(name="Công an tỉnh")
    unchanged = factories.OrganisationFactory(name="Sở Tài chính", exchange_id="H37.DN.003")
    fake_lgsp.organisations = [
        entry("H37", "UBND tỉnh Bà Rịa - Vũng Tàu"),
        entry("H37.DN.003", "Sở Tài chính", "H37"),
        entry("H37.DN.004", "Sở Kế hoạch và Đầu tư", "H37"),
        entry("H37.CA", "Công an tỉnh", "H37"),
        entry("H37.DN.005", "Sở Nội vụ", "H37"),
    ]  # three pages of two

    call_command("exchange_directory_sync")

    assert capsys.readouterr().out.strip() == (
        "Đã cập nhật danh mục từ nền tảng liên thông: 2 cơ quan mới, 2 cơ quan cập nhật, 1 không đổi, "
        "0 bỏ qua (mã định danh không hợp lệ hoặc tên trùng)."
    )
    assert dict(Organisation.objects.exclude(exchange_id="").values_list("exchange_id", "name")) == {
        "H37": "UBND tỉnh Bà Rịa - Vũng Tàu",
        "H37.DN.003": "Sở Tài chính",
        "H37.DN.004": "Sở Kế hoạch và Đầu tư",
        "H37.CA": "Công an tỉnh",
        "H37.DN.005": "Sở Nội vụ",
    }
    renamed.refresh_from_db()
    # What the administrator keeps besides the name is left alone.
    assert (renamed.abbreviation, renamed.email, renamed.is_active) == ("SKHĐT", "skhdt@example.vn", False)
    assert Organisation.objects.get(pk=by_hand.pk).exchange_id == "H37.CA"  # the same body, given its identity
    assert Organisation.objects.get(pk=unchanged.pk).name == "Sở Tài chính"
    assert Organisation.objects.count() == 5  # nothing doubled, nothing deleted

    assert directory_sync() == {"created": 0, "updated": 0, "unchanged": 5, "skipped": 0}


def test_entries_that_cannot_be_kept_are_skipped_and_nothing_is_deleted(db, fake_lgsp):
    kept = factories.OrganisationFactory(name="Thủ tướng Chính phủ", exchange_id="000.00.00.G01")
    factories.OrganisationFactory(name="Sở Y tế", exchange_id="H37.DN.010")
    fake_lgsp.organisations = [
        entry("h37-bad", "Mã sai"),
        entry("H37.DN.011", "   "),
        entry("H37.DN.012", "Sở Y tế"),  # the name another identity has
    ]
    assert directory_sync() == {"created": 0, "updated": 0, "unchanged": 0, "skipped": 3}
    assert Organisation.objects.count() == 2 and Organisation.objects.filter(pk=kept.pk).exists()


def test_a_platform_failing_half_way_changes_nothing(db, fake_lgsp):
    fake_lgsp.organisations = [entry(f"H37.DN.{n:03}", f"Sở {n}") for n in range(1, 6)]
    fake_lgsp.fail_next(1, status=400, endpoint="organisations")
    with pytest.raises(CommandError, match="Nền tảng liên thông từ chối yêu cầu"):
        call_command("exchange_directory_sync")
    fake_lgsp.organisations.append({"organName": "Không có mã"})  # a malformed entry on the last page
    with pytest.raises(TransportError):
        directory_sync()
    assert not Organisation.objects.exists()


def test_without_lgsp_the_weekly_job_does_nothing_and_the_command_says_why(db, settings):
    settings.EXCHANGE_LGSP_URL = ""
    assert jobs.directory_sync.delay().get() is None
    with pytest.raises(CommandError, match="Chưa cấu hình kết nối nền tảng liên thông"):
        call_command("exchange_directory_sync")
