"""Fill an empty, migrated PostgreSQL database with a province-sized set of documents.

Usage (against a database of its own, after ``manage.py migrate``):

    DATABASE_URL=postgres://…/portal_bench DJANGO_SETTINGS_MODULE=config.settings \\
        .venv/bin/python bench/seed_documents.py --documents 200000

About 50 agencies with their units, ~10,000 people with memberships and roles, the given
number of documents spread over agencies (a few large, many small), directions, states,
types and years, with deliveries to units, events, read receipts and explicit grants on
confidential documents. ``search_text`` is computed exactly as ``directives.services``
does (symbol, subject, body text, type name, sender; folded). Rows go in with COPY, not
through the services (which would take hours); only the five measured personas of the
largest agency are made with ``units.services.person_save``. Seeded: the same arguments
give the same rows.
"""

import argparse
import io
import os
import random
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group, Permission  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from directives.models import Counter, Document, DocumentType  # noqa: E402
from lib.html import body_text  # noqa: E402
from lib.text import fold  # noqa: E402
from units import services as unit_services  # noqa: E402
from units.models import Agency, Organisation, Unit, User  # noqa: E402
from units.roles import Role  # noqa: E402

PERSONAS = {
    # user name: (full name, roles, title, unit abbreviation, position, heads the unit)
    "bench.giamdoc": ("Nguyễn Văn Đông", [Role.DIRECTOR], "Giám đốc", None, "", False),
    "bench.vanthu": ("Trần Thị Đào", [Role.CLERK, Role.STAFF], "", "VP", "Văn thư", False),
    "bench.truongphong": ("Lê Quốc Đạt", [Role.UNIT_HEAD, Role.STAFF], "", "QLCN", "Trưởng phòng", True),
    "bench.chuyenvien": ("Phạm Thị Đoan", [Role.STAFF], "", "QLCN", "Chuyên viên", False),
    "bench.quantri": ("Võ Minh Đức", [Role.ADMINISTRATOR], "", None, "", False),
}

AGENCY_NAMES = [
    ("SKHCN", "Sở Khoa học và Công nghệ"), ("SNV", "Sở Nội vụ"), ("STC", "Sở Tài chính"),
    ("SKHĐT", "Sở Kế hoạch và Đầu tư"), ("SCT", "Sở Công Thương"), ("SXD", "Sở Xây dựng"),
    ("SGTVT", "Sở Giao thông vận tải"), ("SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("STNMT", "Sở Tài nguyên và Môi trường"), ("SYT", "Sở Y tế"), ("SGDĐT", "Sở Giáo dục và Đào tạo"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"), ("SLĐTBXH", "Sở Lao động - Thương binh và Xã hội"),
    ("STTTT", "Sở Thông tin và Truyền thông"), ("STP", "Sở Tư pháp"), ("TTT", "Thanh tra tỉnh"),
    ("BDT", "Ban Dân tộc"), ("BQLKCN", "Ban Quản lý các khu công nghiệp"),
]  # fmt: skip
DISTRICTS = [
    "Bà Rịa", "Vũng Tàu", "Phú Mỹ", "Long Điền", "Đất Đỏ", "Xuyên Mộc", "Châu Đức", "Côn Đảo",
    "Tân Thành", "Long Hải", "Ngãi Giao", "Phước Bửu", "Kim Long", "Hòa Bình", "Bình Châu", "Phước Hải",
]  # fmt: skip
UNIT_NAMES = [
    ("VP", "Văn phòng", Unit.Kind.VAN_PHONG), ("TTr", "Thanh tra", Unit.Kind.THANH_TRA),
    ("KHTC", "Phòng Kế hoạch - Tài chính", Unit.Kind.PHONG), ("QLCN", "Phòng Quản lý chuyên ngành", Unit.Kind.PHONG),
    ("TCCB", "Phòng Tổ chức cán bộ", Unit.Kind.PHONG), ("PC", "Phòng Pháp chế", Unit.Kind.PHONG),
    ("CC", "Chi cục trực thuộc", Unit.Kind.CHI_CUC), ("TT", "Trung tâm dịch vụ công", Unit.Kind.TRUNG_TAM),
]  # fmt: skip
ORGANISATIONS = [
    "UBND tỉnh Bà Rịa - Vũng Tàu", "Thủ tướng Chính phủ", "Văn phòng Chính phủ", "Bộ Nội vụ", "Bộ Tài chính",
    "Bộ Y tế", "Bộ Khoa học và Công nghệ", "Bộ Công Thương", "Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh",
    "Tỉnh ủy Bà Rịa - Vũng Tàu", "Hội đồng nhân dân tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
    "Kho bạc Nhà nước tỉnh", "Cục Thuế tỉnh", "Bảo hiểm xã hội tỉnh", "Ngân hàng Nhà nước chi nhánh tỉnh",
    "Đài Phát thanh và Truyền hình tỉnh", "Báo Bà Rịa - Vũng Tàu", "Trường Đại học Bà Rịa - Vũng Tàu",
]  # fmt: skip

FAMILY = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Lý", "Đinh", "Đoàn",
]  # fmt: skip
MIDDLE = [
    "Văn", "Thị", "Minh", "Quốc", "Thanh", "Ngọc", "Hữu", "Đức", "Thu", "Hoài", "Xuân", "Kim", "Anh", "Bảo",
]  # fmt: skip
GIVEN = [
    "An", "Bình", "Cường", "Dũng", "Đạt", "Đông", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng", "Hương",
    "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Nhung", "Phong", "Phương", "Quang", "Sơn", "Tâm",
    "Thảo", "Thắng", "Trang", "Trung", "Tuấn", "Uyên", "Việt", "Vy", "Yến", "Đoan", "Đào", "Điệp", "Khoa",
]  # fmt: skip

ACTIONS = [
    "triển khai", "tăng cường công tác", "hướng dẫn thực hiện", "tổ chức", "kiểm tra việc thực hiện",
    "báo cáo kết quả", "phê duyệt kế hoạch", "đề nghị góp ý dự thảo", "rà soát, đánh giá", "đôn đốc thực hiện",
    "ban hành quy chế", "điều chỉnh dự toán", "tổng kết", "giao chỉ tiêu", "chấn chỉnh", "đẩy mạnh",
]  # fmt: skip
TOPICS = [
    "phòng, chống dịch bệnh", "cách ly y tế tập trung", "chuyển đổi số", "cải cách hành chính",
    "đo lường, chất lượng sản phẩm hàng hóa", "an toàn thông tin mạng", "đề tài khoa học cấp tỉnh",
    "quản lý tài sản công", "phòng cháy, chữa cháy", "giải ngân vốn đầu tư công", "đánh giá, xếp loại cán bộ",
    "thi đua, khen thưởng", "phòng, chống tham nhũng", "bảo vệ môi trường", "an toàn giao thông",
    "dịch vụ công trực tuyến", "đào tạo, bồi dưỡng công chức", "tiếp công dân", "giải quyết khiếu nại, tố cáo",
    "sở hữu trí tuệ", "ứng dụng công nghệ thông tin", "quản lý đất đai", "đảm bảo an ninh trật tự",
    "phòng, chống thiên tai", "xây dựng nông thôn mới", "phát triển doanh nghiệp", "tiết kiệm năng lượng",
    "kiểm định phương tiện đo", "hội nghị trực tuyến", "lưu trữ hồ sơ điện tử", "định mức kinh tế - kỹ thuật",
    "quản lý đề án", "hợp tác quốc tế", "đổi mới sáng tạo", "văn hóa công sở", "đấu thầu qua mạng",
    "quyết toán ngân sách", "kiểm soát thủ tục hành chính", "an toàn thực phẩm", "cách ly người nhập cảnh",
]  # fmt: skip
SCOPES = [
    "trên địa bàn tỉnh", "tại các đơn vị trực thuộc", "giai đoạn 2021 - 2025", "trong dịp Tết Nguyên đán",
    "quý III", "6 tháng đầu năm", "đợt 2", "tại huyện {district}", "tại thị xã {district}", "",
]  # fmt: skip
SENTENCES = [
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về {topic}, {agency} đề nghị các đơn vị khẩn trương triển khai.",
    "Đề nghị thủ trưởng các đơn vị quán triệt đến toàn thể cán bộ, công chức, viên chức và người lao động.",
    "Báo cáo kết quả thực hiện gửi về Văn phòng trước ngày {day} tháng {month} năm {year} để tổng hợp.",
    "Giao Phòng Kế hoạch - Tài chính chủ trì, phối hợp với các đơn vị liên quan đề xuất kinh phí thực hiện.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị phản ánh kịp thời để được hướng dẫn.",
    "Tăng cường kiểm tra, giám sát việc thực hiện {topic}; xử lý nghiêm các trường hợp vi phạm.",
    "Đảm bảo đúng tiến độ, chất lượng, hiệu quả và tiết kiệm; không để xảy ra tình trạng chậm trễ.",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư.",
]  # fmt: skip

YEARS = list(range(2019, 2026))


class Copier:
    """Rows streamed into one table with COPY (text format)."""

    def __init__(self, table: str, columns: list[str]):
        self.table, self.columns, self.buffer, self.count = table, columns, io.StringIO(), 0

    @staticmethod
    def _cell(value) -> str:
        if value is None:
            return r"\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        if isinstance(value, datetime | date):
            return value.isoformat()
        text = str(value)
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")

    def add(self, *values) -> None:
        self.buffer.write("\t".join(self._cell(v) for v in values))
        self.buffer.write("\n")
        self.count += 1
        if self.buffer.tell() > 32_000_000:
            self.flush()

    def flush(self) -> None:
        self.buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN", self.buffer, size=1 << 20
            )
        self.buffer = io.StringIO()


def next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


def reset_sequences(tables: list[str]) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}")


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def moment(rng: random.Random, year: int) -> datetime:
    start = datetime(year, 1, 2, 1, 0, tzinfo=UTC)
    return start + timedelta(seconds=rng.randrange(360 * 86400))


@dataclass
class Directory:
    """The agencies, units and people made by ``seed_people``, by id, for the seeds that follow."""

    agencies: list[Agency]
    organisations: list[Organisation]
    units_of: dict[int, list[Unit]]  # agency → its units
    members: dict[int, list[int]]  # unit → user ids
    heads: dict[int, int]  # unit → its head
    leaders: dict[int, list[int]]  # agency → director and deputies
    clerks: dict[int, int]  # agency → its clerk
    weights: list[float]  # a few large agencies, many small


def seed_people(*, people: int, agencies: int, rng: random.Random) -> Directory:
    """Create the agencies, their units and about ``people`` people with roles and memberships."""
    groups = {g.name: g.pk for g in Group.objects.all()}

    # Agencies and units (few rows: bulk_create).
    made = []
    for i in range(agencies):
        abbreviation, name = AGENCY_NAMES[i % len(AGENCY_NAMES)]
        if i >= len(AGENCY_NAMES):
            district = DISTRICTS[(i - len(AGENCY_NAMES)) % len(DISTRICTS)]
            abbreviation, name = f"UBND{i}", f"UBND huyện {district} ({i})"
        made.append(Agency(abbreviation=abbreviation, name=name, place_name="Bà Rịa - Vũng Tàu"))
    agency_rows = Agency.objects.bulk_create(made)
    unit_rows = Unit.objects.bulk_create(
        [
            Unit(agency=agency, abbreviation=abbreviation, name=f"{name} {agency.name}", kind=kind)
            for agency in agency_rows
            for abbreviation, name, kind in UNIT_NAMES
        ]
    )
    organisation_rows = Organisation.objects.bulk_create([Organisation(name=n) for n in ORGANISATIONS])
    units_of = {a.pk: [u for u in unit_rows if u.agency_id == a.pk] for a in agency_rows}
    # A few large agencies, many small: the first gets ~8% of the documents and the personas.
    weights = [1 / (i + 1) ** 0.5 for i in range(agencies)]

    # People: personas through the service, the rest by COPY with an unusable password.
    home = agency_rows[0]
    home_units = {u.abbreviation: u for u in units_of[home.pk]}
    members: dict[int, list[int]] = {u.pk: [] for u in unit_rows}  # unit → user ids
    heads: dict[int, int] = {}
    leaders: dict[int, list[int]] = {a.pk: [] for a in agency_rows}
    clerks: dict[int, int] = {}
    for username, (full_name, roles, title, unit, position, is_head) in PERSONAS.items():
        user = unit_services.person_save(
            username=username, full_name=full_name, agency=home, title=title, roles=roles, email=f"{username}@bench.vn"
        )
        if unit:
            unit_services.membership_save(user=user, unit=home_units[unit], position=position, is_head=is_head)
            members[home_units[unit].pk].append(user.pk)
            if is_head:
                heads[home_units[unit].pk] = user.pk
        if Role.DIRECTOR in roles:
            leaders[home.pk].append(user.pk)
        if Role.CLERK in roles:
            clerks[home.pk] = user.pk

    unusable = make_password(None)
    joined = datetime(2018, 6, 1, tzinfo=UTC)
    user_copy = Copier(
        "units_user",
        ["id", "password", "is_superuser", "username", "email", "is_staff", "is_active", "date_joined",
         "full_name", "phone", "title", "agency_id", "calendar_token_digest"],
    )  # fmt: skip
    group_copy = Copier("units_user_groups", ["user_id", "group_id"])
    membership_copy = Copier("units_membership", ["user_id", "unit_id", "position", "is_head"])
    user_id = next_id("units_user")
    per_agency = max(people // agencies, len(UNIT_NAMES) * 3)

    def add_person(agency: Agency, roles: list[str], title: str = "", unit: Unit | None = None, head: bool = False):
        nonlocal user_id
        uid = user_id
        user_id += 1
        user_copy.add(uid, unusable, False, f"u{uid}", f"u{uid}@bench.vn", Role.ADMINISTRATOR in roles, True, joined,
                      person_name(rng), "", title, agency.pk, "")  # fmt: skip
        for role in roles:
            group_copy.add(uid, groups[role])
        if unit is not None:
            membership_copy.add(uid, unit.pk, "Trưởng phòng" if head else "Chuyên viên", head)
            members[unit.pk].append(uid)
            if head:
                heads[unit.pk] = uid
        return uid

    for agency in agency_rows:
        if agency.pk not in leaders or not leaders[agency.pk]:
            leaders[agency.pk].append(add_person(agency, [Role.DIRECTOR], "Giám đốc"))
        for _ in range(2):
            leaders[agency.pk].append(add_person(agency, [Role.DEPUTY_DIRECTOR], "Phó Giám đốc"))
        add_person(agency, [Role.ADMINISTRATOR])
        if agency.pk not in clerks:
            clerks[agency.pk] = add_person(agency, [Role.CLERK, Role.STAFF], unit=units_of[agency.pk][0])
        for unit in units_of[agency.pk]:
            if unit.pk not in heads:
                add_person(agency, [Role.UNIT_HEAD, Role.STAFF], unit=unit, head=True)
        count = sum(len(members[u.pk]) for u in units_of[agency.pk]) + 4
        for _ in range(per_agency - count):
            add_person(agency, [Role.STAFF], unit=rng.choice(units_of[agency.pk]))
    for copier in (user_copy, group_copy, membership_copy):
        copier.flush()
    reset_sequences(["units_user", "units_user_groups", "units_membership"])
    print(f"{user_copy.count + len(PERSONAS)} people in {len(agency_rows)} agencies, {len(unit_rows)} units")
    return Directory(agency_rows, organisation_rows, units_of, members, heads, leaders, clerks, weights)


def seed(*, documents: int, people: int, agencies: int, rng: random.Random) -> None:
    started = time.perf_counter()
    types = list(DocumentType.objects.order_by("pk"))
    view_document = Permission.objects.get(content_type__app_label="directives", codename="view_document").pk
    directory = seed_people(people=people, agencies=agencies, rng=rng)
    agency_rows, organisation_rows, units_of = directory.agencies, directory.organisations, directory.units_of
    members, heads, leaders, clerks = directory.members, directory.heads, directory.leaders, directory.clerks
    weights = directory.weights

    # Documents, deliveries, events, receipts, grants.
    document_copy = Copier(
        "directives_document",
        ["id", "agency_id", "direction", "state", "doc_type_id", "subject", "body", "urgency", "confidentiality",
         "drafting_unit_id", "author_id", "signer_id", "signing_authority", "authority_title", "pending_with_id",
         "distribution", "number", "year", "series", "symbol", "issued_on", "issued_at", "issued_by_id", "sender_id",
         "received_on", "relation", "related_to_id", "search_text", "created_at", "updated_at", "copy_form",
         "copy_paragraphs"],
    )  # fmt: skip
    delivery_copy = Copier("directives_delivery", ["document_id", "unit_id", "delivered_at"])
    event_copy = Copier("directives_event", ["document_id", "actor_id", "action", "comment", "at"])
    receipt_copy = Copier("directives_readreceipt", ["document_id", "user_id", "read_at"])
    grant_copy = Copier("directives_documentuserobjectpermission", ["content_object_id", "permission_id", "user_id"])
    counters: dict[tuple[int, str, int], int] = {}
    doc_id = next_id("directives_document")
    agency_choices = rng.choices(agency_rows, weights=weights, k=documents)
    outgoing_states = [
        (S.ISSUED, 80), (S.DRAFT, 8), (S.REVIEW, 4), (S.SIGNING, 3), (S.RETURNED, 2), (S.APPROVED, 3)
    ]  # fmt: skip
    state_names, state_weights = zip(*outgoing_states, strict=True)
    for agency in agency_choices:
        year = rng.choices(YEARS, weights=[1, 2, 3, 4, 5, 6, 4])[0]
        created = moment(rng, year)
        doc_type = rng.choice(types)
        unit = rng.choice(units_of[agency.pk])
        author = rng.choice(members[unit.pk])
        topic = rng.choice(TOPICS)
        scope = rng.choice(SCOPES).format(district=rng.choice(DISTRICTS))
        subject = f"Về việc {rng.choice(ACTIONS)} {topic} {scope}".strip()
        sentences = rng.sample(SENTENCES, rng.randint(2, 4))
        body = "".join(
            "<p>"
            + s.format(topic=topic, agency=agency.name, day=rng.randint(1, 28), month=rng.randint(1, 12), year=year)
            + "</p>"
            for s in sentences
        )
        confidentiality = rng.choices(["", "mat"], weights=[98, 2])[0]
        urgency = rng.choices(["", "khan", "thuong_khan", "hoa_toc"], weights=[85, 10, 4, 1])[0]
        signer = pending = number = symbol = issued_on = issued_at = issued_by = sender = received_on = None
        number_year, delivered, events = None, [], [(author, "created", created)]
        if rng.random() < 0.7:
            direction = Document.Direction.OUTGOING
            state = rng.choices(state_names, weights=state_weights)[0]
            if state in (S.SIGNING, S.APPROVED, S.ISSUED):
                signer = rng.choice(leaders[agency.pk])
            if state == S.REVIEW:
                pending = heads[unit.pk]
            elif state == S.SIGNING:
                pending = signer
            if state in (S.REVIEW, S.SIGNING, S.APPROVED, S.ISSUED):
                events.append((author, "submitted", created + timedelta(hours=2)))
            if state in (S.APPROVED, S.ISSUED):
                events.append((signer, "approved", created + timedelta(days=1)))
            if state == S.ISSUED:
                key = (agency.pk, direction, year)
                number = counters[key] = counters.get(key, 0) + 1
                number_year = year
                issued_at = created + timedelta(days=2)
                issued_on = issued_at.date()
                issued_by = clerks[agency.pk]
                symbol = f"{number}/{doc_type.abbreviation or unit.abbreviation}-{agency.abbreviation}"
                events.append((issued_by, "issued", issued_at))
                targets = rng.sample(units_of[agency.pk], rng.randint(1, 3))
                delivered = [(t.pk, issued_at) for t in targets]
        else:
            direction = Document.Direction.INCOMING
            state = rng.choices([S.REGISTERED, S.ROUTED], weights=[15, 85])[0]
            sender = rng.choice(organisation_rows)
            key = (agency.pk, direction, year)
            number = counters[key] = counters.get(key, 0) + 1
            number_year = year
            received_on = created.date()
            author = clerks[agency.pk]
            unit = None
            symbol = f"{rng.randint(1, 3000)}/{doc_type.abbreviation or 'UBND'}-VP"
            events = [(author, "registered", created)]
            if state == S.ROUTED:
                director = rng.choice(leaders[agency.pk])
                routed_at = created + timedelta(hours=6)
                events.append((director, "routed", routed_at))
                targets = rng.sample(units_of[agency.pk], rng.randint(1, 2))
                delivered = [(t.pk, routed_at) for t in targets]
        search_text = fold(
            " ".join(p for p in [symbol, subject, body_text(body), doc_type.name, sender and sender.name] if p)
        )
        document_copy.add(
            doc_id, agency.pk, direction, state, doc_type.pk, subject, body, urgency, confidentiality,
            unit and unit.pk, author, signer, "", "", pending, "Như trên;\nLưu: VT, VP.", number, number_year,
            "", symbol or "", issued_on, issued_at, issued_by, sender and sender.pk, received_on, "", None,
            search_text, created, events[-1][2], "", "[]",
        )  # fmt: skip
        for unit_id, at in delivered:
            delivery_copy.add(doc_id, unit_id, at)
            readers = members[unit_id]
            if readers and rng.random() < 0.4:
                receipt_copy.add(doc_id, rng.choice(readers), at + timedelta(hours=3))
        for actor, action, at in events:
            event_copy.add(doc_id, actor, action, "", at)
        if confidentiality:
            for person in {author, signer, pending} - {None}:
                grant_copy.add(doc_id, view_document, person)
        doc_id += 1
        if document_copy.count % 20000 == 0:
            print(f"  {document_copy.count} documents, {time.perf_counter() - started:.0f} s", flush=True)
    for copier in (document_copy, delivery_copy, event_copy, receipt_copy, grant_copy):
        copier.flush()
    Counter.objects.bulk_create(
        [Counter(agency_id=a, direction=d, year=y, series="", last_number=n) for (a, d, y), n in counters.items()]
    )
    reset_sequences(
        ["directives_document", "directives_delivery", "directives_event", "directives_readreceipt",
         "directives_documentuserobjectpermission"]
    )  # fmt: skip
    print(
        f"{document_copy.count} documents, {delivery_copy.count} deliveries, {event_copy.count} events, "
        f"{receipt_copy.count} read receipts, {grant_copy.count} grants in {time.perf_counter() - started:.0f} s"
    )


S = Document.State


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--agencies", type=int, default=50)
    parser.add_argument("--seed", type=int, default=20250601)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("seed_documents needs PostgreSQL (COPY): set DATABASE_URL")
    if Document.objects.exists() or User.objects.filter(username__in=PERSONAS).exists():
        sys.exit("the database already holds documents or the bench personas: seed an empty, migrated one")
    with transaction.atomic():
        seed(documents=args.documents, people=args.people, agencies=args.agencies, rng=random.Random(args.seed))
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
