"""The database itself refuses to change or remove an audit record.

PostgreSQL: a BEFORE UPDATE OR DELETE trigger raises. SQLite: a BEFORE UPDATE trigger aborts;
DELETE is not guarded by a trigger there, because Django's test flush empties SQLite tables with
DELETE (PostgreSQL's uses TRUNCATE, which row triggers do not see); the product itself never
deletes a record on either engine (docs/decisions.md).
"""

from django.db import migrations

POSTGRES_UP = """
CREATE FUNCTION audit_record_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit records are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE ON audit_auditrecord
    FOR EACH ROW EXECUTE FUNCTION audit_record_refuse_change();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS audit_record_append_only ON audit_auditrecord;
DROP FUNCTION IF EXISTS audit_record_refuse_change();
"""
SQLITE_UP = """
CREATE TRIGGER audit_record_append_only BEFORE UPDATE ON audit_auditrecord
BEGIN
    SELECT RAISE(ABORT, 'audit records are append-only: UPDATE refused');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_record_append_only;"


def _run(statements: dict):
    def run(apps, schema_editor):
        sql = statements.get(schema_editor.connection.vendor)
        if sql:
            schema_editor.execute(sql, None)  # no parameters: the "%" in the message is literal

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_record")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        ),
    ]
