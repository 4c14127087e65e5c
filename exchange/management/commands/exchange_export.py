"""Write an issued document as an edXML package (issue #18)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directives.models import Document
from exchange import edxml, services
from lib.errors import DomainError
from units.models import User


class Command(BaseCommand):
    help = "Ghi một văn bản đi đã phát hành thành gói tin edXML (kèm bản PDF chính thức và các tệp đính kèm)."

    def add_arguments(self, parser):
        parser.add_argument("document_id", type=int, help="mã văn bản (số trong địa chỉ trang văn bản)")
        parser.add_argument("--out", type=Path, required=True, help="tệp gói tin cần ghi")
        parser.add_argument("--shape", choices=sorted(edxml.SHAPES), default="qcvn102", help="dạng gói tin")
        parser.add_argument("--by", dest="username", help="tên đăng nhập của văn thư gửi (kiểm tra quyền)")

    def handle(self, *args, document_id: int, out: Path, shape: str, username=None, **options):
        document = Document.objects.filter(pk=document_id).first()
        if document is None:
            raise CommandError(f"Không có văn bản mã {document_id}.")
        by = None
        if username:
            by = User.objects.filter(username=username, is_active=True).first()
            if by is None:
                raise CommandError(f"Không có người dùng «{username}».")
        try:
            data = edxml.package_build(services.package_of_document(document, by=by), shape=shape)
        except DomainError as error:
            raise CommandError(error.message) from error
        except edxml.PackageInvalid as error:
            raise CommandError("Gói tin không hợp lệ:\n- " + "\n- ".join(error.errors)) from error
        out.write_bytes(data)
        self.stdout.write(f"Đã ghi gói tin {out} ({len(data)} byte, dạng {shape}) của văn bản {document.symbol}.")
