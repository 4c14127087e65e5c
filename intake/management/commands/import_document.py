"""Read a received document from a file and print its fields; with --save, register it (issue #17)."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from directives.models import Confidentiality, Urgency
from intake import extract, permissions, registration, services
from lib.errors import DomainError
from units.models import Agency, User
from units.roles import Role

LABELS = {
    "kind": "Văn bản đi/đến",
    "doc_type": "Loại văn bản",
    "type_abbr": "Viết tắt tên loại",
    "number": "Số",
    "symbol": "Số, ký hiệu",
    "parent_body": "Cơ quan chủ quản",
    "issuer": "Cơ quan ban hành",
    "place": "Địa danh",
    "issued_on": "Ngày văn bản",
    "subject": "Trích yếu",
    "urgency": "Độ khẩn",
    "confidentiality": "Độ mật",
    "addressees": "Kính gửi",
    "references": "Văn bản trích dẫn",
    "body": "Nội dung",
    "items": "Điểm giao việc (nhiệm vụ đề xuất)",
    "signer": "Người ký",
    "distribution": "Nơi nhận",
}
UNKNOWN = "— (không đọc được)"
REQUIRED = {"sender": "cơ quan gửi", "doc_type": "loại văn bản", "symbol": "số, ký hiệu", "subject": "trích yếu"}


class Command(BaseCommand):
    help = (
        "Đọc một văn bản (tệp chữ, PDF, Word, bản quét) và in các trường đọc được; --json in đúng JSON theo "
        "document.schema.json; --save vào sổ văn bản đến cùng tệp gốc, giữ các nhiệm vụ đề xuất để phân công."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="tệp văn bản cần đọc")
        parser.add_argument("--json", action="store_true", help="in JSON theo document.schema.json, không gì khác")
        parser.add_argument("--save", action="store_true", help="vào sổ văn bản đến với tệp gốc")
        parser.add_argument("--agency", help="viết tắt tên cơ quan nhận (ví dụ SKHCN): đối chiếu với đơn vị của nó")
        parser.add_argument("--by", dest="username", help="tên đăng nhập của văn thư vào sổ (mặc định: văn thư đầu)")

    def handle(self, *args, path: Path, json: bool = False, save: bool = False, agency=None, username=None, **options):
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        clerk = self._clerk(username, agency) if save or username else None
        agency_row = clerk.agency if clerk else self._agency(agency)
        data = path.read_bytes()
        extracted = self._read(data, path.name)
        fields = services.fields_parse(extracted.text, agency=agency_row)
        if json:
            self.stdout.write(_dumps(fields))
        else:
            self._print(fields, extracted)
        if save:
            document = self._save(path, clerk, extracted, fields)
            # With --json, stdout holds the JSON alone: the receipt goes to stderr.
            out = self.stderr if json else self.stdout
            out.write(
                f"Đã vào sổ văn bản đến: số đến {document.number}, {document.symbol} (mã {document.pk}); "
                f"{len(fields.get('items') or [])} nhiệm vụ đề xuất chờ lãnh đạo phân công."
            )

    def _read(self, data: bytes, name: str) -> extract.Extracted:
        try:
            extracted = extract.text_of(data, name=name)
            if extracted.needs_ocr:  # the command line may wait for OCR: it is not a request
                extracted = extract.ocr(data, name=name)
        except extract.Unreadable as error:
            raise CommandError(error.message) from error
        except UnicodeDecodeError as error:
            raise CommandError("Không đọc được nội dung tệp này.") from error
        return extracted

    def _agency(self, abbreviation: str | None) -> Agency | None:
        if abbreviation is None:
            agencies = list(Agency.objects.all()[:2])
            return agencies[0] if len(agencies) == 1 else None
        agency = Agency.objects.filter(abbreviation__iexact=abbreviation).first()
        if agency is None:
            raise CommandError(f"Không có cơ quan viết tắt «{abbreviation}».")
        return agency

    def _clerk(self, username: str | None, abbreviation: str | None) -> User:
        agency = self._agency(abbreviation)
        if username:
            clerk = User.objects.filter(username=username, is_active=True).first()
            if clerk is None:
                raise CommandError(f"Không có người dùng «{username}».")
            if agency is not None and clerk.agency_id != agency.pk:
                raise CommandError(f"«{username}» không thuộc cơ quan {agency.abbreviation}.")
        else:
            if agency is None:
                raise CommandError("Cần --agency VIẾT_TẮT (hoặc --by TÊN_ĐĂNG_NHẬP) để biết vào sổ của cơ quan nào.")
            clerk = User.objects.filter(agency=agency, groups__name=Role.CLERK, is_active=True).order_by("pk").first()
            if clerk is None:
                raise CommandError(f"Cơ quan {agency.abbreviation} chưa có văn thư nào để vào sổ.")
        if not permissions.can_read(clerk):
            raise CommandError(f"«{clerk.username}» không có quyền vào sổ văn bản đến.")
        return clerk

    def _save(self, path: Path, clerk: User, extracted, fields: dict):
        sender = registration.sender_match(fields)
        values = {
            "sender": sender,
            "new_sender_name": "" if sender else registration.sender_name_proposed(fields),
            "doc_type": registration.doc_type_match(fields),
            "symbol": (fields.get("symbol") or "").strip(),
            "subject": (fields.get("subject") or "").strip(),
            "issued_on": registration.date_of(fields.get("issued_on")),
            "urgency": registration.choice_of(Urgency, fields.get("urgency")),
            "confidentiality": registration.choice_of(Confidentiality, fields.get("confidentiality")),
        }
        missing = [label for name, label in REQUIRED.items() if not values[name]]
        if not values["sender"] and values["new_sender_name"]:
            missing.remove(REQUIRED["sender"])
        if missing:
            raise CommandError(
                f"Chưa vào sổ: không đọc được {', '.join(missing)}. Hãy vào sổ trên trang «Đọc văn bản»."
            )
        try:
            with path.open("rb") as handle:
                checked = registration.file_checked(File(handle, name=path.name))
                return registration.reading_register_new(
                    by=clerk, checked=checked, extracted=extracted, fields=fields, **values
                )
        except DomainError as error:
            raise CommandError(f"Chưa vào sổ: {error.message}") from error
        except ValidationError as error:
            raise CommandError(f"Chưa vào sổ: {' '.join(error.messages)}") from error

    def _print(self, fields: dict, extracted) -> None:
        uncertain = set(fields.get("uncertain") or ())
        how = extracted.method
        if extracted.confidence is not None:
            how += f", độ tin cậy {extracted.confidence:.0f}%"
        self.stdout.write(f"Cách đọc: {how}")
        for key, label in LABELS.items():
            value = fields.get(key)
            mark = " (cần kiểm tra)" if key in uncertain else ""
            if key == "body":
                self.stdout.write(f"{label}: {len(value or [])} đoạn")
            elif key == "signer":
                signer = value or {}
                parts = [signer.get(k) for k in ("authority", "authority_title", "title", "name") if signer.get(k)]
                self.stdout.write(f"{label}{mark}: {' '.join(parts) if parts else UNKNOWN}")
            elif key == "references":
                self.stdout.write(f"{label}{mark}:" + ("" if value else f" {UNKNOWN}"))
                for ref in value or ():
                    when = f" ngày {ref['issued_on']}" if ref.get("issued_on") else ""
                    issuer = f" của {ref['issuer']}" if ref.get("issuer") else ""
                    self.stdout.write(f"  - {ref.get('doc_type') or ''} {ref.get('symbol')}{when}{issuer}".rstrip())
            elif key == "items":
                self.stdout.write(f"{label}:" + ("" if value else f" {UNKNOWN}"))
                for item in value or ():
                    lead = ", ".join(item.get("lead_units") or ()) or "chưa rõ"
                    cooperating = ", ".join(item.get("cooperating_units") or ())
                    deadline = item.get("deadline") or "không nêu"
                    self.stdout.write(f"  {item.get('label')}. {item.get('text')}")
                    with_others = f"; phối hợp: {cooperating}" if cooperating else ""
                    self.stdout.write(f"     chủ trì: {lead}{with_others}; hạn: {deadline}")
            elif isinstance(value, list):
                self.stdout.write(f"{label}{mark}: " + ("; ".join(value) if value else UNKNOWN))
            else:
                self.stdout.write(f"{label}{mark}: {value if value not in (None, '') else UNKNOWN}")


def _dumps(fields: dict) -> str:
    return json.dumps(fields, ensure_ascii=False, indent=2, default=str)
