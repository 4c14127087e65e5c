from django.db import migrations


def add_agency_search_index(apps, schema_editor):
    # Serves the search of one agency's documents (directives.selectors.document_search): the
    # agency and the words in one GIN index, so the trigram match stays within the agency instead
    # of collecting every agency's candidates before the agency filter (issue #19). btree_gin
    # gives GIN the bigint equality. directives_doc_search_trgm stays for a search across agencies
    # (a superuser's): the planner would not take this index for the words alone.
    # SQLite has no such index; its LIKE scans, which is fine at its scale.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS directives_doc_search_agency_trgm "
        "ON directives_document USING gin (agency_id, search_text gin_trgm_ops)"
    )


def drop_agency_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directives_doc_search_agency_trgm")


class Migration(migrations.Migration):
    dependencies = [("directives", "0010_workflow_holder_and_authorisations")]

    operations = [migrations.RunPython(add_agency_search_index, drop_agency_search_index)]
