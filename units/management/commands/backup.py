from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lib.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump -Fc, or SQLite's online backup), the media files and SECRET_KEY "
        "into DIR, with a manifest of row counts and file hashes (docs/deployment.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", help="a new or empty folder")

    def handle(self, *args, dir, **options):
        try:
            manifest = backup_create(target=Path(dir))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Đã sao lưu vào %(dir)s: %(tables)s bảng, %(rows)s dòng, %(files)s tệp.")
            % {
                "dir": dir,
                "tables": len(manifest["tables"]),
                "rows": sum(manifest["tables"].values()),
                "files": len(manifest["media"]),
            }
        )
        if manifest["secret_key"]["source"] == "environment":
            self.stdout.write(
                _("SECRET_KEY lấy từ biến môi trường nên không nằm trong bản sao lưu: hãy giữ tệp môi trường cùng nó.")
            )
