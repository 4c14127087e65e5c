from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Nhật ký thay đổi")

    def ready(self) -> None:
        from audit import registry, sign_ins
        from units.models import Agency, Delegation, Membership, Supervision, Unit, User

        # The people and units are below this app; the apps above it (directives, tasks) register
        # their own models in their ready().
        registry.register(Agency, agency=lambda agency: agency.pk)
        registry.register(Unit)
        registry.register(
            User,
            # the sign-in time and the calendar secret are not changes anyone made to the person
            exclude=["last_login", "calendar_token"],
            hidden=["password"],
        )
        registry.register(Membership, agency=lambda row: row.unit.agency_id)
        registry.register(Supervision, agency=lambda row: row.unit.agency_id)
        registry.register(Delegation, agency=lambda row: row.principal.agency_id)
        sign_ins.connect()
