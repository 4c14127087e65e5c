"""Import of units and people from CSV and XLSX files (units/importing.py, docs/import.md)."""

import csv
import tracemalloc
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from lib.errors import NotAllowed
from tests import uploads
from units.importing import MAX_ROWS, people_import
from units.models import Agency, Membership, Supervision, Unit, User
from units.roles import Role

UNIT_HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Đơn vị cấp trên"]
PERSON_HEADER = [
    "Tên đăng nhập",
    "Họ và tên",
    "Email",
    "Điện thoại",
    "Đơn vị",
    "Chức vụ",
    "Lãnh đạo đơn vị",
    "Vai trò",
    "Chức danh",
    "Phụ trách",
]
UNITS = [
    ["VP", "Văn phòng Sở", "Văn phòng", ""],
    ["QLKH", "Phòng Quản lý Khoa học", "Phòng", ""],
    ["TĐC", "Chi cục Tiêu chuẩn Đo lường Chất lượng", "Chi cục", ""],
    ["TĐC.KĐ", "Tổ Kiểm định", "Tổ", "TĐC"],
]
PEOPLE = [
    ["giamdoc", "Nguyễn Công Danh", "giamdoc@skhcn.example.vn", "", "", "", "", "Giám đốc", "Giám đốc", "VP, QLKH"],
    ["vanthu", "Nguyễn Minh Phương", "vanthu@skhcn.example.vn", "0254 3852 541", "VP", "Văn thư", "không",
     "Văn thư, Chuyên viên", "", ""],
    ["truongphong", "Phạm Quốc Bảo", "truongphong@skhcn.example.vn", "", "QLKH", "Trưởng phòng", "có",
     "Lãnh đạo đơn vị, staff", "", ""],
]  # fmt: skip


@pytest.fixture
def agency(db):
    return Agency.objects.create(abbreviation="SKHCN", name="Sở Khoa học và Công nghệ", place_name="Bà Rịa - Vũng Tàu")


@pytest.fixture
def other_agency(db):
    other = Agency.objects.create(abbreviation="SNV", name="Sở Nội vụ", place_name="Bà Rịa - Vũng Tàu")
    Unit.objects.create(agency=other, abbreviation="TCCB", name="Phòng Tổ chức cán bộ")
    return other


@pytest.fixture
def administrator(agency):
    user = User.objects.create_user(username="quantri", full_name="Võ Thành Nam", password="x", agency=agency)
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    return user


@pytest.fixture
def specialist(agency):
    user = User.objects.create_user(username="chuyenvien", full_name="Đỗ Thị Lan", password="x", agency=agency)
    user.is_staff = True  # even with access to the admin, importing needs the permission
    user.save()
    user.groups.add(Group.objects.get(name=Role.STAFF))
    return user


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",", bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    workbook.save(path)
    return path


def good_xlsx(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "don-vi-can-bo.xlsx", {"Đơn vị": [UNIT_HEADER, *UNITS], "Cán bộ": [PERSON_HEADER, *PEOPLE]}
    )


def run(path: Path, agency: Agency, **kwargs):
    return people_import(name=path.name, content=path.read_bytes(), agency=agency, by=None, **kwargs)


def row_counts() -> tuple[int, int, int, int]:
    return Unit.objects.count(), User.objects.count(), Membership.objects.count(), Supervision.objects.count()


def problems(result) -> list[tuple[str, int | None, str]]:
    return [(p.sheet, p.line, p.column) for p in result.problems]


# --- A good file -------------------------------------------------------------


def test_good_xlsx_imports_units_people_memberships_roles_and_supervision(agency, tmp_path):
    result = run(good_xlsx(tmp_path), agency)

    assert result.ok, [str(p) for p in result.problems]
    assert result.summary() == "Đã nhập 4 đơn vị, 3 cán bộ."
    kiem_dinh = Unit.objects.get(agency=agency, abbreviation="TĐC.KĐ")
    assert (kiem_dinh.name, kiem_dinh.kind, kiem_dinh.parent.abbreviation) == ("Tổ Kiểm định", Unit.Kind.TO, "TĐC")
    assert Unit.objects.get(abbreviation="VP").kind == Unit.Kind.VAN_PHONG

    director = User.objects.get(username="giamdoc")
    assert (director.full_name, director.title, director.agency) == ("Nguyễn Công Danh", "Giám đốc", agency)
    assert director.roles == {Role.DIRECTOR}
    assert not director.has_usable_password()
    assert sorted(director.supervised_units.values_list("abbreviation", flat=True)) == ["QLKH", "VP"]
    assert not director.memberships.exists()

    clerk = User.objects.get(username="vanthu")
    assert clerk.roles == {Role.CLERK, Role.STAFF}
    assert clerk.phone == "0254 3852 541"
    assert list(clerk.memberships.values_list("unit__abbreviation", "position", "is_head")) == [
        ("VP", "Văn thư", False)
    ]
    head = User.objects.get(username="truongphong")
    assert head.roles == {Role.UNIT_HEAD, Role.STAFF}
    assert list(head.memberships.values_list("unit__abbreviation", "is_head")) == [("QLKH", True)]


def test_csv_with_bom_and_semicolons_is_read_like_excel_writes_it(agency, tmp_path):
    path = write_csv(tmp_path / "don-vi.csv", [UNIT_HEADER, *UNITS], delimiter=";", bom=True)

    result = run(path, agency)

    assert result.ok, [str(p) for p in result.problems]
    assert set(Unit.objects.values_list("abbreviation", flat=True)) == {"VP", "QLKH", "TĐC", "TĐC.KĐ"}


def test_headers_match_regardless_of_case_and_diacritics(agency, tmp_path):
    header = ["MA DON VI", "ten don vi", "  Loại  ", "đơn vị CẤP TRÊN"]
    path = write_csv(tmp_path / "don-vi.csv", [header, ["VP", "Văn phòng Sở", "van phong", ""]])

    result = run(path, agency)

    assert result.ok, [str(p) for p in result.problems]
    assert Unit.objects.get(abbreviation="VP").kind == Unit.Kind.VAN_PHONG


def test_people_csv_refers_to_units_already_stored(agency, tmp_path):
    Unit.objects.create(agency=agency, abbreviation="VP", name="Văn phòng Sở", kind=Unit.Kind.VAN_PHONG)
    path = write_csv(tmp_path / "can-bo.csv", [PERSON_HEADER, PEOPLE[1]])

    result = run(path, agency)

    assert result.ok, [str(p) for p in result.problems]
    assert result.summary() == "Đã nhập 0 đơn vị, 1 cán bộ."
    assert User.objects.get(username="vanthu").memberships.get().unit.abbreviation == "VP"


def test_reimporting_the_same_file_changes_nothing(agency, tmp_path):
    path = good_xlsx(tmp_path)
    run(path, agency)
    before = row_counts()
    memberships = list(Membership.objects.values_list("id", "user__username", "unit__abbreviation", "position"))

    result = run(path, agency)

    assert result.ok
    assert (len(result.units_created), len(result.people_created)) == (0, 0)
    assert (len(result.units_updated), len(result.people_updated)) == (4, 3)
    assert row_counts() == before
    assert list(Membership.objects.values_list("id", "user__username", "unit__abbreviation", "position")) == memberships


def test_reimport_updates_rows_found_by_their_natural_keys(agency, tmp_path):
    run(good_xlsx(tmp_path), agency)
    User.objects.filter(username="vanthu").update(phone="")
    units = [UNIT_HEADER, ["VP", "Văn phòng Sở Khoa học", "Văn phòng", ""]]
    people = [PERSON_HEADER, ["vanthu", "Nguyễn Minh Phương", "vt@skhcn.example.vn", "", "QLKH", "Chuyên viên",
                              "", "Chuyên viên", "", ""]]  # fmt: skip
    path = write_xlsx(tmp_path / "lan-hai.xlsx", {"Đơn vị": units, "Cán bộ": people})

    result = run(path, agency)

    assert result.ok, [str(p) for p in result.problems]
    assert Unit.objects.get(abbreviation="VP").name == "Văn phòng Sở Khoa học"
    clerk = User.objects.get(username="vanthu")
    assert clerk.email == "vt@skhcn.example.vn"
    assert clerk.roles == {Role.STAFF}
    # The row states the person's whole place: they moved from VP to QLKH.
    assert list(clerk.memberships.values_list("unit__abbreviation", "position")) == [("QLKH", "Chuyên viên")]


def test_dry_run_reports_counts_and_writes_nothing(agency, tmp_path):
    before = row_counts()

    result = run(good_xlsx(tmp_path), agency, dry_run=True)

    assert result.ok
    assert "sẽ nhập 4 đơn vị, 3 cán bộ" in result.summary()
    assert row_counts() == before


# --- Bad rows ------------------------------------------------------------------


def person(**changes) -> list[str]:
    """A good person row (the clerk), with some cells changed."""
    row = dict(zip(PERSON_HEADER, PEOPLE[1], strict=True))
    row.update({PERSON_HEADER[[fold_key(h) for h in PERSON_HEADER].index(fold_key(k))]: v for k, v in changes.items()})
    return [row[h] for h in PERSON_HEADER]


def fold_key(text: str) -> str:
    return {"Tên đăng nhập": "username", "Họ và tên": "full_name", "Email": "email", "Điện thoại": "phone",
            "Đơn vị": "unit", "Chức vụ": "position", "Lãnh đạo đơn vị": "is_head", "Vai trò": "roles",
            "Chức danh": "title", "Phụ trách": "supervised"}.get(text, text)  # fmt: skip


def import_rows(tmp_path, agency, *, units=(), people=()) -> list[tuple[str, int | None, str, str]]:
    sheets = {}
    if units:
        sheets["Đơn vị"] = [UNIT_HEADER, *units]
    if people:
        sheets["Cán bộ"] = [PERSON_HEADER, *people]
    result = run(write_xlsx(tmp_path / "tep.xlsx", sheets), agency)
    return [(p.sheet, p.line, p.column, p.message) for p in result.problems]


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (["", "Văn phòng Sở", "Văn phòng", ""], "Mã đơn vị", "Chưa nhập giá trị."),
        (["VP", "", "Văn phòng", ""], "Tên đơn vị", "Chưa nhập giá trị."),
        (["VP", "Văn phòng Sở", "Ban", ""], "Loại", "Không có loại đơn vị «Ban»"),
        (["VP", "Văn phòng Sở", "Văn phòng", "XYZ"], "Đơn vị cấp trên", "Không có đơn vị mã «XYZ»"),
        (["V P", "Văn phòng Sở", "Văn phòng", ""], "Mã đơn vị", "không được chứa khoảng trắng"),
        (["VP", "V" * 256, "Văn phòng", ""], "Tên đơn vị", "Dài 256 ký tự, tối đa 255 ký tự."),
        (["VP", "Văn phòng Sở", "Văn phòng", "VP"], "Đơn vị cấp trên", "vòng lặp: VP → VP"),
    ],
)
def test_bad_unit_row_is_reported_with_its_line_column_and_reason(agency, tmp_path, row, column, reason):
    found = import_rows(tmp_path, agency, units=[UNITS[1], row])

    assert len(found) == 1, found
    sheet, line, found_column, message = found[0]
    assert (sheet, line, found_column) == ("Đơn vị", 3, column)
    assert reason in message


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"username": ""}, "Tên đăng nhập", "Chưa nhập giá trị."),
        ({"username": "van thu"}, "Tên đăng nhập", "không có khoảng trắng"),
        ({"full_name": ""}, "Họ và tên", "Chưa nhập giá trị."),
        ({"email": "vanthu@"}, "Email", "Email «vanthu@» không hợp lệ."),
        ({"unit": "KHTC"}, "Đơn vị", "Không có đơn vị mã «KHTC» trong tệp hay trong cơ quan SKHCN."),
        ({"position": ""}, "Chức vụ", "Chưa nhập giá trị."),
        ({"unit": "", "position": ""}, None, None),  # no unit, no position: a good row
        ({"unit": ""}, "Chức vụ", "Có chức vụ nhưng chưa ghi đơn vị."),
        ({"is_head": "hình như"}, "Lãnh đạo đơn vị", "Ghi «có» hoặc «không»"),
        ({"roles": "Văn thư, Thủ quỹ"}, "Vai trò", "Không có vai trò «Thủ quỹ»"),
        ({"roles": ""}, "Vai trò", "Chưa nhập giá trị."),
        ({"supervised": "QLKH"}, "Phụ trách", "Chỉ Giám đốc, Phó Giám đốc"),
        ({"supervised": "QLKH, ABC", "roles": "Phó Giám đốc"}, "Phụ trách", "Không có đơn vị mã «ABC»"),
        ({"position": "C" * 101}, "Chức vụ", "Dài 101 ký tự, tối đa 100 ký tự."),
        ({"full_name": "N" * 151}, "Họ và tên", "tối đa 150 ký tự"),
    ],
)
def test_bad_person_row_is_reported_with_its_line_column_and_reason(agency, tmp_path, changes, column, reason):
    found = import_rows(tmp_path, agency, units=UNITS, people=[PEOPLE[0], person(**changes)])

    if column is None:
        assert found == []
        return
    assert len(found) == 1, found
    sheet, line, found_column, message = found[0]
    assert (sheet, line, found_column) == ("Cán bộ", 3, column)
    assert reason in message


def test_duplicate_user_name_in_the_file_names_the_first_line(agency, tmp_path):
    found = import_rows(tmp_path, agency, units=UNITS, people=[*PEOPLE, person(full_name="Người khác")])

    assert found == [("Cán bộ", 5, "Tên đăng nhập", "Tên đăng nhập «vanthu» đã có ở dòng 3.")]


def test_duplicate_unit_abbreviation_in_the_file_names_the_first_line(agency, tmp_path):
    found = import_rows(tmp_path, agency, units=[*UNITS, ["VP", "Văn phòng", "Văn phòng", ""]])

    assert found == [("Đơn vị", 6, "Mã đơn vị", "Mã đơn vị «VP» đã có ở dòng 2.")]


def test_parent_cycle_through_the_file_is_reported_on_every_unit_in_it(agency, tmp_path):
    units = [["A", "Đơn vị A", "Phòng", "B"], ["B", "Đơn vị B", "Tổ", "A"]]

    found = import_rows(tmp_path, agency, units=units)

    assert [(line, column) for _sheet, line, column, _message in found] == [
        (2, "Đơn vị cấp trên"),
        (3, "Đơn vị cấp trên"),
    ]
    assert "A → B → A" in found[0][3]


def test_parent_cycle_through_a_stored_unit_is_refused(agency, tmp_path):
    top = Unit.objects.create(agency=agency, abbreviation="TĐC", name="Chi cục", kind=Unit.Kind.CHI_CUC)
    Unit.objects.create(agency=agency, abbreviation="KĐ", name="Tổ Kiểm định", kind=Unit.Kind.TO, parent=top)

    found = import_rows(tmp_path, agency, units=[["TĐC", "Chi cục", "Chi cục", "KĐ"]])

    assert found == [("Đơn vị", 2, "Đơn vị cấp trên", "Đơn vị cấp trên tạo thành vòng lặp: TĐC → KĐ → TĐC.")]


def test_unit_of_another_agency_is_named_as_such(agency, other_agency, tmp_path):
    found = import_rows(tmp_path, agency, units=UNITS, people=[person(unit="TCCB")])

    assert found == [("Cán bộ", 2, "Đơn vị", "Đơn vị «TCCB» thuộc cơ quan SNV, không thuộc SKHCN.")]


def test_person_of_another_agency_is_not_taken_over(agency, other_agency, tmp_path):
    User.objects.create_user(username="vanthu", full_name="Người Sở Nội vụ", agency=other_agency)

    found = import_rows(tmp_path, agency, units=UNITS, people=[person()])

    assert found == [
        ("Cán bộ", 2, "Tên đăng nhập", "Tên đăng nhập «vanthu» đã dùng cho một tài khoản không thuộc cơ quan SKHCN.")
    ]
    assert User.objects.get(username="vanthu").full_name == "Người Sở Nội vụ"


def test_every_bad_row_is_reported_in_sheet_and_line_order(agency, tmp_path):
    units = [UNITS[0], ["QLKH", "", "Phòng", ""], ["X", "Đơn vị X", "Ban", ""]]
    people = [person(email="sai"), person(username="b", unit="ZZZ")]

    found = import_rows(tmp_path, agency, units=units, people=people)

    assert [(sheet, line, column) for sheet, line, column, _message in found] == [
        ("Đơn vị", 3, "Tên đơn vị"),
        ("Đơn vị", 4, "Loại"),
        ("Cán bộ", 2, "Email"),
        ("Cán bộ", 3, "Đơn vị"),
    ]


def test_file_with_one_bad_row_imports_nothing(agency, tmp_path):
    Unit.objects.create(agency=agency, abbreviation="VP", name="Tên cũ", kind=Unit.Kind.VAN_PHONG)
    before = row_counts()
    path = write_xlsx(
        tmp_path / "mot-dong-sai.xlsx",
        {"Đơn vị": [UNIT_HEADER, *UNITS], "Cán bộ": [PERSON_HEADER, *PEOPLE, person(username="x", email="x@")]},
    )

    result = run(path, agency)

    assert problems(result) == [("Cán bộ", 5, "Email")]
    assert row_counts() == before
    assert Unit.objects.get(abbreviation="VP").name == "Tên cũ"
    assert (result.unit_count, result.person_count) == (0, 0)


def test_problem_reads_as_a_sentence_naming_sheet_line_and_column(agency, tmp_path):
    path = write_csv(tmp_path / "can-bo.csv", [PERSON_HEADER, person(unit="", position="", email="sai")])

    result = run(path, agency)

    assert [str(p) for p in result.problems] == ["Bảng «can-bo.csv», dòng 2, cột «Email»: Email «sai» không hợp lệ."]


# --- Files refused as a whole ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("can-bo.csv", b"", "Tệp rỗng."),
        ("can-bo.csv", "Tên đăng nhập,Họ và tên\n".encode(), "Thiếu cột: «Email», «Đơn vị», «Chức vụ», «Vai trò»."),
        ("can-bo.csv", ",".join(PERSON_HEADER).encode() + b"\n", "Tệp không có dòng dữ liệu nào"),
        ("don-vi.csv", "Mã đơn vị,Tên đơn vị,Loại,Ghi chú,Cấp\n".encode(), "Không nhận ra cột: «Cấp»."),
        ("tep.csv", "Họ tên,Ngày sinh\nA,1\n".encode(), "Không nhận ra bảng"),
        ("can-bo.csv", b"T\xean \xf0\xe3ng nh\xe2p;H\xf2 v\xe0 t\xean\n", "Tệp CSV phải dùng bảng mã UTF-8"),
        ("can-bo.xls", b"\xd0\xcf\x11\xe0", "Tệp Excel 97-2003 (.xls) chưa được hỗ trợ"),
        ("can-bo.pdf", b"%PDF-1.7", "Chỉ nhận tệp .csv hoặc .xlsx."),
        ("can-bo.xlsx", b"Ten dang nhap,Ho va ten", "không phải là tệp Excel .xlsx hợp lệ"),
        ("can-bo.xlsx", b"PK\x03\x04broken", "Không mở được tệp Excel"),
        ("can-bo.csv", b"x" * (5 * 1024 * 1024 + 1), "Tệp lớn hơn 5 MB"),
    ],
)
def test_unreadable_file_is_refused_with_a_clear_reason(agency, name, content, reason):
    result = people_import(name=name, content=content, agency=agency, by=None)

    assert len(result.problems) == 1, [str(p) for p in result.problems]
    assert reason in result.problems[0].message


def test_file_with_too_many_rows_is_refused(agency, tmp_path):
    rows = [UNIT_HEADER] + [[f"U{i}", f"Đơn vị {i}", "Tổ", ""] for i in range(MAX_ROWS + 1)]

    result = run(write_csv(tmp_path / "don-vi.csv", rows), agency)

    assert [p.message for p in result.problems] == ["Tệp có quá 20000 dòng dữ liệu; hãy chia thành nhiều tệp nhỏ hơn."]
    assert not Unit.objects.exists()


def test_shipped_examples_import_cleanly(agency):
    examples = Path(__file__).resolve().parents[2] / "docs" / "examples"

    workbook = run(examples / "don-vi-can-bo.xlsx", agency)
    people = run(examples / "can-bo.csv", agency)

    assert workbook.ok, [str(p) for p in workbook.problems]
    assert people.ok, [str(p) for p in people.problems]


# --- The command -------------------------------------------------------------------


def test_command_prints_the_summary(agency, tmp_path, capsys):
    call_command("import_people", str(good_xlsx(tmp_path)), "--agency", "skhcn")

    assert "Đã nhập 4 đơn vị, 3 cán bộ." in capsys.readouterr().out
    assert User.objects.filter(username="truongphong").exists()


def test_command_exits_non_zero_and_lists_errors(agency, tmp_path, capsys):
    path = write_csv(tmp_path / "can-bo.csv", [PERSON_HEADER, person(unit="", position="", roles="Thủ quỹ")])

    with pytest.raises(CommandError, match="Tệp có 1 lỗi; chưa nhập gì."):
        call_command("import_people", str(path))

    assert "Bảng «can-bo.csv», dòng 2, cột «Vai trò»: Không có vai trò «Thủ quỹ»" in capsys.readouterr().err
    assert not User.objects.filter(username="vanthu").exists()


def test_command_dry_run_writes_nothing(agency, tmp_path, capsys):
    call_command("import_people", str(good_xlsx(tmp_path)), "--dry-run")

    assert "Chạy thử" in capsys.readouterr().out
    assert not Unit.objects.exists()


def test_command_needs_agency_when_there_are_several(agency, other_agency, tmp_path):
    with pytest.raises(CommandError, match="--agency"):
        call_command("import_people", str(good_xlsx(tmp_path)))


# --- The admin page ----------------------------------------------------------------


def upload(client, path: Path, agency: Agency, **data):
    with path.open("rb") as handle:
        return client.post(
            reverse("admin:units_user_import"), {"agency": agency.pk, "file": handle, **data}, follow=True
        )


def test_changelist_offers_import_to_the_administrator(client, administrator):
    client.force_login(administrator)

    response = client.get(reverse("admin:units_user_changelist"))

    assert reverse("admin:units_user_import") in response.text
    assert "Nhập từ tệp" in response.text


def test_changelist_hides_import_without_the_permission(client, specialist):
    specialist.user_permissions.add(*Permission.objects.filter(codename="view_user"))
    client.force_login(specialist)

    response = client.get(reverse("admin:units_user_changelist"))

    assert response.status_code == 200
    assert "Nhập từ tệp" not in response.text


def test_import_page_is_forbidden_without_the_permission(client, specialist, agency, tmp_path):
    client.force_login(specialist)

    assert client.get(reverse("admin:units_user_import")).status_code == 403
    assert upload(client, good_xlsx(tmp_path), agency).status_code == 403
    assert not Unit.objects.exists()


def test_import_page_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("admin:units_user_import"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_administrator_uploads_a_good_file_and_sees_what_was_imported(client, administrator, agency, tmp_path):
    client.force_login(administrator)

    response = upload(client, good_xlsx(tmp_path), agency)

    assert response.status_code == 200
    assert "Đã nhập 4 đơn vị, 3 cán bộ." in response.text
    assert "truongphong" in response.text
    assert User.objects.get(username="truongphong").agency == agency


def test_administrator_uploads_a_bad_file_and_sees_the_line_numbers(client, administrator, agency, tmp_path):
    client.force_login(administrator)
    people = [PERSON_HEADER, person(unit="", position=""), person(username="b", email="sai@", unit="", position="")]
    path = write_csv(tmp_path / "can-bo.csv", [*people, person(username="c", roles="Thủ quỹ", unit="", position="")])

    response = upload(client, path, agency)

    assert "Tệp có 2 lỗi nên chưa nhập gì." in response.text
    problems_table = response.text.split('id="import-problems"')[1].split("</table>")[0]
    assert "<td>3</td>" in problems_table and "Email «sai@» không hợp lệ." in problems_table
    assert "<td>4</td>" in problems_table and "Không có vai trò «Thủ quỹ»" in problems_table
    assert not User.objects.filter(username="vanthu").exists()


def test_administrator_cannot_import_into_another_agency(client, administrator, other_agency, tmp_path):
    client.force_login(administrator)

    response = upload(client, good_xlsx(tmp_path), other_agency)

    assert 'id="id_agency_error"' in response.text
    assert not Unit.objects.filter(agency=other_agency).exclude(abbreviation="TCCB").exists()


def test_import_refuses_a_person_without_the_right_even_outside_the_admin(specialist, administrator, other_agency):
    with pytest.raises(NotAllowed):
        people_import(name="a.csv", content=b"x", agency=specialist.agency, by=specialist)
    with pytest.raises(NotAllowed):
        people_import(name="a.csv", content=b"x", agency=other_agency, by=administrator)


def test_child_unit_may_come_before_its_parent(agency, tmp_path):
    units = [["TĐC.KĐ", "Tổ Kiểm định", "Tổ", "TĐC"], ["TĐC", "Chi cục Tiêu chuẩn Đo lường Chất lượng", "Chi cục", ""]]

    assert import_rows(tmp_path, agency, units=units) == []
    assert Unit.objects.get(abbreviation="TĐC.KĐ").parent == Unit.objects.get(abbreviation="TĐC")


def test_unit_abbreviation_reference_falls_back_to_any_case(agency, tmp_path):
    assert import_rows(tmp_path, agency, units=UNITS, people=[person(unit="vp")]) == []
    assert User.objects.get(username="vanthu").memberships.get().unit.abbreviation == "VP"


def test_sheet_claiming_a_huge_number_of_blank_rows_is_refused(agency, tmp_path):
    path = write_xlsx(tmp_path / "rong.xlsx", {"Đơn vị": [UNIT_HEADER, UNITS[0]]})
    workbook = openpyxl.load_workbook(path)
    workbook["Đơn vị"].cell(row=2 * MAX_ROWS + 2, column=1, value="")
    workbook["Đơn vị"].cell(row=2 * MAX_ROWS + 2, column=2, value=" ")
    workbook.save(path)

    result = run(path, agency)

    assert [p.message for p in result.problems] == ["Tệp có quá 20000 dòng dữ liệu; hãy chia thành nhiều tệp nhỏ hơn."]


def test_absent_optional_columns_keep_what_is_stored(agency, tmp_path):
    run(good_xlsx(tmp_path), agency)
    header = ["Tên đăng nhập", "Họ và tên", "Email", "Đơn vị", "Chức vụ", "Vai trò"]
    rows = [
        header,
        ["vanthu", "Nguyễn Minh Phương", "vanthu@skhcn.example.vn", "VP", "Văn thư", "Văn thư"],
        ["giamdoc", "Nguyễn Công Danh", "giamdoc@skhcn.example.vn", "", "", "Giám đốc"],
        ["truongphong", "Phạm Quốc Bảo", "truongphong@skhcn.example.vn", "QLKH", "Trưởng phòng", "unit_head"],
    ]

    result = run(write_csv(tmp_path / "can-bo.csv", rows), agency)

    assert result.ok, [str(p) for p in result.problems]
    assert User.objects.get(username="vanthu").phone == "0254 3852 541"
    director = User.objects.get(username="giamdoc")
    assert director.title == "Giám đốc"
    assert director.supervised_units.count() == 2
    assert User.objects.get(username="truongphong").memberships.get().is_head


def test_unit_abbreviation_differing_from_a_stored_one_only_in_case_is_refused(agency, tmp_path):
    Unit.objects.create(agency=agency, abbreviation="TTr", name="Thanh tra Sở", kind=Unit.Kind.THANH_TRA)

    found = import_rows(tmp_path, agency, units=[["TTR", "Thanh tra Sở", "Thanh tra", ""]])

    assert found == [
        ("Đơn vị", 2, "Mã đơn vị", "Cơ quan đã có đơn vị mã «TTr»; hãy ghi đúng chữ hoa, chữ thường như vậy.")
    ]


def test_user_name_differing_from_a_stored_one_only_in_case_is_refused(agency, tmp_path):
    User.objects.create_user(username="VanThu", full_name="Nguyễn Minh Phương", agency=agency)

    found = import_rows(tmp_path, agency, units=UNITS, people=[person()])

    assert found == [
        ("Cán bộ", 2, "Tên đăng nhập", "Đã có tài khoản «VanThu»; hãy ghi đúng chữ hoa, chữ thường như vậy.")
    ]


def test_failure_while_writing_leaves_nothing_half_written(agency, tmp_path, monkeypatch):
    """A collision found only by the database (another import meanwhile) rolls back every row."""
    from django.db import IntegrityError

    from units import services

    real = services.membership_set

    def collide_on_the_head(*, user, **kwargs):
        if user.username == "truongphong":
            raise IntegrityError("units_membership_once_per_unit")
        return real(user=user, **kwargs)

    monkeypatch.setattr(services, "membership_set", collide_on_the_head)
    before = row_counts()

    result = run(good_xlsx(tmp_path), agency)

    assert [p.message for p in result.problems] == ["Dữ liệu vừa được người khác thay đổi; hãy nhập lại tệp."]
    assert row_counts() == before
    assert (result.unit_count, result.person_count) == (0, 0)


# --- Hostile files (lib/uploads.py checks the content before any parser opens it) ----------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("can-bo.csv", uploads.HTML, "không thuộc loại được phép (CSV)"),
        ("can-bo.csv", uploads.SVG, "không thuộc loại được phép (CSV)"),
        ("can-bo.xlsx", uploads.zip_bomb_bytes(), "nội dung lớn bất thường"),
        ("can-bo.xlsx", uploads.big_cell_xlsx_bytes(), "nội dung lớn bất thường"),
        ("can-bo.xlsx", uploads.docx_bytes(), "không thuộc loại được phép (XLSX)"),
    ],
)
def test_the_admin_page_refuses_hostile_files_and_imports_nothing(
    client, administrator, agency, tmp_path, name, content, reason
):
    path = tmp_path / name
    path.write_bytes(content)
    before = row_counts()
    client.force_login(administrator)

    response = upload(client, path, agency)

    assert f"Tệp «{name}»" in response.text and reason in response.text
    assert row_counts() == before


def test_the_big_cell_workbook_is_refused_without_inflating_it(agency):
    """The 30 MB cell is never read: the refusal costs a small fraction of it in memory."""
    content = uploads.big_cell_xlsx_bytes()
    tracemalloc.start()
    result = people_import(name="can-bo.xlsx", content=content, agency=agency, by=None)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "nội dung lớn bất thường" in result.problems[0].message
    assert peak < 2 * 2**20, peak
