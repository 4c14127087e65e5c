from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _roles_sync_after_migrate(sender, using="default", **kwargs) -> None:
    from units.roles import roles_sync

    roles_sync(using=using)


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Cơ quan, đơn vị và cán bộ")

    def seed_demo(self) -> None:
        """Called by ``manage.py seed_demo``, app by app in INSTALLED_APPS order."""
        from units.demo import seed_people

        seed_people()

    def ready(self) -> None:
        from units import checks  # noqa: F401  (registers the system checks)

        # Wiring, not domain flow: like Django's own permissions, the role groups
        # must match ROLE_PERMISSIONS after every migrate. It runs once per migrated
        # app, so permissions of apps migrated later are picked up too.
        post_migrate.connect(_roles_sync_after_migrate, dispatch_uid="units_roles_sync")
