from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Đọc văn bản đến")

    def seed_demo(self) -> None:
        """Called by ``manage.py seed_demo``, app by app in INSTALLED_APPS order."""
        from intake.demo import seed_readings

        seed_readings()
