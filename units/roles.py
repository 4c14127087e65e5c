"""The six roles, the Django permissions each one carries, and each role's start page.

A role is a Django group named by the role's code; its permissions are set here
and nowhere else, and re-applied after every ``migrate``. Rights over particular
objects come from unit membership (see each app's ``permissions.py``) and, for
explicit grants such as confidential documents, from django-guardian.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DIRECTOR = "director", _("Giám đốc")
    DEPUTY_DIRECTOR = "deputy_director", _("Phó Giám đốc")
    CLERK = "clerk", _("Văn thư")
    UNIT_HEAD = "unit_head", _("Lãnh đạo đơn vị")
    STAFF = "staff", _("Chuyên viên")
    ADMINISTRATOR = "administrator", _("Quản trị")


_PEOPLE_ADMIN = [
    f"units.{action}_{model}"
    for model in ("agency", "unit", "organisation", "user", "membership", "supervision")
    for action in ("add", "change", "view")
] + [
    "units.delete_membership",
    "units.delete_supervision",
    "units.import_people",
    "directives.add_documenttype",
    "directives.change_documenttype",
    "directives.view_documenttype",
    "directives.add_signingcertificate",
    "directives.change_signingcertificate",
    "directives.view_signingcertificate",
    # substitutes for people on leave, and who may sign «TL.»/«TUQ.» (issue #15)
    "units.add_delegation",
    "units.change_delegation",
    "units.delete_delegation",
    "units.view_delegation",
    "directives.add_signingauthorisation",
    "directives.change_signingauthorisation",
    "directives.delete_signingauthorisation",
    "directives.view_signingauthorisation",
    # the reminder rules, the reminders sent (for support) and the send log
    "tasks.add_reminderrule",
    "tasks.change_reminderrule",
    "tasks.view_reminderrule",
    "tasks.view_reminder",
    "notifications.view_notificationdelivery",
    # the calendar of days off that working-day deadlines and reminders count with
    "tasks.add_holiday",
    "tasks.change_holiday",
    "tasks.delete_holiday",
    "tasks.view_holiday",
]

# Later apps add their own codenames here; a codename whose model is not
# migrated yet is skipped and picked up by the next migrate.
_LEADER = ["directives.approve_document", "directives.route_incoming", "tasks.add_task"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.DIRECTOR: _LEADER,
    Role.DEPUTY_DIRECTOR: _LEADER,
    Role.CLERK: [
        "units.view_organisation",
        "units.add_organisation",
        "units.change_organisation",
        "directives.issue_document",
        "directives.register_incoming",
        "tasks.add_task",
    ],
    Role.UNIT_HEAD: [],
    Role.STAFF: [],
    Role.ADMINISTRATOR: _PEOPLE_ADMIN,
}

# When a person holds several roles, the first one here chooses their start page.
START_PAGES: list[tuple[str, str]] = [
    (Role.DIRECTOR, "tasks:dashboard"),
    (Role.DEPUTY_DIRECTOR, "tasks:dashboard"),
    (Role.CLERK, "directives:desk"),
    (Role.UNIT_HEAD, "tasks:unit"),
    (Role.STAFF, "tasks:mine"),
    (Role.ADMINISTRATOR, "admin:index"),
]


def start_page_for(user) -> str:
    """The URL name of the page a person lands on after signing in."""
    for role, url_name in START_PAGES:
        if role in user.roles:
            return url_name
    return "tasks:mine"


def roles_sync(*, using: str = "default") -> None:
    """Create the role groups and give each exactly the permissions listed above."""
    from django.contrib.auth.models import Group, Permission

    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        wanted = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            wanted.extend(Permission.objects.using(using).filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
