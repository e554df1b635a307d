"""``manage.py backup`` and ``manage.py restore``: the database and MEDIA_ROOT in one archive.

SQLite: the test database is backed up through its own connection and restored into a
file of its own. PostgreSQL: the demo county is backed up with pg_dump and restored with
pg_restore into a database made for the test (``samverkan_ops_…`` beside the test
database), then dropped. In both, every table's rows and every file must come back equal.
"""

import errno
import io
import json
import os
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from samverkan.accounts.models import User
from samverkan.operations import backup
from samverkan.operations.models import JobStatus

# Committed rows: pg_dump reads them from a connection of its own.
pytestmark = pytest.mark.django_db(transaction=True)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump and pg_restore are PostgreSQL's"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's backup API")

SCAN = b"%PDF-1.4 inskannad samtyckesblankett \x00\xff"


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    (root / "consent_forms" / "2026").mkdir(parents=True)
    (root / "consent_forms" / "2026" / "blankett.pdf").write_bytes(SCAN)
    (root / "library" / "rutin med mellanslag.docx").parent.mkdir()
    (root / "library" / "rutin med mellanslag.docx").write_bytes(os.urandom(70_000))
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def rows(staff, school):
    """Something in several tables, and a periodic job's row."""
    JobStatus.objects.create(job="send_reminders", failures=2, last_error="SMTP: å ä ö")


def table_rows(conn) -> dict[str, list]:
    """Every row of every table, in an order that does not depend on the database's."""

    def plain(value):
        return bytes(value) if isinstance(value, memoryview) else value

    found = {}
    with conn.cursor() as cursor:
        for table in conn.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {conn.ops.quote_name(table)}")  # noqa: S608
            found[table] = sorted((tuple(plain(v) for v in row) for row in cursor), key=repr)
    return found


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def sqlite_target(tmp_path) -> dict:
    return {**connection.settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}


def make_backup(tmp_path) -> Path:
    out = tmp_path / "backups"
    out.mkdir(exist_ok=True)
    call_command("backup", str(out), stdout=io.StringIO())
    (archive,) = out.iterdir()
    return archive


# --- SQLite -----------------------------------------------------------------------------------
@on_sqlite
def test_a_backup_restores_to_an_identical_database_and_media(rows, media, tmp_path):
    out = io.StringIO()
    call_command("backup", str(tmp_path), stdout=out)
    (archive,) = tmp_path.glob("samverkan-backup-*.tar")
    assert "Backup klar" in out.getvalue()
    assert archive.stat().st_mode & 0o077 == 0  # the owner's alone
    manifest = backup.read_manifest(archive)
    assert manifest["row_counts"]["accounts_user"] == 1
    assert "operations.0001_initial" in manifest["migrations"]
    assert manifest["versions"]["django"] and manifest["vendor"] == "sqlite"

    target, restored_media = sqlite_target(tmp_path), tmp_path / "restored-media"
    done = backup.restore_backup(archive, target, restored_media)
    assert done.count_differences == {} and done.media_files == 2
    copy = backup.open_database(target)
    try:
        assert table_rows(copy) == table_rows(connection)
    finally:
        copy.close()
    assert files(restored_media) == files(media)


def test_a_restore_into_a_database_with_rows_is_refused_and_changes_nothing(rows, media, tmp_path):
    archive = make_backup(tmp_path)
    User.objects.create_user(email="ny@example.org", password="x" * 12)
    (media / "ny.pdf").write_bytes(b"ny")
    before, before_files = table_rows(connection), files(media)
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive))
    message = str(refused.value)
    assert "inget ändrades" in message and "--force" in message
    assert "accounts_user (2)" in message and "MEDIA_ROOT" in message
    assert table_rows(connection) == before and files(media) == before_files


def test_not_enough_space_is_refused_before_anything_is_written(rows, media, tmp_path, monkeypatch):
    out = tmp_path / "backups"
    out.mkdir()
    monkeypatch.setattr(
        backup.shutil, "disk_usage", lambda path: type("Usage", (), {"free": 1000})()
    )
    with pytest.raises(CommandError, match="Inte tillräckligt med utrymme"):
        call_command("backup", str(out))
    assert list(out.iterdir()) == []


def test_a_disk_that_fills_while_writing_leaves_no_partial_archive(
    rows, media, tmp_path, monkeypatch
):
    out = tmp_path / "backups"
    out.mkdir()
    real_add = backup._add

    def disk_full_at_the_second_file(archive, source, name, manifest):
        if manifest["files"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_add(archive, source, name, manifest)

    monkeypatch.setattr(backup, "_add", disk_full_at_the_second_file)
    with pytest.raises(CommandError, match="blev full"):
        call_command("backup", str(out))
    assert list(out.iterdir()) == []  # neither the archive, its .partial nor the dump


def test_an_existing_archive_is_not_overwritten(rows, media, tmp_path):
    archive = make_backup(tmp_path)
    content = archive.read_bytes()
    with pytest.raises(CommandError, match="finns redan"):
        call_command("backup", str(archive))
    assert archive.read_bytes() == content


# --- damaged or edited archives ---------------------------------------------------------------
def rewrite(archive: Path, change) -> None:
    """Write the archive again with ``change(name, data) -> (name, data) | None`` applied."""
    with tarfile.open(archive) as old:
        members = [(m.name, old.extractfile(m).read()) for m in old.getmembers()]
    with tarfile.open(archive, "w") as new:
        for name, data in members:
            changed = change(name, data)
            if changed is None:
                continue
            info = tarfile.TarInfo(changed[0])
            info.size = len(changed[1])
            new.addfile(info, io.BytesIO(changed[1]))


def edit_manifest_counts(name, data):
    if name != "manifest.json":
        return name, data
    manifest = json.loads(data)
    manifest["row_counts"]["accounts_user"] = 5
    return name, json.dumps(manifest).encode()


TAMPERING = {
    "a scan edited": (
        lambda n, d: (n, d.replace(b"samtyckes", b"SAMTYCKES")) if n.endswith(".pdf") else (n, d),
        "kontrollsumman för media/consent_forms/2026/blankett.pdf",
    ),
    "a file removed": (
        lambda n, d: None if n.endswith(".pdf") else (n, d),
        "saknar media/consent_forms/2026/blankett.pdf",
    ),
    "a file added": (
        lambda n, d: ("media/extra.pdf", d) if n.endswith(".pdf") else (n, d),
        "media/extra.pdf finns inte i manifestet",
    ),
    "a path out of MEDIA_ROOT": (
        lambda n, d: ("media/../../evil.py", d) if n.endswith(".pdf") else (n, d),
        "oväntad post",
    ),
    "the manifest edited": (edit_manifest_counts, "manifestets kontrollsumma"),
}


@pytest.mark.parametrize("how", TAMPERING)
def test_a_tampered_archive_is_refused(how, rows, media, tmp_path):
    archive = make_backup(tmp_path)
    change, reason = TAMPERING[how]
    rewrite(archive, change)
    restored_media = tmp_path / "restored-media"
    with pytest.raises(backup.BackupError, match="Arkivet är skadat") as refused:
        backup.restore_backup(archive, sqlite_target(tmp_path), restored_media)
    assert reason in str(refused.value)
    assert not restored_media.exists() and not (tmp_path / "restored.sqlite3").exists()


def test_a_truncated_archive_is_refused(rows, media, tmp_path):
    archive = make_backup(tmp_path)
    with open(archive, "r+b") as file:
        file.truncate(archive.stat().st_size // 2)
    with pytest.raises(CommandError, match="Arkivet är skadat"):
        call_command("restore", str(archive))


# --- PostgreSQL -------------------------------------------------------------------------------
@pytest.fixture
def scratch_database():
    """A database beside the test database, dropped afterwards."""
    base = connection.settings_dict["NAME"].removeprefix("test_")
    name = f"{base}_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**connection.settings_dict, "NAME": name}
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@on_postgresql
def test_postgresql_backup_restores_the_demo_county_identically(
    media, demo, tmp_path, scratch_database
):
    archive = make_backup(tmp_path)
    assert backup.read_manifest(archive)["versions"]["dump"].startswith("pg_dump")
    restored_media = tmp_path / "restored-media"
    done = backup.restore_backup(archive, scratch_database, restored_media)
    assert done.count_differences == {} and done.media_files == 2
    copy = backup.open_database(scratch_database)
    try:
        assert table_rows(copy) == table_rows(connection)
        with copy.cursor() as cursor:  # the append-only guard came along
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal")
            assert cursor.fetchone()[0] > 0
    finally:
        copy.close()
    assert files(restored_media) == files(media)

    # Into a database with rows: refused, unless --force, which replaces it (a table that a
    # later release made, unknown to the backup, goes too).
    with pytest.raises(backup.BackupError, match="databasen har rader"):
        backup.restore_backup(archive, scratch_database, tmp_path / "empty")
    copy = backup.open_database(scratch_database)
    try:
        with copy.cursor() as cursor:
            cursor.execute("CREATE TABLE later_release (id int)")
            cursor.execute("DELETE FROM operations_jobstatus")
    finally:
        copy.close()
    done = backup.restore_backup(archive, scratch_database, tmp_path / "empty", force=True)
    assert done.count_differences == {}
    copy = backup.open_database(scratch_database)
    try:
        assert table_rows(copy) == table_rows(connection)
    finally:
        copy.close()


@on_postgresql
def test_postgresql_restore_command_refuses_the_running_database(rows, media, tmp_path):
    archive = make_backup(tmp_path)
    with pytest.raises(CommandError, match="databasen har rader i .*accounts_user"):
        call_command("restore", str(archive))
    assert User.objects.count() == 1
