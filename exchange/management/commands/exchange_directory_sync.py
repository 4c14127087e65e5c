"""Copy the LGSP platform's directory of organisations into the portal (issue #18)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from exchange.directory import directory_sync
from exchange.transport import TransportError


class Command(BaseCommand):
    help = "Cập nhật danh mục cơ quan, tổ chức từ nền tảng liên thông (LGSP) theo mã định danh điện tử."

    def handle(self, *args, **options):
        if not settings.EXCHANGE_LGSP_URL:
            raise CommandError("Chưa cấu hình kết nối nền tảng liên thông (EXCHANGE_LGSP_URL).")
        try:
            counts = directory_sync()
        except TransportError as error:
            raise CommandError(error.message_vi) from error
        self.stdout.write(
            "Đã cập nhật danh mục từ nền tảng liên thông: {created} cơ quan mới, {updated} cơ quan cập nhật, "
            "{unchanged} không đổi, {skipped} bỏ qua (mã định danh không hợp lệ hoặc tên trùng).".format(**counts)
        )
