from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lib.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into the configured database and MEDIA_ROOT, then check every "
        "table's row count and every file's SHA-256 against its manifest. Refuses a target that holds data "
        "unless --force is given (docs/deployment.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", help="the backup folder (with its manifest.json)")
        parser.add_argument(
            "--force", action="store_true", help="replace the data already in the database and MEDIA_ROOT"
        )

    def handle(self, *args, dir, force, **options):
        try:
            restored = backup_restore(source=Path(dir), force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for problem in restored.problems:
            self.stderr.write(problem)
        if restored.problems:
            raise CommandError(
                _("Khôi phục xong nhưng có %(count)s chỗ khác bản sao lưu.") % {"count": len(restored.problems)}
            )
        manifest = restored.manifest
        self.stdout.write(
            _("Đã khôi phục và kiểm tra: %(tables)s bảng, %(rows)s dòng, %(files)s tệp khớp bản sao lưu.")
            % {
                "tables": len(manifest["tables"]),
                "rows": sum(manifest["tables"].values()),
                "files": len(manifest["media"]),
            }
        )
        self.stdout.write(_("Hãy chạy migrate rồi khởi động lại các tiến trình (web, worker, beat)."))
