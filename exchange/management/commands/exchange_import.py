"""Register a received edXML package in an agency's incoming register (issue #18)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from exchange import edxml, services
from lib.errors import DomainError
from units.models import Agency, User
from units.roles import Role


class Command(BaseCommand):
    help = "Vào sổ văn bản đến một gói tin edXML nhận được, giữ nguyên gói tin và các tệp đính kèm."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="tệp gói tin edXML")
        parser.add_argument("--agency", help="viết tắt tên cơ quan nhận (mặc định: cơ quan có mã định danh nơi nhận)")
        parser.add_argument("--by", dest="username", help="tên đăng nhập của văn thư vào sổ (mặc định: văn thư đầu)")

    def handle(self, *args, path: Path, agency=None, username=None, **options):
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        data = path.read_bytes()
        try:
            package = edxml.package_read(data)
        except edxml.PackageInvalid as error:
            raise CommandError("Gói tin không hợp lệ:\n- " + "\n- ".join(error.errors)) from error
        receiver = self._agency(agency, package)
        by = self._clerk(username, receiver)
        try:
            document = services.document_from_package(package, agency=receiver, by=by, data=data)
        except DomainError as error:
            raise CommandError(error.message) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Đã vào sổ văn bản đến của {receiver.abbreviation}: số đến {document.number}, {document.symbol} "
            f"(mã {document.pk}), {document.attachments.count()} tệp."
        )

    def _agency(self, abbreviation: str | None, package: edxml.Package) -> Agency:
        if abbreviation:
            receiver = Agency.objects.filter(abbreviation__iexact=abbreviation).first()
            if receiver is None:
                raise CommandError(f"Không có cơ quan viết tắt «{abbreviation}».")
            return receiver
        receivers = list(Agency.objects.filter(exchange_id__in=[party.organ_id for party in package.to])[:2])
        if len(receivers) != 1:
            raise CommandError("Cần --agency VIẾT_TẮT để biết vào sổ của cơ quan nào.")
        return receivers[0]

    def _clerk(self, username: str | None, agency: Agency) -> User:
        if username:
            clerk = User.objects.filter(username=username, is_active=True).first()
            if clerk is None:
                raise CommandError(f"Không có người dùng «{username}».")
            return clerk
        clerk = User.objects.filter(agency=agency, groups__name=Role.CLERK, is_active=True).order_by("pk").first()
        if clerk is None:
            raise CommandError(f"Cơ quan {agency.abbreviation} chưa có văn thư nào để vào sổ.")
        return clerk
