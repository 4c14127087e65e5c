"""Import of units and people from a CSV or XLSX file (format: docs/import.md).

The import runs in two steps. First the whole file is read and every row is
checked against the file itself and the database, collecting every problem with
its sheet, row and column. Only a file without a single problem is written, in
one transaction, through the functions of ``units.services``; a file with any
problem leaves the database exactly as it was.

Rows are matched by their natural keys (a unit by its agency and abbreviation, a
person by user name), so importing the same file twice changes nothing the
second time.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lib.errors import NotAllowed
from lib.spreadsheets import Sheet, SpreadsheetRefused, read_sheets
from lib.text import fold
from units import services
from units.models import Agency, Membership, Unit, User, abbreviation_validator
from units.permissions import can_import_people
from units.roles import Role

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000


# --- The file format -------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as documented; the file format is Vietnamese whatever the UI language
    required: bool
    aliases: tuple[str, ...] = ()

    def matches(self, folded_header: str) -> bool:
        return folded_header in {fold(self.header), *(fold(alias) for alias in self.aliases)}


UNIT_COLUMNS = (
    Column("abbreviation", "Mã đơn vị", required=True),
    Column("name", "Tên đơn vị", required=True),
    Column("kind", "Loại", required=True, aliases=("Loại đơn vị",)),
    Column("parent", "Đơn vị cấp trên", required=False),
)

PERSON_COLUMNS = (
    Column("username", "Tên đăng nhập", required=True),
    Column("full_name", "Họ và tên", required=True),
    Column("email", "Email", required=True, aliases=("E-mail", "Thư điện tử")),
    Column("phone", "Điện thoại", required=False, aliases=("Số điện thoại",)),
    Column("unit", "Đơn vị", required=True),
    Column("position", "Chức vụ", required=True),
    Column("is_head", "Lãnh đạo đơn vị", required=False),
    Column("roles", "Vai trò", required=True),
    Column("title", "Chức danh", required=False),
    Column("supervised", "Phụ trách", required=False),
)

# Columns people keep in their spreadsheets that mean nothing to the import.
IGNORED_HEADERS = frozenset({fold("STT"), fold("Ghi chú")})

UNITS, PEOPLE = "units", "people"
# The header that tells which kind of sheet this is.
KIND_MARKERS = {UNITS: UNIT_COLUMNS[0], PEOPLE: PERSON_COLUMNS[0]}
COLUMNS = {UNITS: UNIT_COLUMNS, PEOPLE: PERSON_COLUMNS}

YES = frozenset({"co", "x", "1"})
NO = frozenset({"khong", "0", ""})
LEADER_ROLES = frozenset({Role.DIRECTOR, Role.DEPUTY_DIRECTOR})


def _max_length(model, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


# --- What the import reports -----------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One reason the file cannot be imported; ``line`` is the row number the user sees (header = 1)."""

    message: str
    sheet: str = ""
    line: int | None = None
    column: str = ""

    def __str__(self) -> str:
        place = []
        if self.sheet:
            place.append(_("bảng «%(sheet)s»") % {"sheet": self.sheet})
        if self.line is not None:
            place.append(_("dòng %(line)s") % {"line": self.line})
        if self.column:
            place.append(_("cột «%(column)s»") % {"column": self.column})
        if not place:
            return self.message
        return _("%(place)s: %(message)s") % {"place": capfirst(", ".join(place)), "message": self.message}


@dataclass
class ImportResult:
    """What an import found and did. When ``problems`` is not empty, nothing was written."""

    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    units_created: list[str] = field(default_factory=list)
    units_updated: list[str] = field(default_factory=list)
    people_created: list[str] = field(default_factory=list)
    people_updated: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def unit_count(self) -> int:
        return len(self.units_created) + len(self.units_updated)

    @property
    def person_count(self) -> int:
        return len(self.people_created) + len(self.people_updated)

    def summary(self) -> str:
        counts = {"units": self.unit_count, "people": self.person_count}
        if self.dry_run:
            return _("Chạy thử: tệp hợp lệ, sẽ nhập %(units)s đơn vị, %(people)s cán bộ. Chưa ghi gì.") % counts
        return _("Đã nhập %(units)s đơn vị, %(people)s cán bộ.") % counts


class _FileRefused(Exception):
    """A sheet's header does not fit the format: the file as a whole is refused."""

    def __init__(self, message: str, sheet: str = "") -> None:
        super().__init__(message)
        self.problem = Problem(message=message, sheet=sheet)


# --- Checking ---------------------------------------------------------------


@dataclass
class Row:
    sheet: str
    line: int
    values: dict[str, str | None]  # None: the column is not in the sheet
    headers: dict[str, str]  # key -> the header as written in the file, for messages


@dataclass
class _Plan:
    unit_rows: list[Row] = field(default_factory=list)
    person_rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def report(self, row: Row, key: str, message: str) -> None:
        header = row.headers.get(key) or next(c.header for c in (*UNIT_COLUMNS, *PERSON_COLUMNS) if c.key == key)
        self.problems.append(Problem(message=message, sheet=row.sheet, line=row.line, column=header))


def _sheet_kind(sheet: Sheet, headers: list[str]) -> str | None:
    folded = {fold(header) for header in headers}
    kinds = [kind for kind, marker in KIND_MARKERS.items() if any(marker.matches(h) for h in folded)]
    if len(kinds) == 1:
        return kinds[0]
    if not kinds:
        raise _FileRefused(
            _(
                "Không nhận ra bảng: cần cột «Mã đơn vị» (bảng đơn vị) hoặc «Tên đăng nhập» (bảng cán bộ) "
                "ở dòng đầu tiên."
            ),
            sheet=sheet.name,
        )
    raise _FileRefused(
        _("Một bảng không được có cả «Mã đơn vị» và «Tên đăng nhập»; hãy tách đơn vị và cán bộ thành hai bảng."),
        sheet=sheet.name,
    )


def _sheet_rows(sheet: Sheet, kind: str, headers: list[str], data: list[tuple[int, list[str]]]) -> list[Row]:
    """Map the header to our columns; refuse unknown, duplicate and missing columns."""
    columns = COLUMNS[kind]
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    unknown = []
    for index, header in enumerate(headers):
        folded = fold(header)
        if not folded or folded in IGNORED_HEADERS:
            continue
        column = next((c for c in columns if c.matches(folded)), None)
        if column is None:
            unknown.append(header)
        elif column.key in positions:
            raise _FileRefused(_("Cột «%(column)s» xuất hiện hai lần.") % {"column": header}, sheet=sheet.name)
        else:
            positions[column.key], written[column.key] = index, header
    missing = [c.header for c in columns if c.required and c.key not in positions]
    if missing:
        raise _FileRefused(
            _("Thiếu cột: %(columns)s.") % {"columns": ", ".join(f"«{h}»" for h in missing)}, sheet=sheet.name
        )
    if unknown:
        raise _FileRefused(
            _("Không nhận ra cột: %(columns)s. Các cột dùng được: %(known)s.")
            % {
                "columns": ", ".join(f"«{h}»" for h in unknown),
                "known": ", ".join(f"«{c.header}»" for c in columns),
            },
            sheet=sheet.name,
        )
    rows = []
    for line, cells in data:
        if not any(cells):
            continue  # blank rows are common at the end of a sheet
        values = {
            c.key: (cells[positions[c.key]] if positions[c.key] < len(cells) else "") if c.key in positions else None
            for c in columns
        }
        rows.append(Row(sheet=sheet.name, line=line, values=values, headers=written))
    return rows


def _split_sheets(sheets: list[Sheet]) -> tuple[list[Row], list[Row]]:
    unit_rows: list[Row] = []
    person_rows: list[Row] = []
    seen: dict[str, str] = {}
    for sheet in sheets:
        if not any(any(cells) for _line, cells in sheet.rows):
            continue  # an empty sheet, e.g. the default "Sheet2"
        headers = sheet.rows[0][1]
        if not any(headers):
            raise _FileRefused(_("Dòng 1 phải là dòng tiêu đề (tên các cột)."), sheet=sheet.name)
        kind = _sheet_kind(sheet, headers)
        if kind in seen:
            raise _FileRefused(
                _("Tệp có hai bảng cùng loại: «%(first)s» và «%(second)s».")
                % {"first": seen[kind], "second": sheet.name},
                sheet=sheet.name,
            )
        seen[kind] = sheet.name
        rows = _sheet_rows(sheet, kind, headers, sheet.rows[1:])
        (unit_rows if kind == UNITS else person_rows).extend(rows)
    if not unit_rows and not person_rows:
        raise _FileRefused(_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    return unit_rows, person_rows


class _UnitIndex:
    """Finds a unit abbreviation among the file's units and the agency's, and names the agency it is in otherwise."""

    def __init__(self, *, agency: Agency, file_abbreviations: Iterable[str], references: Iterable[str]) -> None:
        self.agency = agency
        self.existing = {u.abbreviation: u for u in Unit.objects.filter(agency=agency).select_related("parent")}
        self.existing_by_fold = {abbreviation.casefold(): abbreviation for abbreviation in self.existing}
        self.known = set(self.existing) | set(file_abbreviations)
        self.by_fold = {}
        for abbreviation in sorted(self.known):
            self.by_fold.setdefault(abbreviation.casefold(), abbreviation)
        missing = {r for r in references if self.resolve(r) is None}
        self.elsewhere = {
            unit.abbreviation.casefold(): unit.agency.abbreviation
            for unit in Unit.objects.filter(abbreviation__in=missing).exclude(agency=agency).select_related("agency")
        }

    def resolve(self, text: str) -> str | None:
        """The abbreviation as stored, matched exactly or, failing that, regardless of case."""
        if text in self.known:
            return text
        return self.by_fold.get(text.casefold())

    def why_unknown(self, text: str) -> str:
        if other := self.elsewhere.get(text.casefold()):
            return _("Đơn vị «%(unit)s» thuộc cơ quan %(other)s, không thuộc %(agency)s.") % {
                "unit": text,
                "other": other,
                "agency": self.agency.abbreviation,
            }
        return _("Không có đơn vị mã «%(unit)s» trong tệp hay trong cơ quan %(agency)s.") % {
            "unit": text,
            "agency": self.agency.abbreviation,
        }


def _split_list(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def _check_length(plan: _Plan, row: Row, key: str, limit: int) -> None:
    value = row.values[key] or ""
    if len(value) > limit:
        plan.report(
            row, key, _("Dài %(length)s ký tự, tối đa %(limit)s ký tự.") % {"length": len(value), "limit": limit}
        )


def _check_required(plan: _Plan, row: Row, key: str) -> bool:
    if not row.values[key]:
        plan.report(row, key, _("Chưa nhập giá trị."))
        return False
    return True


def _choice_names(choices) -> dict[str, str]:
    """Every way a file may name a choice (its Vietnamese label or its code), folded, to its code."""
    # The file format is Vietnamese whatever language the person importing reads the site in.
    with translation.override("vi"):
        names = {fold(str(label)): value for value, label in choices}
    for value, _label in choices:
        names[fold(value)] = names[fold(value.replace("_", " "))] = value
    return names


def _vietnamese_labels(choices) -> str:
    with translation.override("vi"):
        return ", ".join(str(label) for _value, label in choices)


def _parse_roles(text: str, names: dict[str, str]) -> tuple[set[str], list[str]]:
    roles, unknown = set(), []
    for part in _split_list(text):
        if role := names.get(fold(part)):
            roles.add(role)
        else:
            unknown.append(part)
    return roles, unknown


def _check_units(plan: _Plan, index: _UnitIndex) -> dict[str, dict]:
    """Check the unit rows; return the good ones by abbreviation, in an order where parents come first."""
    checked: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    kind_names = _choice_names(Unit.Kind.choices)
    parents = {a: (u.parent.abbreviation if u.parent else None) for a, u in index.existing.items()}
    for row in plan.unit_rows:
        values = row.values
        good = True
        if _check_required(plan, row, "abbreviation"):
            abbreviation = values["abbreviation"]
            if abbreviation.casefold() in first_line:
                plan.report(
                    row,
                    "abbreviation",
                    _("Mã đơn vị «%(unit)s» đã có ở dòng %(line)s.")
                    % {"unit": abbreviation, "line": first_line[abbreviation.casefold()]},
                )
                good = False
            else:
                first_line[abbreviation.casefold()] = row.line
            stored = index.existing_by_fold.get(abbreviation.casefold())
            if stored and stored != abbreviation:
                # The database tells "VP" from "vp"; people do not, and two such units would confuse everyone.
                plan.report(
                    row,
                    "abbreviation",
                    _("Cơ quan đã có đơn vị mã «%(stored)s»; hãy ghi đúng chữ hoa, chữ thường như vậy.")
                    % {"stored": stored},
                )
                good = False
            try:
                abbreviation_validator(abbreviation)
            except ValidationError as error:
                plan.report(row, "abbreviation", " ".join(error.messages))
                good = False
            _check_length(plan, row, "abbreviation", _max_length(Unit, "abbreviation"))
        else:
            good = False
        if _check_required(plan, row, "name"):
            _check_length(plan, row, "name", _max_length(Unit, "name"))
        kind = None
        if _check_required(plan, row, "kind"):
            kind = kind_names.get(fold(values["kind"]))
            if kind is None:
                plan.report(
                    row,
                    "kind",
                    _("Không có loại đơn vị «%(kind)s». Dùng một trong: %(known)s.")
                    % {"kind": values["kind"], "known": _vietnamese_labels(Unit.Kind.choices)},
                )
        parent = None
        if values["parent"]:
            parent = index.resolve(values["parent"])
            if parent is None:
                plan.report(row, "parent", index.why_unknown(values["parent"]))
        if good:
            abbreviation = values["abbreviation"]
            if values["parent"] is not None:  # an absent column keeps the parent already stored
                parents[abbreviation] = parent
            else:
                parents.setdefault(abbreviation, None)
            checked[abbreviation] = {"row": row, "name": values["name"], "kind": kind, "parent": parent}

    # A cycle can run through units of the file and units already stored, so walk the merged tree.
    depth: dict[str, int] = {}
    for abbreviation, unit in checked.items():
        chain, current = [abbreviation], parents.get(abbreviation)
        while current is not None and current not in chain:
            chain.append(current)
            current = parents.get(current)
        if current == abbreviation:
            plan.report(
                unit["row"],
                "parent",
                _("Đơn vị cấp trên tạo thành vòng lặp: %(chain)s.") % {"chain": " → ".join([*chain, abbreviation])},
            )
        depth[abbreviation] = len(chain)
    return dict(sorted(checked.items(), key=lambda item: depth[item[0]]))


def _check_people(plan: _Plan, index: _UnitIndex, agency: Agency) -> dict[str, dict]:
    """Check the person rows; return the good ones by user name."""
    checked: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    usernames = [row.values["username"] for row in plan.person_rows if row.values["username"]]
    existing: dict[str, User] = {}
    existing_by_fold: dict[str, str] = {}
    for start in range(0, len(usernames), 500):
        chunk = [username.lower() for username in usernames[start : start + 500]]
        for user in User.objects.annotate(folded=Lower("username")).filter(folded__in=chunk):
            existing[user.username] = user
            existing_by_fold[user.username.casefold()] = user.username
    email_validator = EmailValidator()
    role_names = _choice_names(Role.choices)
    for row in plan.person_rows:
        values = row.values
        username = values["username"]
        if _check_required(plan, row, "username"):
            if username.casefold() in first_line:
                plan.report(
                    row,
                    "username",
                    _("Tên đăng nhập «%(username)s» đã có ở dòng %(line)s.")
                    % {"username": username, "line": first_line[username.casefold()]},
                )
            else:
                first_line[username.casefold()] = row.line
            try:
                User.username_validator(username)
            except ValidationError:
                plan.report(
                    row,
                    "username",
                    _("Tên đăng nhập chỉ gồm chữ, số và các ký tự @ . + - _, không có khoảng trắng."),
                )
            _check_length(plan, row, "username", _max_length(User, "username"))
            stored = existing_by_fold.get(username.casefold())
            if stored and stored != username:
                # Sign-in tells "An" from "an"; a second account differing only in case is a mistake.
                plan.report(
                    row,
                    "username",
                    _("Đã có tài khoản «%(stored)s»; hãy ghi đúng chữ hoa, chữ thường như vậy.") % {"stored": stored},
                )
            user = existing.get(username)
            if user is not None and user.agency_id != agency.pk:
                plan.report(
                    row,
                    "username",
                    _("Tên đăng nhập «%(username)s» đã dùng cho một tài khoản không thuộc cơ quan %(agency)s.")
                    % {"username": username, "agency": agency.abbreviation},
                )
        if _check_required(plan, row, "full_name"):
            _check_length(plan, row, "full_name", _max_length(User, "full_name"))
        if _check_required(plan, row, "email"):
            try:
                email_validator(values["email"])
            except ValidationError:
                plan.report(row, "email", _("Email «%(email)s» không hợp lệ.") % {"email": values["email"]})
            _check_length(plan, row, "email", _max_length(User, "email"))
        if values["phone"]:
            _check_length(plan, row, "phone", _max_length(User, "phone"))
        if values["title"]:
            _check_length(plan, row, "title", _max_length(User, "title"))

        unit = None
        if values["unit"]:
            unit = index.resolve(values["unit"])
            if unit is None:
                plan.report(row, "unit", index.why_unknown(values["unit"]))
            if _check_required(plan, row, "position"):
                _check_length(plan, row, "position", _max_length(Membership, "position"))
        elif values["position"]:
            plan.report(row, "position", _("Có chức vụ nhưng chưa ghi đơn vị."))

        is_head = None
        if values["is_head"] is not None:
            folded = fold(values["is_head"])
            if folded in YES:
                is_head = True
                if not values["unit"]:
                    plan.report(row, "is_head", _("Là lãnh đạo đơn vị nhưng chưa ghi đơn vị."))
            elif folded in NO:
                is_head = False
            else:
                message = _("Ghi «có» hoặc «không», không phải «%(value)s».") % {"value": values["is_head"]}
                plan.report(row, "is_head", message)

        roles: set[str] = set()
        if _check_required(plan, row, "roles"):
            roles, unknown = _parse_roles(values["roles"], role_names)
            if unknown:
                plan.report(
                    row,
                    "roles",
                    _("Không có vai trò %(roles)s. Dùng một hoặc nhiều trong: %(known)s.")
                    % {
                        "roles": ", ".join(f"«{r}»" for r in unknown),
                        "known": _vietnamese_labels(Role.choices),
                    },
                )

        supervised = None
        if values["supervised"] is not None:
            supervised = []
            for text in _split_list(values["supervised"]):
                found = index.resolve(text)
                if found is None:
                    plan.report(row, "supervised", index.why_unknown(text))
                elif found not in supervised:
                    supervised.append(found)
            if supervised and not roles & LEADER_ROLES:
                plan.report(row, "supervised", _("Chỉ Giám đốc, Phó Giám đốc mới được phân công phụ trách đơn vị."))

        checked[username or ""] = {
            "row": row,
            "user": existing.get(username),
            "full_name": values["full_name"],
            "email": values["email"],
            "phone": values["phone"],
            "title": values["title"],
            "unit": unit,
            "position": values["position"] or "",
            "is_head": is_head,
            "roles": roles,
            "supervised": supervised,
        }
    return checked


# --- Writing ----------------------------------------------------------------


class _Rollback(Exception):
    pass


def _write(*, agency: Agency, units: dict[str, dict], people: dict[str, dict], result: ImportResult) -> None:
    """Write every checked row; a refusal from a service becomes a problem on its row."""
    saved: dict[str, Unit] = {}

    def unit_for(abbreviation: str | None) -> Unit | None:
        if abbreviation is None:
            return None
        if abbreviation not in saved:
            saved[abbreviation] = Unit.objects.get(agency=agency, abbreviation=abbreviation)
        return saved[abbreviation]

    existing_units = set(
        Unit.objects.filter(agency=agency, abbreviation__in=units).values_list("abbreviation", flat=True)
    )
    for abbreviation, unit in units.items():
        row = unit["row"]
        try:
            if row.values["parent"] is None:
                stored = Unit.objects.filter(agency=agency, abbreviation=abbreviation).select_related("parent").first()
                parent = stored.parent if stored else None
            else:
                parent = unit_for(unit["parent"])
            saved[abbreviation] = services.unit_save(
                agency=agency, abbreviation=abbreviation, name=unit["name"], kind=unit["kind"], parent=parent
            )
        except ValidationError as error:
            result.problems.append(Problem(message=" ".join(error.messages), sheet=row.sheet, line=row.line))
            continue
        (result.units_updated if abbreviation in existing_units else result.units_created).append(abbreviation)

    for username, person in people.items():
        row, user = person["row"], person["user"]
        try:
            unit = unit_for(person["unit"])
            is_head = person["is_head"]
            if is_head is None:  # the column is absent: keep what is stored
                is_head = Membership.objects.filter(user=user, unit=unit, is_head=True).exists() if user else False
            saved_user = services.person_save(
                username=username,
                full_name=person["full_name"],
                agency=agency,
                email=person["email"],
                phone=person["phone"] if person["phone"] is not None else (user.phone if user else ""),
                title=person["title"] if person["title"] is not None else (user.title if user else ""),
                roles=person["roles"],
            )
            services.membership_set(user=saved_user, unit=unit, position=person["position"], is_head=is_head)
            if person["supervised"] is not None:  # an absent column keeps the stored supervision
                services.supervision_set(director=saved_user, units=[unit_for(a) for a in person["supervised"]])
        except ValidationError as error:
            result.problems.append(Problem(message=" ".join(error.messages), sheet=row.sheet, line=row.line))
            continue
        (result.people_updated if user else result.people_created).append(username)


def people_import(*, name: str, content: bytes, agency: Agency, by: User | None, dry_run: bool = False) -> ImportResult:
    """Import the units and people of a CSV or XLSX file into ``agency``.

    Every row is checked before anything is written; if any row has a problem the
    result lists them all and the database is untouched. Otherwise every row is
    written in one transaction, or, with ``dry_run``, written and rolled back so the
    counts are exact. ``by`` is the person importing (None for the command line):
    they must hold ``units.import_people`` and manage ``agency``.
    """
    if by is not None and not can_import_people(by, agency):
        raise NotAllowed(_("Bạn không có quyền nhập đơn vị và cán bộ từ tệp."))
    result = ImportResult(dry_run=dry_run)
    try:
        unit_rows, person_rows = _split_sheets(
            read_sheets(name=name, content=content, max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS)
        )
    except SpreadsheetRefused as refused:
        result.problems.append(Problem(message=refused.message))
        return result
    except _FileRefused as refused:
        result.problems.append(refused.problem)
        return result

    plan = _Plan(unit_rows=unit_rows, person_rows=person_rows)
    references = [r.values["parent"] for r in unit_rows if r.values["parent"]]
    references += [r.values["unit"] for r in person_rows if r.values["unit"]]
    references += [a for r in person_rows for a in _split_list(r.values["supervised"] or "")]
    index = _UnitIndex(
        agency=agency,
        file_abbreviations=[r.values["abbreviation"] for r in unit_rows if r.values["abbreviation"]],
        references=references,
    )
    units = _check_units(plan, index)
    people = _check_people(plan, index, agency)
    if plan.problems:
        # Units before people (people refer to units), each in the order of its rows.
        order = {rows[0].sheet: i for i, rows in enumerate((unit_rows, person_rows)) if rows}
        result.problems = sorted(plan.problems, key=lambda p: (order.get(p.sheet, -1), p.line or 0))
        return result

    try:
        with transaction.atomic():
            _write(agency=agency, units=units, people=people, result=result)
            if result.problems or dry_run:
                raise _Rollback
    except IntegrityError:
        # Checked rows can still collide with a write made meanwhile (two imports at once).
        result.problems = [Problem(message=_("Dữ liệu vừa được người khác thay đổi; hãy nhập lại tệp."))]
    except _Rollback:
        pass
    if result.problems:
        result.units_created, result.units_updated = [], []
        result.people_created, result.people_updated = [], []
    return result
