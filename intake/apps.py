from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Đọc văn bản đến")

    def seed_demo(self) -> None:
        """Called by ``manage.py seed_demo``, app by app in INSTALLED_APPS order."""
        from intake.demo import seed_readings

        seed_readings()

    def ready(self) -> None:
        from intake import checks  # noqa: F401 - registers the system checks
        from intake.services import READINGS
        from ops.background import work_kind_register

        work_kind_register(READINGS)  # scans waiting for OCR are background work kept as rows
