"""`manage.py backup DIR` and `manage.py restore DIR`: a backup restored into a fresh database
and an empty media folder holds every row of every table, every issued PDF with its recorded
SHA-256 and the SECRET_KEY the signing certificate is encrypted with; restore refuses a target
that holds data, and a backup whose key it cannot supply."""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from directives import official_pdf, services
from directives.models import IssuedPdf
from lib.backup import key_fingerprint, table_counts
from tests.directives.certificates import PASSPHRASE

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture
def live(settings, tmp_path):
    """The running portal's VAR_DIR, with its SECRET_KEY kept in var/secret_key as `make run` does."""
    var = tmp_path / "live"
    var.mkdir()
    (var / "secret_key").write_text(settings.SECRET_KEY)
    settings.VAR_DIR = var
    settings.MEDIA_ROOT = var / "media"
    return var


@pytest.fixture
def issued_documents(live, make_approved, clerk, administrator, agency, authority, django_capture_on_commit_callbacks):
    """Two issued documents with signed official PDFs (the certificate encrypted under SECRET_KEY)."""
    official_pdf.signing_certificate_upload(
        agency=agency, by=administrator, data=authority["pkcs12"], passphrase=PASSPHRASE.decode()
    )
    documents = []
    for subject in ("Kế hoạch kiểm tra an toàn bức xạ năm 2027", "Thông báo lịch tiếp công dân quý I"):
        document = make_approved(subject=subject)
        with django_capture_on_commit_callbacks(execute=True):
            services.document_issue(document=document, by=clerk)
        documents.append(document)
    assert IssuedPdf.objects.filter(state=IssuedPdf.State.READY, signed=True).count() == 2
    return documents


def live_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return table_counts(cursor, connection.introspection.table_names(cursor), connection.ops.quote_name)


def live_pdfs() -> dict[str, str]:
    return dict(IssuedPdf.objects.filter(state=IssuedPdf.State.READY).values_list("file", "sha256"))


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def fresh_environment(var: Path, database_url: str | None) -> dict:
    """A new host: its own VAR_DIR (a random key is generated there on start), no SECRET_KEY set."""
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "VAR_DIR"}}
    env["VAR_DIR"] = str(var)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def read_restored(cursor, tables_query: str, media: Path) -> tuple[dict[str, int], dict[str, str]]:
    """Every table's row count and each ready PDF's recorded SHA-256 (checked against its restored
    bytes), read with a plain DB-API cursor on the restored database."""
    cursor.execute(tables_query)
    counts = table_counts(cursor, [row[0] for row in cursor.fetchall()], connection.ops.quote_name)
    cursor.execute("SELECT file, sha256 FROM directives_issuedpdf WHERE state = 'ready'")
    rows = cursor.fetchall()
    for name, recorded in rows:
        assert hashlib.sha256((media / name).read_bytes()).hexdigest() == recorded, name
    return counts, dict(rows)


def assert_equal_to_live(counts: dict, pdfs: dict, backup: Path) -> None:
    assert len(counts) > 40 and counts == live_counts() == json.loads((backup / "manifest.json").read_text())["tables"]
    assert pdfs == live_pdfs() and len(pdfs) == 2


def check_restore(env: dict, backup: Path, var: Path) -> None:
    assert backup.stat().st_mode & 0o077 == 0  # the folder holds the database and the key: its owner's only
    restored = manage(env, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "khớp bản sao lưu" in restored.stdout
    # The key the certificate was encrypted with is back in the new host's var/.
    manifest = json.loads((backup / "manifest.json").read_text())
    assert key_fingerprint((var / "secret_key").read_text().strip()) == manifest["secret_key"]["fingerprint"]
    again = manage(env, "restore", str(backup))
    assert again.returncode != 0 and "chỉ khôi phục đè khi có --force" in again.stderr


@pytest.mark.postgres
def test_a_backup_restored_into_a_fresh_postgresql_database_has_every_row_and_pdf(issued_documents, tmp_path, settings):
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    assert (backup / "database.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert (backup / "keys" / "secret_key").read_text() == settings.SECRET_KEY

    db = connection.settings_dict
    fresh = f"{db['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    url = f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{fresh}"
    var = tmp_path / "restored"
    try:
        check_restore(fresh_environment(var, url), backup, var)
        other = psycopg2.connect(
            dbname=fresh, user=db["USER"], password=db.get("PASSWORD"), host=db["HOST"], port=db["PORT"]
        )
        try:
            with other.cursor() as cursor:
                tables = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                counts, pdfs = read_restored(cursor, tables, var / "media")
        finally:
            other.close()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')

    assert_equal_to_live(counts, pdfs, backup)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_fresh_sqlite_file_has_every_row_and_pdf(issued_documents, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant; the PostgreSQL one runs on PostgreSQL")
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    var = tmp_path / "restored"
    check_restore(fresh_environment(var, None), backup, var)
    copy = sqlite3.connect(var / "db.sqlite3")
    try:
        tables = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        counts, pdfs = read_restored(copy.cursor(), tables, var / "media")
    finally:
        copy.close()
    assert_equal_to_live(counts, pdfs, backup)


def test_backup_refuses_a_folder_that_is_not_empty(live, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "notes.txt").write_text("x")
    with pytest.raises(CommandError, match="không trống"):
        call_command("backup", str(tmp_path / "old"))


def test_restore_refuses_a_folder_without_a_manifest(live, tmp_path):
    with pytest.raises(CommandError, match="không có manifest.json"):
        call_command("restore", str(tmp_path))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_whose_key_it_cannot_supply(live, tmp_path, settings):
    """A backup made with SECRET_KEY from the environment holds no key: another key is refused."""
    (live / "secret_key").unlink()
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    assert json.loads((backup / "manifest.json").read_text())["secret_key"]["source"] == "environment"
    settings.SECRET_KEY = "another-key-" + "x" * 40
    with pytest.raises(CommandError, match="SECRET_KEY đang dùng khác khóa của bản sao lưu"):
        call_command("restore", str(backup), "--force")
