"""The demo department: Sở Khoa học và Công nghệ tỉnh Bà Rịa - Vũng Tàu.

Idempotent: every row is found by its natural key and created only when missing,
and passwords are set only for new accounts, so a second run changes nothing.
"""

from django.db import transaction

from units import services
from units.models import Agency, Organisation, Unit, User
from units.roles import Role

DEMO_PASSWORD = "demo12345"  # nosec B105  # the documented password of the demo people (make run), never of real accounts

AGENCY = {
    "abbreviation": "SKHCN",
    "name": "Sở Khoa học và Công nghệ",
    "parent_body": "UBND TỈNH BÀ RỊA - VŨNG TÀU",
    "place_name": "Bà Rịa - Vũng Tàu",
    "address": "198 Bạch Đằng, phường Phước Trung, thành phố Bà Rịa",
    "phone": "0254 3852 541",
    "email": "skhcn@baria-vungtau.gov.vn",
    "website": "https://skhcn.baria-vungtau.gov.vn",
}

UNITS = [
    ("VP", "Văn phòng Sở", Unit.Kind.VAN_PHONG),
    ("TTr", "Thanh tra Sở", Unit.Kind.THANH_TRA),
    ("KHTC", "Phòng Kế hoạch - Tài chính", Unit.Kind.PHONG),
    ("QLKH", "Phòng Quản lý Khoa học", Unit.Kind.PHONG),
    ("QLCN", "Phòng Quản lý Công nghệ và Quản lý chuyên ngành", Unit.Kind.PHONG),
    ("TĐC", "Chi cục Tiêu chuẩn Đo lường Chất lượng", Unit.Kind.CHI_CUC),
    ("TTUD", "Trung tâm Thông tin và Ứng dụng khoa học công nghệ", Unit.Kind.TRUNG_TAM),
]

ORGANISATIONS = [
    ("UBND tỉnh Bà Rịa - Vũng Tàu", "UBND"),
    ("Sở Nội vụ", "SNV"),
    ("Thủ tướng Chính phủ", "TTg"),
    ("Công an tỉnh", "CAT"),
    ("Sở Thông tin và Truyền thông", "STTTT"),
    ("Bộ Khoa học và Công nghệ", "BKHCN"),
]

# (user name, full name, roles, title, unit, position, heads the unit)
PEOPLE = [
    ("giamdoc", "Nguyễn Công Danh", [Role.DIRECTOR], "Giám đốc", None, "", False),
    ("phogiamdoc", "Trần Văn Hùng", [Role.DEPUTY_DIRECTOR], "Phó Giám đốc", None, "", False),
    ("phogiamdoc2", "Lê Thị Thu Hà", [Role.DEPUTY_DIRECTOR], "Phó Giám đốc", None, "", False),
    ("vanthu", "Nguyễn Minh Phương", [Role.CLERK, Role.STAFF], "", "VP", "Văn thư", False),
    ("truongphong", "Phạm Quốc Bảo", [Role.UNIT_HEAD, Role.STAFF], "", "QLKH", "Trưởng phòng", True),
    ("chuyenvien", "Đỗ Thị Lan", [Role.STAFF], "", "QLKH", "Chuyên viên", False),
    ("quantri", "Võ Thành Nam", [Role.ADMINISTRATOR], "", None, "", False),
    ("qlkh.tuan", "Hoàng Anh Tuấn", [Role.STAFF], "", "QLKH", "Phó Trưởng phòng", False),
    ("qlkh.mai", "Bùi Thị Mai", [Role.STAFF], "", "QLKH", "Chuyên viên", False),
    ("vp.chanh", "Lưu Thanh Tuấn", [Role.UNIT_HEAD, Role.STAFF], "", "VP", "Chánh Văn phòng", True),
    ("vp.hanh", "Ngô Thị Hạnh", [Role.STAFF], "", "VP", "Chuyên viên", False),
    ("vp.son", "Nguyễn Thanh Sơn", [Role.STAFF], "", "VP", "Nhân viên", False),
    ("ttr.chanh", "Đặng Văn Khoa", [Role.UNIT_HEAD, Role.STAFF], "", "TTr", "Chánh Thanh tra", True),
    ("ttr.linh", "Phan Thùy Linh", [Role.STAFF], "", "TTr", "Thanh tra viên", False),
    ("ttr.duc", "Trương Minh Đức", [Role.STAFF], "", "TTr", "Thanh tra viên", False),
    ("khtc.truong", "Vũ Thị Ngọc Anh", [Role.UNIT_HEAD, Role.STAFF], "", "KHTC", "Trưởng phòng", True),
    ("khtc.quang", "Lý Văn Quang", [Role.STAFF], "", "KHTC", "Chuyên viên", False),
    ("khtc.yen", "Mai Hải Yến", [Role.STAFF], "", "KHTC", "Kế toán", False),
    ("qlcn.truong", "Huỳnh Tấn Phát", [Role.UNIT_HEAD, Role.STAFF], "", "QLCN", "Trưởng phòng", True),
    ("qlcn.thao", "Đinh Phương Thảo", [Role.STAFF], "", "QLCN", "Chuyên viên", False),
    ("qlcn.long", "Cao Hoàng Long", [Role.STAFF], "", "QLCN", "Chuyên viên", False),
    ("qlcn.nhung", "Tạ Thị Nhung", [Role.STAFF], "", "QLCN", "Chuyên viên", False),
    ("tdc.truong", "Châu Minh Trí", [Role.UNIT_HEAD, Role.STAFF], "", "TĐC", "Chi cục trưởng", True),
    ("tdc.hien", "Kiều Thị Hiền", [Role.STAFF], "", "TĐC", "Kiểm định viên", False),
    ("tdc.nghia", "La Văn Nghĩa", [Role.STAFF], "", "TĐC", "Chuyên viên", False),
    ("ttud.giamdoc", "Quách Ngọc Sơn", [Role.UNIT_HEAD, Role.STAFF], "", "TTUD", "Giám đốc Trung tâm", True),
    ("ttud.vy", "Âu Tường Vy", [Role.STAFF], "", "TTUD", "Viên chức", False),
    ("ttud.kien", "Lâm Trung Kiên", [Role.STAFF], "", "TTUD", "Kỹ sư", False),
]

SUPERVISION = {
    "giamdoc": ["VP", "TTr", "KHTC"],
    "phogiamdoc": ["QLKH", "QLCN"],
    "phogiamdoc2": ["TĐC", "TTUD"],
}

# The accounts printed by `make run` and written in the README.
DEMO_ACCOUNTS = [
    ("giamdoc", "Giám đốc"),
    ("phogiamdoc", "Phó Giám đốc"),
    ("vanthu", "Văn thư"),
    ("truongphong", "Trưởng phòng Quản lý Khoa học"),
    ("chuyenvien", "Chuyên viên Phòng Quản lý Khoa học"),
    ("quantri", "Quản trị"),
]


@transaction.atomic
def seed_people() -> Agency:
    agency, _ = Agency.objects.get_or_create(abbreviation=AGENCY["abbreviation"], defaults=AGENCY)
    units = {}
    for abbreviation, name, kind in UNITS:
        units[abbreviation], _ = Unit.objects.get_or_create(
            agency=agency, abbreviation=abbreviation, defaults={"name": name, "kind": kind}
        )
    for name, abbreviation in ORGANISATIONS:
        Organisation.objects.get_or_create(name=name, defaults={"abbreviation": abbreviation})
    created = people_seed(agency, units, PEOPLE, email_domain="skhcn.example.vn")
    for username, supervised in SUPERVISION.items():
        if username in created:
            services.supervision_set(director=created[username], units=[units[a] for a in supervised])
    return agency


def people_seed(agency: Agency, units: dict[str, Unit], people: list[tuple], *, email_domain: str) -> dict[str, User]:
    """Create the demo ``people`` (rows shaped as ``PEOPLE``) missing from ``agency``, each in their
    unit by abbreviation, with the demo password; answer the ones created, by user name."""
    existing = set(User.objects.filter(username__in=[p[0] for p in people]).values_list("username", flat=True))
    created = {}
    for username, full_name, roles, title, unit, position, is_head in people:
        if username in existing:
            continue
        created[username] = user = services.person_save(
            username=username,
            full_name=full_name,
            agency=agency,
            email=f"{username}@{email_domain}",
            title=title,
            roles=roles,
            password=DEMO_PASSWORD,
        )
        if unit:
            services.membership_save(user=user, unit=units[unit], position=position, is_head=is_head)
    return created
