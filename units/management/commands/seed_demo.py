from django.core.management.base import BaseCommand

from directives.demo import seed_documents
from tasks.demo import seed_tasks
from units import demo


class Command(BaseCommand):
    help = "Load the demo department (idempotent: a second run changes nothing)."

    def handle(self, *args, **options):
        demo.seed_people()
        seed_documents()
        seed_tasks()
        self.stdout.write(f"Tài khoản dùng thử (mật khẩu: {demo.DEMO_PASSWORD}):")
        for username, role in demo.DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<12} {role}")
