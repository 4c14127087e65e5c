from django.db import migrations

from lib.html import body_text
from lib.text import fold


def refill_search_text(apps, schema_editor):
    """Fold every document's searched text again, now with its signer's name
    (directives.services._search_text, frozen here)."""
    Document = apps.get_model("directives", "Document")
    documents = Document.objects.select_related("doc_type", "sender", "signer").only(
        "symbol", "subject", "body", "doc_type__name", "sender__name", "signer__full_name"
    )
    batch = []
    for document in documents.iterator(chunk_size=1000):
        parts = [document.symbol, document.subject, body_text(document.body), document.doc_type.name]
        if document.sender_id:
            parts.append(document.sender.name)
        if document.signer_id:
            parts.append(document.signer.full_name)
        document.search_text = fold(" ".join(p for p in parts if p))
        batch.append(document)
        if len(batch) == 1000:
            Document.objects.bulk_update(batch, ["search_text"])
            batch = []
    Document.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("directives", "0008_signer_settings_personal_certificate")]

    operations = [migrations.RunPython(refill_search_text, migrations.RunPython.noop)]
