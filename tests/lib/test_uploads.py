"""The upload checker (lib/uploads.py): kinds from the bytes, sizes, archives, names."""

import io
import os
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command

from lib.staged_uploads import STAGING, staged_read, upload_stage, uploads_staging_clean
from lib.uploads import RandomName, UploadRefused, clean_name, upload_check
from tests import uploads


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (uploads.PDF, "pdf"),
        (uploads.png_bytes(), "png"),
        (uploads.docx_bytes(), "docx"),
        (uploads.xlsx_bytes(), "xlsx"),
        (uploads.odt_bytes(), "odt"),
        (uploads.JPG, "jpg"),
    ],
)
def test_good_files_are_recognised_by_their_bytes_whatever_their_name(content, kind):
    checked = upload_check(io.BytesIO(content), name="tệp không đuôi")
    assert checked.kind.code == kind
    assert checked.original_name == "tệp không đuôi"


@pytest.mark.parametrize("case", list(uploads.hostile_uploads()))
def test_hostile_files_are_refused_with_a_message_naming_them(case):
    name, content = uploads.hostile_uploads()[case]
    with pytest.raises(UploadRefused) as refused:
        upload_check(io.BytesIO(content), name=name)
    assert f"«{name}»" in refused.value.message
    assert "bị từ chối" in refused.value.message


def test_an_exe_renamed_pdf_is_refused_as_not_an_allowed_kind():
    with pytest.raises(UploadRefused) as refused:
        upload_check(io.BytesIO(uploads.EXE), name="ke-hoach.pdf")
    assert refused.value.extra["reason"] == "type"
    assert "Loại tệp được xác định theo nội dung, không theo tên tệp." in refused.value.message


def test_the_allowed_kinds_come_from_the_settings(settings):
    settings.UPLOAD_ALLOWED_TYPES = ["pdf"]
    with pytest.raises(UploadRefused) as refused:
        upload_check(io.BytesIO(uploads.docx_bytes()), name="du-thao.docx")
    assert "(PDF)" in refused.value.message
    assert upload_check(io.BytesIO(uploads.PDF), name="a.pdf").kind.code == "pdf"


def test_a_file_over_the_limit_is_refused_with_its_size(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(UploadRefused) as refused:
        upload_check(io.BytesIO(uploads.PDF + b"%" * 2000), name="lon.pdf")
    assert refused.value.message == "Tệp «lon.pdf» có dung lượng 2,0\xa0KB, vượt giới hạn 1,0\xa0KB."


def test_the_default_limit_is_20_mb(settings):
    assert settings.UPLOAD_MAX_BYTES == 20 * 2**20
    with pytest.raises(UploadRefused, match="vượt giới hạn 20,0"):
        upload_check(io.BytesIO(uploads.PDF + b"\0" * 20 * 2**20), name="lon.pdf")


def test_an_empty_file_is_refused():
    with pytest.raises(UploadRefused, match="rỗng"):
        upload_check(io.BytesIO(b""), name="trong.pdf")


def test_a_zip_with_too_many_entries_is_refused_from_its_end_record(settings):
    settings.UPLOAD_ARCHIVE_MAX_ENTRIES = 50
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for number in range(60):
            archive.writestr(f"word/media/{number}.xml", "")
    with pytest.raises(UploadRefused) as refused:
        upload_check(io.BytesIO(buffer.getvalue()), name="nhieu-phan.docx")
    assert refused.value.extra["reason"] == "archive"


def test_a_big_but_ordinary_workbook_is_accepted():
    """Ratio alone does not refuse: a workbook inflating to less than the floor passes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(uploads.xlsx_bytes())) as source, zipfile.ZipFile(buffer, "w", 8) as out:
        for info in source.infolist():
            out.writestr(info.filename, source.read(info.filename))
        out.writestr("xl/sharedStrings.xml", "A" * 2 * 2**20)  # inflates 1000 times, 2 MB in all
    assert upload_check(io.BytesIO(buffer.getvalue()), name="a.xlsx").kind.code == "xlsx"


def test_a_zip_that_is_no_office_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("setup.exe", uploads.EXE)
    with pytest.raises(UploadRefused, match="không thuộc loại được phép"):
        upload_check(io.BytesIO(buffer.getvalue()), name="tai-lieu.docx")


def test_names_keep_vietnamese_and_lose_folders_and_control_characters():
    assert clean_name("C:\\Users\\an\\Báo cáo\x00 tiến độ.pdf") == "Báo cáo tiến độ.pdf"
    assert clean_name("../../etc/passwd") == "passwd"
    decomposed = "Ba\u0301o ca\u0301o.pdf"
    assert clean_name(decomposed) == "Báo cáo.pdf"
    assert len(clean_name("a" * 300 + ".docx")) == 255 and clean_name("a" * 300 + ".docx").endswith(".docx")


def test_stored_names_are_random_with_the_kind_s_extension():
    name = RandomName("attachments/%Y/%m/")(None, "upload.pdf")
    assert name.startswith("attachments/") and name.endswith(".pdf") and len(name.rsplit("/", 1)[1]) == 36
    assert RandomName("x/")(None, "../evil.p hp").endswith(tuple("0123456789abcdef"))


# --- staging -------------------------------------------------------------------------------


def test_a_staged_file_is_found_by_its_token_only_by_its_owner(db):
    staged = upload_stage(upload_check(io.BytesIO(uploads.PDF), name="Kế hoạch.pdf"), owner_id=7)
    assert staged.path.startswith(f"{STAGING}/")
    found = staged_read(staged.token, owner_id=7)
    assert (found.original_name, found.kind.code, found.path) == ("Kế hoạch.pdf", "pdf", staged.path)
    assert staged_read(staged.token, owner_id=8) is None
    assert staged_read(staged.token + "x", owner_id=7) is None


def test_stale_staged_files_are_cleaned_by_the_command(db, settings):
    upload_stage(upload_check(io.BytesIO(uploads.PDF), name="cu.pdf"), owner_id=1)
    staging = settings.MEDIA_ROOT / STAGING
    old = next(staging.iterdir())
    stamp = old.stat().st_mtime - 25 * 3600
    os.utime(old, (stamp, stamp))
    upload_stage(upload_check(io.BytesIO(uploads.PDF), name="moi.pdf"), owner_id=1)
    out = io.StringIO()
    call_command("clean_staged_uploads", stdout=out)
    assert out.getvalue().strip() == "deleted 1"
    assert len(list(staging.iterdir())) == 1
    assert uploads_staging_clean(older_than=timedelta(0)) == 1


def test_any_plain_text_passes_as_csv_where_csv_is_asked_for_but_markup_never():
    """libmagic's guesses at plain text (here C source) do not refuse a CSV; HTML, XML, SVG do."""
    looks_like_c = b"#include <stdio.h>\nint main(void) { return 0; }\n"
    assert upload_check(io.BytesIO(looks_like_c), name="a.csv", allowed=["csv"]).kind.code == "csv"
    for markup in (uploads.HTML, uploads.SVG, b'<?xml version="1.0"?><a/>'):
        with pytest.raises(UploadRefused):
            upload_check(io.BytesIO(markup), name="a.csv", allowed=["csv"])
    with pytest.raises(UploadRefused):
        upload_check(io.BytesIO(looks_like_c), name="a.pdf")  # text is never a default kind
