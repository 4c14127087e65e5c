from django.apps import apps
from django.core.management.base import BaseCommand

from units import demo


class Command(BaseCommand):
    help = "Load the demo department (idempotent: a second run changes nothing)."

    def handle(self, *args, **options):
        # Each app seeds its own demo data through ``AppConfig.seed_demo()``, in the order of
        # INSTALLED_APPS (people before documents before tasks): units imports no app above it.
        for config in apps.get_app_configs():
            seed = getattr(config, "seed_demo", None)
            if seed is not None:
                seed()
        self.stdout.write(f"Tài khoản dùng thử (mật khẩu: {demo.DEMO_PASSWORD}):")
        for username, role in demo.DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<12} {role}")
