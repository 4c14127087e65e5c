from django.core.management.base import BaseCommand

from units import demo


class Command(BaseCommand):
    help = "Load the demo department (idempotent: a second run changes nothing)."

    def handle(self, *args, **options):
        demo.seed_people()
        self.stdout.write(f"Tài khoản dùng thử (mật khẩu: {demo.DEMO_PASSWORD}):")
        for username, role in demo.DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<12} {role}")
