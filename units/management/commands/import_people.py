from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from units.importing import MAX_FILE_BYTES, people_import
from units.models import Agency


class Command(BaseCommand):
    help = (
        "Import units and people from a CSV or XLSX file (format: docs/import.md). "
        "A file with any error imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .csv or .xlsx file")
        parser.add_argument("--agency", help="abbreviation of the agency to import into (needed if there are several)")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, writing nothing")

    def handle(self, *args, file, agency, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(file)s.") % {"file": file})
        # Read one byte past the limit: enough to refuse a larger file without loading it whole.
        with path.open("rb") as handle:
            content = handle.read(MAX_FILE_BYTES + 1)
        result = people_import(name=path.name, content=content, agency=self._agency(agency), by=None, dry_run=dry_run)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(_("Tệp có %(count)s lỗi; chưa nhập gì.") % {"count": len(result.problems)})
        self.stdout.write(result.summary())

    def _agency(self, abbreviation: str | None) -> Agency:
        if abbreviation:
            agency = Agency.objects.filter(abbreviation__iexact=abbreviation).first()
            if agency is None:
                raise CommandError(_("Không có cơ quan viết tắt «%(agency)s».") % {"agency": abbreviation})
            return agency
        agencies = list(Agency.objects.all()[:2])
        if len(agencies) != 1:
            raise CommandError(
                _("Chưa có cơ quan nào; hãy tạo cơ quan trước.")
                if not agencies
                else _("Có nhiều cơ quan; hãy chọn một bằng --agency VIẾT_TẮT.")
            )
        return agencies[0]
