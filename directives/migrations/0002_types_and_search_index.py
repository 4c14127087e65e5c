from django.db import migrations

# A frozen copy: a migration must not change when the live list does.
TYPES = [
    ("Công văn", ""), ("Nghị quyết", "NQ"), ("Quyết định", "QĐ"), ("Chỉ thị", "CT"), ("Quy chế", "QC"),
    ("Quy định", "QyĐ"), ("Thông cáo", "TC"), ("Thông báo", "TB"), ("Hướng dẫn", "HD"), ("Chương trình", "CTr"),
    ("Kế hoạch", "KH"), ("Phương án", "PA"), ("Đề án", "ĐA"), ("Dự án", "DA"), ("Báo cáo", "BC"),
    ("Biên bản", "BB"), ("Tờ trình", "TTr"), ("Hợp đồng", "HĐ"), ("Công điện", "CĐ"), ("Bản ghi nhớ", "BGN"),
    ("Bản thỏa thuận", "BTT"), ("Giấy ủy quyền", "GUQ"), ("Giấy mời", "GM"), ("Giấy giới thiệu", "GGT"),
    ("Giấy nghỉ phép", "GNP"), ("Phiếu gửi", "PG"), ("Phiếu chuyển", "PC"), ("Phiếu báo", "PB"),
]  # fmt: skip


def add_types(apps, schema_editor):
    DocumentType = apps.get_model("directives", "DocumentType")
    for name, abbreviation in TYPES:
        DocumentType.objects.get_or_create(name=name, defaults={"abbreviation": abbreviation})


def add_search_index(apps, schema_editor):
    # Serves the diacritic-insensitive search: search_text LIKE '%…%' through a trigram index.
    # SQLite has no such index; the same LIKE scans there, which is fine at its scale.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS directives_doc_search_trgm "
        "ON directives_document USING gin (search_text gin_trgm_ops)"
    )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directives_doc_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("directives", "0001_initial")]

    operations = [
        migrations.RunPython(add_types, migrations.RunPython.noop),
        migrations.RunPython(add_search_index, drop_search_index),
    ]
