"""The registers of Decree 30 Appendix IV: every column in the law's order, the period's
documents and only them, files that open and cannot run formulae, and who may read them."""

import io
import re
import unicodedata
import zipfile
from datetime import date, timedelta

import openpyxl
import pdfplumber
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directives import services
from directives.models import Document
from lib.errors import DomainError, NotAllowed
from lib.spreadsheets import safe_cell
from lib.workdays import local_today
from reports import registers
from reports.files import registers as register_files
from tests import factories
from units.models import User
from units.roles import Role

MARCH = (date(2027, 3, 1), date(2027, 3, 31))
PERIOD = {"start": "2027-03-01", "end": "2027-03-31"}
DISTRIBUTION = "- Như trên;\n- UBND tỉnh (b/c);\n- Lưu: VT, QLKH."

LAW = {
    "outgoing": [
        "Số, ký hiệu",
        "Ngày tháng",
        "Tên loại và trích yếu",
        "Người ký",
        "Nơi nhận",
        "Đơn vị, người nhận bản lưu",
        "Số lượng bản",
        "Ngày chuyển",
        "Ký nhận",
        "Ghi chú",
    ],
    "incoming": [
        "Ngày đến",
        "Số đến",
        "Tác giả",
        "Số, ký hiệu",
        "Ngày tháng",
        "Tên loại và trích yếu",
        "Đơn vị hoặc người nhận",
        "Ngày chuyển",
        "Ký nhận",
        "Ghi chú",
    ],
    "follow-up": [
        "Số đến",
        "Tên loại, số, ký hiệu, ngày tháng, cơ quan ban hành",
        "Đơn vị hoặc người nhận",
        "Thời hạn giải quyết",
        "Tiến độ giải quyết",
        "Số, ký hiệu văn bản trả lời",
        "Ghi chú",
    ],
}


@pytest.fixture
def issue(make_approved, clerk):
    """An outgoing document signed by carol and issued by alice on ``day``."""

    def make(day: date, **fields) -> Document:
        fields.setdefault("distribution", DISTRIBUTION)
        return services.document_issue(document=make_approved(**fields), by=clerk, today=day)

    return make


@pytest.fixture
def sender(db):
    return factories.OrganisationFactory(name="Bộ Khoa học và Công nghệ")


@pytest.fixture
def receive(clerk, sender, notice_type):
    """An incoming document registered by alice, received on ``day``."""

    def make(day: date, *, by=None, **fields) -> Document:
        fields.setdefault("symbol", "2593/BKHCN-KHTC")
        fields.setdefault("subject", "Hướng dẫn xây dựng kế hoạch khoa học và công nghệ năm 2028")
        fields.setdefault("sender", sender)
        return services.incoming_register(
            by=by or clerk, issued_on=day - timedelta(days=2), doc_type=notice_type, received_on=day, **fields
        )

    return make


@pytest.fixture
def route(director, science_unit, office):
    def make(document: Document):
        return services.incoming_route(
            document=document, by=director, note="Phòng QLKH chủ trì tham mưu.", lead_unit=science_unit,
            cooperating_units=[office], deadline=local_today() + timedelta(days=30),
        )  # fmt: skip

    return make


def sheet_for(user, kind, period=MARCH):
    # A fresh user each time: roles and agency are cached on the instance.
    return registers.register_for(user=User.objects.get(pk=user.pk), kind=kind, start=period[0], end=period[1])


def text(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value or "").split())


# --- columns ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", LAW)
def test_every_register_has_the_columns_of_the_law_in_order(kind):
    assert registers.REGISTERS[kind].headers == LAW[kind]


@pytest.mark.parametrize("kind", LAW)
def test_the_xlsx_header_row_holds_every_column_in_order(clerk, kind):
    workbook = openpyxl.load_workbook(io.BytesIO(register_files.register_xlsx(sheet_for(clerk, kind))))
    sheet = workbook.active
    row = [cell.value for cell in sheet[register_files.HEADER_ROW]]
    assert row == LAW[kind]
    assert sheet["A2"].value == registers.REGISTERS[kind].title
    assert all(cell.font.bold and cell.border.left.style == "thin" for cell in sheet[register_files.HEADER_ROW])
    assert sheet.print_title_rows == f"${register_files.HEADER_ROW}:${register_files.HEADER_ROW}"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1


@pytest.mark.parametrize("kind", LAW)
def test_the_pdf_prints_every_column_in_order_on_every_page(clerk, issue, receive, route, kind):
    for day in range(1, 29):
        issue(date(2027, 3, day))
        route(receive(date(2027, 3, day)))
    pdf = register_files.register_pdf(sheet_for(clerk, kind))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) > 1
        for page in document.pages:
            header = [text(cell) for cell in page.extract_tables()[0][0]]
            assert header == LAW[kind], f"page {page.page_number}"
        first = text(document.pages[0].extract_text())
    assert registers.REGISTERS[kind].title in first
    assert "Từ ngày 01/03/2027 đến ngày 31/03/2027" in first
    assert re.search(r"Trang 1/\d+", first)


# --- rows ------------------------------------------------------------------------------------


def test_the_outgoing_register_lists_the_period_issued_documents_by_number(
    clerk, director, issue, make_approved, science_unit
):
    issue(date(2027, 2, 28), subject="Tháng trước")
    first = issue(date(2027, 3, 2), subject="Kế hoạch kiểm tra đo lường", urgency="khan")
    second = issue(date(2027, 3, 31), subject="Kết luận giao ban")
    issue(date(2027, 4, 1), subject="Tháng sau")
    make_approved(subject="Đã ký, chưa phát hành")

    rows = sheet_for(clerk, "outgoing").rows

    assert [r["document_id"] for r in rows] == [first.pk, second.pk]
    row = rows[0]
    assert row["symbol"] == first.symbol and row["issued_on"] == date(2027, 3, 2) == row["sent_on"]
    assert row["type_and_subject"] == "Thông báo\nKế hoạch kiểm tra đo lường"
    assert row["signer"] == director.get_full_name()
    assert row["recipients"] == f"{science_unit.name}\nUBND tỉnh (b/c)"
    assert row["file_copies"] == f"{science_unit.name}\nLưu: VT, QLKH"
    # one addressee + UBND tỉnh + two archive copies (VT, QLKH); "Như trên" is the addressee
    assert row["copies"] == 4
    assert row["received_by"] == ""
    assert row["note"] == "Khẩn"


def test_a_correction_says_what_it_corrects(clerk, director, unit_head, issue, science_unit):
    original = issue(date(2027, 3, 2))
    correction = services.document_follow_up(document=original, by=clerk, relation=Document.Relation.CORRECTS)
    services.document_update(
        document=correction, by=clerk, drafting_unit=science_unit, body="<p>Đính chính ngày hiệu lực.</p>"
    )
    services.document_submit(document=correction, by=clerk)
    correction.refresh_from_db()
    if correction.state == Document.State.REVIEW:
        services.document_forward(document=correction, by=correction.pending_with)
    services.document_approve(document=correction, by=director)
    services.document_issue(document=correction, by=clerk, today=date(2027, 3, 5))

    rows = sheet_for(clerk, "outgoing").rows

    assert rows[1]["note"] == f"Đính chính văn bản số {original.symbol}"


def test_the_incoming_register_lists_arrivals_of_the_period_with_their_routing(
    clerk, receive, route, science_unit, office
):
    receive(date(2027, 2, 28))
    routed = receive(date(2027, 3, 3), urgency="hoa_toc")
    route(routed)
    waiting = receive(date(2027, 3, 10), symbol="25/CT-UBND")
    receive(date(2027, 4, 1))

    rows = sheet_for(clerk, "incoming").rows

    assert [r["document_id"] for r in rows] == [routed.pk, waiting.pk]
    first, second = rows
    assert first["received_on"] == date(2027, 3, 3) and first["arrival_number"] == routed.number
    assert first["sender"] == "Bộ Khoa học và Công nghệ" and first["symbol"] == "2593/BKHCN-KHTC"
    assert first["issued_on"] == date(2027, 3, 1)
    assert first["handled_by"] == f"Chủ trì: {science_unit.name}\nPhối hợp: {office.name}"
    assert first["sent_on"] == timezone.localdate(routed.routing.routed_at)
    assert first["note"] == "Hỏa tốc"
    assert second["handled_by"] == "" and second["sent_on"] is None and second["note"] == "Chưa phân công"


def test_the_follow_up_register_shows_progress_and_the_reply(clerk, receive, route, issue, specialist, science_unit):
    incoming = receive(date(2027, 3, 3))
    routing = route(incoming)
    reply = issue(date(2027, 3, 20), subject="Báo cáo kế hoạch năm 2028", references=[{"target": incoming}])
    unanswered = receive(date(2027, 3, 4), symbol="25/CT-UBND")

    rows = sheet_for(clerk, "follow-up").rows

    first, second = rows
    assert first["arrival_number"] == incoming.number
    assert first["document"].startswith("Thông báo số 2593/BKHCN-KHTC ngày 01/03/2027 của Bộ Khoa học và Công nghệ")
    assert first["handled_by"].startswith(f"Chủ trì: {science_unit.name}")
    assert first["deadline"] == routing.deadline
    assert first["progress"] == "Mới giao — Đang thực hiện trong hạn"
    assert first["replies"] == f"{reply.symbol} ngày 20/03/2027"
    assert second["document_id"] == unanswered.pk
    assert second["progress"] == "Chưa phân công" and second["replies"] == "" and second["deadline"] is None


# --- who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["specialist", "unit_head", "outsider"])
def test_people_other_than_clerks_and_leaders_are_refused(client, request, persona):
    person = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        sheet_for(person, "outgoing")
    client.force_login(person)
    assert client.get(reverse("directives:registers")).status_code == 403
    for kind in LAW:
        answer = client.get(reverse(f"api-register-{kind}"), {"start": "2027-03-01", "end": "2027-03-31"})
        assert answer.status_code == 403
        assert answer.json()["message"] == "Chỉ văn thư và lãnh đạo cơ quan được xem sổ văn bản."
    answer = client.get(reverse("api-register-outgoing"), {**PERIOD, "format": "xlsx"})
    assert answer.status_code == 403 and answer["Content-Type"] == "application/json"


def test_the_director_reads_the_registers(client, director, issue):
    issue(date(2027, 3, 2))
    client.force_login(director)
    answer = client.get(reverse("api-register-outgoing"), {"start": "2027-03-01", "end": "2027-03-31"})
    assert answer.status_code == 200 and len(answer.json()["rows"]) == 1


def test_a_clerk_of_another_agency_never_sees_our_rows(client, clerk, issue, receive, outsider):
    ours_out, ours_in = issue(date(2027, 3, 2)), receive(date(2027, 3, 2))
    other_clerk = factories.PersonFactory(
        username="olga", full_name="Hồ Thị Olga", agency=outsider.agency, roles=[Role.CLERK, Role.STAFF]
    )
    theirs = receive(date(2027, 3, 2), by=other_clerk)

    for kind in LAW:
        assert {r["document_id"] for r in sheet_for(other_clerk, kind).rows} <= {theirs.pk}
        assert theirs.pk not in {r["document_id"] for r in sheet_for(clerk, kind).rows}
    client.force_login(other_clerk)
    for kind in LAW:
        rows = client.get(reverse(f"api-register-{kind}"), PERIOD).json()["rows"]
        assert {ours_out.pk, ours_in.pk}.isdisjoint(r["document_id"] for r in rows)
    page = client.get(reverse("directives:registers"), {"kind": "outgoing", "start": "2027-03-01", "end": "2027-03-31"})
    assert ours_out.symbol not in page.content.decode()


def test_a_confidential_document_shows_only_to_those_granted_it(clerk, director, issue):
    secret = issue(date(2027, 3, 2), confidentiality="mat")
    # alice issued it, so she holds a grant; carol signed it
    assert secret.pk in {r["document_id"] for r in sheet_for(clerk, "outgoing").rows}
    deputy = factories.PersonFactory(username="dan", agency=clerk.agency, roles=[Role.DEPUTY_DIRECTOR])
    assert secret.pk not in {r["document_id"] for r in sheet_for(deputy, "outgoing").rows}


# --- the number of queries ------------------------------------------------------------------


def queries_for(user, kind) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        rows = sheet_for(user, kind).rows
    return len(queries), len(rows)


@pytest.mark.parametrize("kind", LAW)
def test_a_register_takes_the_same_queries_for_1_and_20_documents(clerk, issue, receive, route, kind):
    def add(day):
        reply_to = receive(date(2027, 3, day))
        route(reply_to)
        issue(date(2027, 3, day), references=[{"target": reply_to}])

    add(1)
    one, count = queries_for(clerk, kind)
    assert count == 1
    for day in range(2, 21):
        add(day)
    twenty, count = queries_for(clerk, kind)
    assert count == 20
    # the person, their roles, their agency, then the documents and what each register prefetches
    assert one == twenty <= 7, one


# --- files --------------------------------------------------------------------------------


def test_safe_cell_keeps_numbers_and_wraps_formula_like_text():
    assert safe_cell(7) == 7 and safe_cell(None) is None and safe_cell(date(2027, 3, 1)) == date(2027, 3, 1)
    assert safe_cell("Như trên") == "Như trên"
    for hostile in ("=1+1", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert str(safe_cell(hostile)) == hostile and not isinstance(safe_cell(hostile), str)
    assert safe_cell("a\x07b") == "ab"  # a control character XML cannot hold


def test_formula_like_text_is_stored_as_text_never_as_a_formula(client, clerk, issue, receive):
    hostile_sender = factories.OrganisationFactory(name='=HYPERLINK("http://x")')
    receive(date(2027, 3, 2), sender=hostile_sender, symbol="+1+1", subject='=HYPERLINK("http://x")')
    issue(date(2027, 3, 3), subject="+1+1")
    client.force_login(clerk)

    for kind in LAW:
        answer = client.get(reverse("directives:registers"), {"kind": kind, **PERIOD, "format": "xlsx"})
        assert answer.status_code == 200
        assert answer["Content-Type"] == register_files.XLSX_TYPE
        content = answer.content
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
        assert all(cell.data_type != "f" for cell in cells)
        if kind == "incoming":
            by_value = {cell.value: cell for cell in cells}
            assert by_value['=HYPERLINK("http://x")'].data_type == "s"
            assert by_value["+1+1"].data_type == "s"
            assert by_value["+1+1"].quotePrefix
            assert 'Thông báo\n=HYPERLINK("http://x")' in by_value


def test_the_api_answers_files_by_format_and_by_accept(client, clerk, issue):
    issue(date(2027, 3, 2))
    client.force_login(clerk)
    url, period = reverse("api-register-outgoing"), {"start": "2027-03-01", "end": "2027-03-31"}

    as_json = client.get(url, period).json()
    assert [c["header"] for c in as_json["columns"]] == LAW["outgoing"]
    assert as_json["rows"][0]["issued_on"] == "2027-03-02" and as_json["rows"][0]["copies"] == 4

    xlsx = client.get(url, {**period, "format": "xlsx"})
    assert xlsx["Content-Type"] == register_files.XLSX_TYPE
    assert 'filename="so-van-ban-di_2027-03-01_2027-03-31.xlsx"' in xlsx["Content-Disposition"]
    assert client.get(url, period, HTTP_ACCEPT=register_files.XLSX_TYPE)["Content-Type"] == register_files.XLSX_TYPE

    pdf = client.get(url, {**period, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


# --- periods --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2027-03-31", "2027-03-01", "Ngày kết thúc không được trước ngày bắt đầu."),
        ("2026-01-01", "2027-01-02", "Mỗi lần chỉ in được sổ của tối đa 366 ngày; hãy chọn khoảng thời gian ngắn hơn."),
    ],
)
def test_a_bad_period_is_refused_in_vietnamese(client, clerk, start, end, message):
    client.force_login(clerk)
    for kind in LAW:
        answer = client.get(reverse(f"api-register-{kind}"), {"start": start, "end": end, "format": "xlsx"})
        assert answer.status_code == 400
        assert answer.json()["message"] == message
    page = client.get(reverse("directives:registers"), {"kind": "outgoing", "start": start, "end": end})
    assert page.status_code == 400 and message in page.content.decode()


def test_a_missing_or_malformed_date_is_refused_in_vietnamese(client, clerk):
    client.force_login(clerk)
    answer = client.get(reverse("api-register-incoming"), {"start": "31/03/2027"})
    assert answer.status_code == 400
    assert answer.json()["extra"]["fields"] == {
        "start": ["Ngày không hợp lệ: cần dạng NNNN-TT-NN, ví dụ 2026-03-31."],
        "end": ["Hãy chọn ngày (dạng NNNN-TT-NN)."],
    }


def test_a_leap_year_fits_in_one_register():
    registers.period_check(date(2028, 1, 1), date(2028, 12, 31))
    with pytest.raises(DomainError):
        registers.period_check(date(2027, 1, 1), date(2028, 1, 2))


# --- the page -------------------------------------------------------------------------------


def test_the_page_defaults_to_this_month_and_links_the_files(client, clerk, issue):
    start, end = registers.period_default()
    document = issue(start)
    client.force_login(clerk)
    page = client.get(reverse("directives:registers")).content.decode()
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in page and document.symbol in page
    assert all(header in page for header in LAW["outgoing"])
    assert f"start={start.isoformat()}" in page and "format=xlsx" in page and "format=pdf" in page
    assert "Tải XLSX" in page and "In PDF" in page
    assert "<script>" not in page.split("<main")[1].split("</main>")[0]


def test_the_desk_and_menu_link_the_registers_for_clerks_and_leaders_only(client, clerk, director, specialist):
    url = reverse("directives:registers")
    for person, shown in ((clerk, True), (director, True), (specialist, False)):
        client.force_login(person)
        page = client.get(reverse("directives:desk")).content.decode()
        assert (f'href="{url}"' in page) is shown, person.username


def test_period_default_is_the_whole_month():
    assert registers.period_default(date(2028, 2, 10)) == (date(2028, 2, 1), date(2028, 2, 29))
