import json as _json
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lib.workdays import VIETNAM_TZ
from notifications.delivery import notices_deliver
from tasks.digest import weekly_digests_send
from tasks.reminders import reminders_sweep


class Command(BaseCommand):
    help = (
        "Run one reminder sweep by hand, as of now or of --at (ISO 8601; Vietnam time if no offset), "
        "and send its e-mails here and now. Exits 1 when a reminder or an e-mail failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--at", help="the moment to sweep as of, e.g. 2026-11-24T08:00 or 2026-11-24T01:00+00:00")
        parser.add_argument("--dry-run", action="store_true", help="say what would be sent, send nothing")
        parser.add_argument(
            "--json",
            action="store_true",
            help='end with {"queued": N, "sent": N, "waiting": N, "skipped": N, "failed": N}',
        )

    def handle(self, *args, at=None, dry_run=False, json=False, **options):
        moment = self._moment(at)
        result = reminders_sweep(at=moment, dry_run=dry_run)
        digests = 0 if dry_run else weekly_digests_send(at=moment)
        # What became of the channels' deliveries: sent now (or by a worker), waiting for a retry, ...
        deliveries = notices_deliver(notice_ids=result.notices)
        counts = {
            "queued": result.sent,  # reminders whose notices were written (sent in-app) this sweep
            "sent": deliveries["sent"],
            "waiting": deliveries["pending"],
            "skipped": result.skipped + deliveries["skipped"],
            "failed": result.failed + deliveries["failed"],
        }
        local = moment.astimezone(VIETNAM_TZ)
        self.stdout.write(
            f"Quét nhắc việc lúc {local:%d/%m/%Y %H:%M}{' (chạy thử, không gửi)' if dry_run else ''}: "
            f"nhắc việc mới {result.sent}, đã nhắc trước đó {result.skipped}, lỗi {result.failed}; "
            f"gửi qua e-mail và các kênh khác: đã gửi {deliveries['sent']}, chờ gửi lại {deliveries['pending']}, "
            f"bỏ qua {deliveries['skipped']}, lỗi {deliveries['failed']}; bản tổng hợp tuần {digests}."
        )
        if json:
            self.stdout.write(_json.dumps(counts))
        if counts["failed"]:
            raise CommandError(f"Có {counts['failed']} nhắc việc hoặc lượt gửi bị lỗi (xem nhật ký gửi thông báo).")

    def _moment(self, value: str | None) -> datetime:
        if not value:
            return timezone.now()
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as error:
            raise CommandError(f"--at không đúng dạng ISO 8601: {value!r} (ví dụ 2026-11-24T08:00).") from error
        return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM_TZ)
