from datetime import timedelta

from django.core.management.base import BaseCommand

from lib.staged_uploads import uploads_staging_clean


class Command(BaseCommand):
    help = (
        "Delete files staged by forms that were never saved (older than UPLOAD_STAGING_HOURS, "
        "or --hours). Beat runs this every hour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=None, help="delete staged files older than this")

    def handle(self, *args, hours, **options):
        deleted = uploads_staging_clean(older_than=timedelta(hours=hours) if hours is not None else None)
        self.stdout.write(f"deleted {deleted}")
