from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _document_types_after_migrate(sender, using="default", **kwargs) -> None:
    from directives.models import DocumentType
    from directives.types import DECREE_30_TYPES

    for name, abbreviation in DECREE_30_TYPES:
        DocumentType.objects.using(using).get_or_create(name=name, defaults={"abbreviation": abbreviation})


class DirectivesConfig(AppConfig):
    name = "directives"
    verbose_name = _("Văn bản")

    def seed_demo(self) -> None:
        """Called by ``manage.py seed_demo``, app by app in INSTALLED_APPS order."""
        from directives.demo import seed_documents

        seed_documents()

    def ready(self) -> None:
        from directives import checks  # noqa: F401 - registers the system checks
        from directives.official_pdf import OFFICIAL_PDFS
        from ops.background import work_kind_register

        work_kind_register(OFFICIAL_PDFS)  # the official PDFs to render are background work kept as rows

        # Reference data, like Django's permissions: the Decree 30 types exist after
        # every migrate (and after a test database flush); administrators add more.
        post_migrate.connect(_document_types_after_migrate, sender=self, dispatch_uid="directives_types")
        _audit_register()


def _audit_register() -> None:
    """Every change to a document, a type and a signing certificate goes to the audit trail. A
    confidential document's number, symbol, subject and text never do: people without a grant read it."""
    from audit import registry
    from directives.models import (
        Document,
        DocumentType,
        PersonalCertificate,
        SigningAuthorisation,
        SigningCertificate,
    )

    registry.register(
        Document,
        exclude=["search_text", "updated_at"],
        confidential=lambda document: document.is_confidential,
        confidential_fields=["subject", "body", "number", "symbol", "distribution"],
    )
    registry.register(DocumentType, agency=lambda _type: None)
    registry.register(SigningAuthorisation)
    registry.register(SigningCertificate, hidden=["bundle", "chain_pem", "image"])
    registry.register(
        PersonalCertificate, hidden=["bundle", "chain_pem", "image"], agency=lambda record: record.user.agency_id
    )
