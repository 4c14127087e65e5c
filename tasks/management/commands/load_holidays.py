from django.core.management.base import BaseCommand

from lib.workdays import local_today
from tasks.services import holidays_preload


class Command(BaseCommand):
    help = (
        "Load Vietnam's public holidays for the given years (default: this year and next). "
        "A year already loaded is left as the administrator keeps it."
    )

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int, metavar="YEAR")

    def handle(self, *args, years, **options):
        if not years:
            this_year = local_today().year
            years = [this_year, this_year + 1]
        loaded = holidays_preload(years=years)
        for year in sorted(set(years)):
            if year in loaded:
                self.stdout.write(f"{year}: đã nạp ngày nghỉ lễ.")
            else:
                self.stdout.write(f"{year}: đã có từ trước, giữ nguyên.")
