from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "directives"
    verbose_name = _("Văn bản")

    def ready(self) -> None:
        from directives import checks  # noqa: F401 - registers the system checks
