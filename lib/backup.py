"""Back up and restore the whole portal: the database, the media files and the key that must be kept.

A backup is a folder::

    manifest.json      versions, applied migrations, row counts per table, SHA-256 of every media file
    database.dump      ``pg_dump -Fc`` (PostgreSQL)   or   database.sqlite3 (SQLite's online backup)
    media/             a copy of MEDIA_ROOT (attachments, issued PDFs, report files)
    keys/secret_key    SECRET_KEY when it lives in VAR_DIR/secret_key (not when the environment sets it)

SECRET_KEY belongs in every backup: the agencies' signing certificates are stored encrypted with a
key derived from it, so a database restored under another SECRET_KEY cannot sign. The manifest keeps
a fingerprint of the key (an HMAC, never the key) so a restore can tell whether the key matches.

Consistency: on PostgreSQL the row counts are read in the very snapshot ``pg_dump`` dumps
(``pg_export_snapshot`` + ``pg_dump --snapshot``); on SQLite they are counted in the copy. The
database is copied before the media, so every file a row names is already on disk when the media
are copied (a file written meanwhile is an orphan, never a missing file). The manifest is written
last: a folder without one is an unfinished backup and restore refuses it.

This module reads only Django's own registries and settings: it knows no app of the portal.
"""

import hashlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess  # nosec B404  # runs pg_dump/pg_restore from PATH with an argument list, never a shell
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
KEY_FILE = Path("keys") / "secret_key"


class BackupError(Exception):
    """A backup or restore that was refused or failed; the message says why, in Vietnamese."""


@dataclass
class Restored:
    manifest: dict
    problems: list[str] = field(default_factory=list)


def key_fingerprint(secret: str) -> str:
    """A fingerprint of ``secret`` that tells keys apart without revealing them."""
    return salted_hmac("lib.backup.key_fingerprint", "portal", secret=secret, algorithm="sha256").hexdigest()[:32]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_digests(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root``, by path relative to it (``/`` separators)."""
    if not root.exists():
        return {}
    return {path.relative_to(root).as_posix(): file_sha256(path) for path in sorted(root.rglob("*")) if path.is_file()}


def table_counts(cursor, tables: list[str], quote) -> dict[str, int]:
    """Rows of each table, counted with ``cursor`` (inside whatever snapshot it reads)."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # nosec B608  # table names from the introspection, quoted
        counts[table] = cursor.fetchone()[0]
    return counts


def _secret_key_file() -> Path:
    return Path(settings.VAR_DIR) / "secret_key"


def _key_from_file() -> bool:
    """Whether the running SECRET_KEY is the one kept in VAR_DIR/secret_key (none set in the environment)."""
    path = _secret_key_file()
    return path.exists() and path.read_text().strip() == settings.SECRET_KEY


def _pg_environment(db: dict) -> tuple[list[str], dict]:
    """Connection arguments and environment for pg_dump / pg_restore from a Django database setting."""
    args = []
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    if sslmode := db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    return args, env


def _run(command: list[str], env: dict) -> str:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # nosec B603  # argument list built here from settings, no shell
    except FileNotFoundError as error:
        raise BackupError(
            _("Không tìm thấy lệnh %(command)s: hãy cài gói postgresql-client.") % {"command": command[0]}
        ) from error
    if done.returncode != 0:
        raise BackupError(
            _("Lệnh %(command)s thất bại: %(error)s") % {"command": command[0], "error": done.stderr.strip()[-2000:]}
        )
    return done.stdout


def _migrations(cursor) -> list[str]:
    cursor.execute("SELECT app, name FROM django_migrations")
    return sorted(f"{app}.{name}" for app, name in cursor.fetchall())


def _backup_postgresql(connection, target: Path) -> tuple[dict, list[str], dict]:
    """Dump with pg_dump -Fc while holding the snapshot the counts are read in."""
    db = connection.settings_dict
    args, env = _pg_environment(db)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # The first statement of the transaction; READ ONLY so the export cannot write.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = table_counts(cursor, connection.introspection.table_names(cursor), connection.ops.quote_name)
        migrations = _migrations(cursor)
        _run(
            ["pg_dump", *args, "--format=custom", f"--snapshot={snapshot}", f"--file={target / PG_DUMP}", db["NAME"]],
            env,
        )
    versions = {
        "database": f"PostgreSQL {connection.pg_version}",
        "pg_dump": _run(["pg_dump", "--version"], env).strip(),
    }
    return counts, migrations, versions


def _sqlite_tables(cursor) -> list[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [row[0] for row in cursor.fetchall()]


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _backup_sqlite(connection, target: Path) -> tuple[dict, list[str], dict]:
    """Copy with SQLite's online backup API (consistent while others write), then count in the copy."""
    connection.ensure_connection()
    copy = sqlite3.connect(target / SQLITE_COPY)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        counts = table_counts(cursor, _sqlite_tables(cursor), _sqlite_quote)
        migrations = _migrations(cursor)
    finally:
        copy.close()
    return counts, migrations, {"database": f"SQLite {sqlite3.sqlite_version}"}


def backup_create(*, target: Path, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Write a complete backup into ``target`` (absent or empty) and return its manifest.

    The database first, then the media, then the key, then the manifest: a folder with a
    manifest is complete. Raises BackupError, leaving no manifest, when any step fails.
    """
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(_("Thư mục %(dir)s không trống; hãy chọn một thư mục mới.") % {"dir": target})
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    target.chmod(0o700)  # it holds the whole database and SECRET_KEY
    connection = connections[using]
    if connection.vendor == "postgresql":
        counts, migrations, versions = _backup_postgresql(connection, target)
    elif connection.vendor == "sqlite":
        counts, migrations, versions = _backup_sqlite(connection, target)
    else:
        raise BackupError(_("Không hỗ trợ sao lưu cơ sở dữ liệu %(vendor)s.") % {"vendor": connection.vendor})

    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.copytree(media, target / "media", symlinks=False)
    else:
        (target / "media").mkdir()
    key_kept = _key_from_file()
    if key_kept:
        (target / KEY_FILE).parent.mkdir(mode=0o700)
        shutil.copy2(_secret_key_file(), target / KEY_FILE)
        (target / KEY_FILE).chmod(0o600)

    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "versions": {"python": platform.python_version(), "django": django.get_version(), **versions},
        "migrations": migrations,
        "tables": counts,
        "media": media_digests(target / "media"),
        "secret_key": {
            "source": "file" if key_kept else "environment",
            "fingerprint": key_fingerprint(settings.SECRET_KEY),
        },
    }
    partial = target / f"{MANIFEST}.partial"
    partial.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True))
    partial.rename(target / MANIFEST)
    return manifest


def manifest_read(source: Path) -> dict:
    path = Path(source) / MANIFEST
    if not path.exists():
        raise BackupError(
            _("%(dir)s không có manifest.json: không phải bản sao lưu, hoặc bản sao lưu chưa hoàn tất.")
            % {"dir": source}
        )
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("Bản sao lưu có định dạng %(format)s, không đọc được.") % {"format": manifest.get("format")}
        )
    return manifest


def _unknown_migrations(recorded: list[str]) -> list[str]:
    known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    return [name for name in recorded if name not in known]


def _database_is_empty(connection) -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def _restore_postgresql(connection, source: Path, *, force: bool) -> None:
    db = connection.settings_dict
    args, env = _pg_environment(db)
    command = ["pg_restore", *args, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if force:
        command += ["--clean", "--if-exists"]
    connection.close()
    _run([*command, f"--dbname={db['NAME']}", str(source / PG_DUMP)], env)


def _restore_sqlite(connection, source: Path) -> None:
    connection.close()
    copy = sqlite3.connect(source / SQLITE_COPY)
    live = sqlite3.connect(connection.settings_dict["NAME"])
    try:
        copy.backup(live)  # replaces every page of the live file, in one step for its readers
    finally:
        live.close()
        copy.close()


def restored_problems(manifest: dict, *, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """What the configured database and MEDIA_ROOT lack or hold differently from ``manifest``."""
    connection = connections[using]
    problems = []
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = table_counts(cursor, [t for t in tables if t in manifest["tables"]], connection.ops.quote_name)
    for table, expected in manifest["tables"].items():
        found = counts.get(table)
        if found != expected:
            problems.append(
                _("Bảng %(table)s: %(found)s dòng, bản sao lưu có %(expected)s.")
                % {"table": table, "found": "không có" if found is None else found, "expected": expected}
            )
    digests = media_digests(Path(settings.MEDIA_ROOT))
    for name, expected in manifest["media"].items():
        if digests.get(name) != expected:
            problems.append(_("Tệp %(name)s thiếu hoặc khác mã băm SHA-256.") % {"name": name})
    return problems


def backup_restore(*, source: Path, force: bool = False, using: str = DEFAULT_DB_ALIAS) -> Restored:
    """Restore the backup in ``source`` into the configured database and MEDIA_ROOT, then verify it.

    Refuses, changing nothing, when the database has tables or MEDIA_ROOT has files (unless
    ``force``: then the backup's objects replace the database's and MEDIA_ROOT is emptied first),
    when the backup is from another database engine or from a newer version of the code, or when
    the running SECRET_KEY differs from the backup's and the backup cannot supply it (it came from
    the environment, or the environment sets another). Writes the backup's SECRET_KEY to
    VAR_DIR/secret_key when it came from there: processes started before must be restarted. The
    answer lists every row count and file hash that differs from the manifest (none after a good
    restore).
    """
    source = Path(source)
    manifest = manifest_read(source)
    connection = connections[using]
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            _("Bản sao lưu là của %(backup)s, cơ sở dữ liệu đang cấu hình là %(current)s.")
            % {"backup": manifest["vendor"], "current": connection.vendor}
        )
    if unknown := _unknown_migrations(manifest["migrations"]):
        raise BackupError(
            _("Bản sao lưu từ phiên bản mới hơn mã nguồn này (thiếu migration %(names)s): hãy cập nhật mã nguồn trước.")
            % {"names": ", ".join(unknown[:5])}
        )
    kept_key = source / KEY_FILE
    restore_key = kept_key.exists() and _key_from_file()
    if key_fingerprint(settings.SECRET_KEY) != manifest["secret_key"]["fingerprint"] and not restore_key:
        raise BackupError(
            _(
                "SECRET_KEY đang dùng khác khóa của bản sao lưu, nên chứng thư số ký văn bản sẽ không dùng được. "
                "Hãy đặt biến môi trường SECRET_KEY bằng khóa cũ (hoặc bỏ biến này nếu bản sao lưu có keys/secret_key)."
            )
        )
    media = Path(settings.MEDIA_ROOT)
    occupied = not _database_is_empty(connection) or (media.exists() and any(media.iterdir()))
    if occupied and not force:
        raise BackupError(
            _("Cơ sở dữ liệu hoặc thư mục tệp (MEDIA_ROOT) đang có dữ liệu; chỉ khôi phục đè khi có --force.")
        )

    if connection.vendor == "postgresql":
        _restore_postgresql(connection, source, force=force)
    else:
        _restore_sqlite(connection, source)
    if media.exists():
        shutil.rmtree(media)
    shutil.copytree(source / "media", media)
    if restore_key:
        _secret_key_file().write_text(kept_key.read_text())
        _secret_key_file().chmod(0o600)

    restored = Restored(manifest=manifest, problems=restored_problems(manifest, using=using))
    if restore_key and key_fingerprint(_secret_key_file().read_text().strip()) != manifest["secret_key"]["fingerprint"]:
        restored.problems.append(_("Khóa SECRET_KEY đã khôi phục không khớp dấu vân tay trong manifest."))
    return restored
