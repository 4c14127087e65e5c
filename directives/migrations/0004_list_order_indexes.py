from django.db import migrations, models

# Page 1 of a document list is ORDER BY ... LIMIT 50 over one agency: with these the
# planner walks the index in order and stops, instead of sorting the agency's rows.


class Migration(migrations.Migration):
    dependencies = [("directives", "0003_issued_pdf_and_certificates")]

    operations = [
        # document_search and the visible list: ORDER BY -created_at, -id
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["agency", "-created_at", "-id"], name="directives_doc_agency_recent"),
        ),
        # documents_outgoing: issued outgoing documents, ORDER BY -issued_at, -id
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                condition=models.Q(("direction", "outgoing"), ("state", "issued")),
                fields=["agency", "-issued_at", "-id"],
                name="directives_doc_agency_issued",
            ),
        ),
    ]
