"""``manage.py import_document PATH [--json] [--save] [--agency ABBR] [--by USERNAME]`` (issue #17, item 3)."""

import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command

from directives.models import Document
from intake import extract, parser
from intake.models import Reading
from tests.intake.test_register import SYMBOL, _fields
from tests.uploads import docx_bytes

TEXT = "UBND TỈNH QUẢNG TRỊ\nSố: 2593/UBND-YT\nV/v tăng cường phòng chống dịch\n"


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_document", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def text_file(tmp_path):
    path = tmp_path / "cong-van.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@pytest.fixture
def parsed(monkeypatch):
    seen = {}

    def parse(text, *, units=(), organisations=(), agency=None):
        seen.update(text=text, agency=agency, units=[u.name for u in units])
        return _fields()

    monkeypatch.setattr(parser, "parse", parse)
    return seen


def test_json_is_the_parser_s_answer_and_nothing_else(text_file, agency, science_unit, parsed):
    out, _err = run(str(text_file), "--json", "--agency", "SKHCN")
    assert json.loads(out) == _fields()
    assert parsed["text"] == TEXT and parsed["agency"] == agency and "Phòng Quản lý Khoa học" in parsed["units"]


def test_json_with_the_real_parser_has_every_schema_key(text_file, db):
    answer = json.loads(run(str(text_file), "--json")[0])
    assert set(parser.FIELDS) | {"uncertain"} <= set(answer)


def test_the_readable_print_uses_vietnamese_labels_and_marks_what_to_check(text_file, db, parsed):
    out, _err = run(str(text_file))
    assert f"Số, ký hiệu: {SYMBOL}" in out
    assert "Trích yếu (cần kiểm tra): Tăng cường phòng chống dịch <COVID-19>" in out
    assert "Độ mật: — (không đọc được)" in out
    assert "  - Chỉ thị 16/CT-TTg ngày 2020-03-31 của Thủ tướng Chính phủ" in out
    assert "chủ trì: Phòng Quản lý Khoa học; phối hợp: Văn phòng Sở; hạn: 2031-04-30" in out


def test_a_docx_is_read_through_extract(tmp_path, db, monkeypatch, parsed):
    data = docx_bytes()
    path = tmp_path / "cong-van.docx"
    path.write_bytes(data)
    calls = []

    def text_of(given, *, name):  # extraction is another module's: here only its wiring is checked
        calls.append((given, name))
        return extract.Extracted(TEXT, "docx")

    monkeypatch.setattr(extract, "text_of", text_of)
    out, _err = run(str(path), "--json")
    assert calls == [(data, "cong-van.docx")]
    assert json.loads(out)["symbol"] == SYMBOL and parsed["text"] == TEXT


def test_a_scan_is_read_by_ocr_on_the_command_line(tmp_path, db, monkeypatch, parsed):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4 scan")
    monkeypatch.setattr(extract, "text_of", lambda data, *, name: extract.Extracted("", "ocr", needs_ocr=True))
    monkeypatch.setattr(extract, "ocr", lambda data, *, name: extract.Extracted(TEXT, "ocr", confidence=88.0))
    out, _err = run(str(path))
    assert "Cách đọc: ocr, độ tin cậy 88%" in out and parsed["text"] == TEXT


def test_save_registers_with_the_original_file_as_the_agency_s_first_clerk(
    tmp_path, clerk, director, cong_van, monkeypatch, parsed
):
    data = docx_bytes()
    path = tmp_path / "cong-van-2593.docx"
    path.write_bytes(data)
    monkeypatch.setattr(extract, "text_of", lambda given, *, name: extract.Extracted(TEXT, "docx"))
    out, err = run(str(path), "--json", "--save", "--agency", "SKHCN")
    assert json.loads(out)["symbol"] == SYMBOL  # stdout stays pure JSON
    document = Document.objects.get()
    assert "Đã vào sổ văn bản đến: số đến 1" in err and "2 nhiệm vụ đề xuất" in err
    assert (document.symbol, document.doc_type, document.author) == (SYMBOL, cong_van, clerk)
    assert document.sender.name == "UBND tỉnh Quảng Trị"
    attachment = document.attachments.get()
    assert attachment.sha256 == hashlib.sha256(data).hexdigest() and attachment.name == "cong-van-2593.docx"
    assert Reading.objects.get().document == document  # the proposed tasks wait for the routing


def test_save_names_what_it_could_not_read_and_registers_nothing(tmp_path, clerk):
    path = tmp_path / "ghi-chu.txt"
    path.write_text("Ghi chú gửi kèm hồ sơ, không phải một văn bản hành chính.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="không đọc được cơ quan gửi, loại văn bản, số, ký hiệu, trích yếu"):
        run(str(path), "--save", "--agency", "SKHCN")
    assert not Document.objects.exists() and not Reading.objects.exists()


def test_save_refuses_someone_who_may_not_register(text_file, specialist, parsed):
    with pytest.raises(CommandError, match="không có quyền vào sổ"):
        run(str(text_file), "--save", "--by", "dave")
    assert not Document.objects.exists()


def test_an_unknown_agency_or_missing_file_is_a_clear_error(tmp_path, db):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        run(str(tmp_path / "none.txt"))
    path = tmp_path / "a.txt"
    path.write_text(TEXT)
    with pytest.raises(CommandError, match="Không có cơ quan viết tắt «XYZ»"):
        run(str(path), "--agency", "XYZ")
