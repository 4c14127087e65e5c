import json as _json
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lib.workdays import VIETNAM_TZ
from tasks.digest import weekly_digests_send
from tasks.reminders import reminders_sweep


class Command(BaseCommand):
    help = "Run one reminder sweep by hand, as of now or of --at (ISO 8601; Vietnam time if no offset)."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="the moment to sweep as of, e.g. 2026-11-24T08:00 or 2026-11-24T01:00+00:00")
        parser.add_argument("--dry-run", action="store_true", help="say what would be sent, send nothing")
        parser.add_argument("--json", action="store_true", help='end with {"sent": N, "skipped": N, "failed": N}')

    def handle(self, *args, at=None, dry_run=False, json=False, **options):
        moment = self._moment(at)
        result = reminders_sweep(at=moment, dry_run=dry_run)
        digests = 0 if dry_run else weekly_digests_send(at=moment)
        local = moment.astimezone(VIETNAM_TZ)
        self.stdout.write(
            f"Quét nhắc việc lúc {local:%d/%m/%Y %H:%M}{' (chạy thử, không gửi)' if dry_run else ''}: "
            f"gửi {result.sent}, bỏ qua vì đã gửi {result.skipped}, lỗi {result.failed}, "
            f"bản tổng hợp tuần {digests}."
        )
        if json:
            self.stdout.write(_json.dumps(result.as_dict()))

    def _moment(self, value: str | None) -> datetime:
        if not value:
            return timezone.now()
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as error:
            raise CommandError(f"--at không đúng dạng ISO 8601: {value!r} (ví dụ 2026-11-24T08:00).") from error
        return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM_TZ)
