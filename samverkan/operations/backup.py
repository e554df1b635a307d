"""Backup and restore: the database and MEDIA_ROOT in one archive.

The archive is a plain tar (the dump is compressed already, and so are most scans):

- ``database.dump``: PostgreSQL's ``pg_dump -Fc``, or ``database.sqlite3``: SQLite's
  online backup (``sqlite3.Connection.backup()``, never a file copy, which could catch the
  file halfway through a write);
- ``media/…``: every file under MEDIA_ROOT;
- ``manifest.json``, last: versions, the migrations applied, the rows in every table, and
  each member's size and SHA-256, with a checksum over the manifest itself.

On PostgreSQL the counts and ``pg_dump`` read one snapshot (``pg_export_snapshot``), so a
backup taken while people work still restores to exactly the counted rows. The database
is read before the files: a file a row names is in the archive unless it was deleted in
between; files uploaded meanwhile are extra, and harmless.

The checksums find a damaged or edited member (a restore refuses the archive). They are not
a signature: whoever can rewrite the archive can rewrite the manifest too, so keep backups
where the application's servers can add but not change them.
"""

from __future__ import annotations

import datetime
import errno
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath

import django
from django.db import connections, transaction
from django.db.utils import load_backend

FORMAT = 1
MANIFEST = "manifest.json"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
MEDIA = "media"
CHUNK = 1024 * 1024
# PostgreSQL connection settings that libpq also reads from the environment.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class BackupError(Exception):
    """A clear reason, for the command to print (no traceback)."""


# --- small pieces -----------------------------------------------------------------------------
def _canonical(manifest: dict) -> bytes:
    body = {key: value for key, value in manifest.items() if key != "checksum"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False).encode()


def _size(number: float) -> str:
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if number < 1024 or unit == "TB":
            return f"{number:.0f} {unit}" if unit == "B" else f"{number:.1f} {unit}"
        number /= 1024
    return ""


def _vendor(settings_dict: dict) -> str:
    engine = settings_dict["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise BackupError(f"Databasmotorn {engine} stöds inte av backup/restore.")


def _program(name: str, bin_dir: str | None) -> str:
    found = shutil.which(name, path=bin_dir) if bin_dir else shutil.which(name)
    if not found:
        where = bin_dir or "PATH"
        raise BackupError(f"{name} finns inte i {where}: installera PostgreSQL:s klientprogram.")
    return found


def pg_environment(settings_dict: dict) -> dict:
    """libpq's environment for pg_dump and pg_restore: the password goes in PGPASSWORD,
    never on a command line that every user of the machine can read in ps."""
    env = dict(os.environ)
    values = {
        "PGDATABASE": settings_dict.get("NAME"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
    }
    options = settings_dict.get("OPTIONS") or {}
    values.update({env_name: options.get(key) for key, env_name in LIBPQ_OPTIONS.items()})
    env.update({key: str(value) for key, value in values.items() if value not in (None, "")})
    env.pop("PGOPTIONS", None)  # the tools set their own timeouts
    return env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        tool = Path(command[0]).name
        message = (result.stderr or result.stdout).strip()
        raise BackupError(f"{tool} misslyckades (kod {result.returncode}): {message}")


class _Hashing:
    """A file that hashes what is read from it (tarfile reads members through it)."""

    def __init__(self, file):
        self.file, self.sha256, self.size = file, hashlib.sha256(), 0

    def read(self, n=-1):
        data = self.file.read(n)
        self.sha256.update(data)
        self.size += len(data)
        return data


def media_files(media_root: Path):
    """(path, name in the archive) for every regular file under MEDIA_ROOT, sorted."""
    if not media_root.is_dir():
        return []
    found = []
    for directory, dirs, files in os.walk(media_root):
        dirs.sort()
        for name in sorted(files):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                found.append((path, f"{MEDIA}/{path.relative_to(media_root).as_posix()}"))
    return found


# --- the database side ------------------------------------------------------------------------
def open_database(settings_dict: dict):
    """A Django connection of its own to the database ``settings_dict`` describes (the
    restore target may be another database than the one the application uses)."""
    backend = load_backend(settings_dict["ENGINE"])
    return backend.DatabaseWrapper(dict(settings_dict), alias="samverkan-restore")


def row_counts(conn) -> dict[str, int]:
    with conn.cursor() as cursor:
        tables = sorted(conn.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {conn.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(conn) -> list[str]:
    with conn.cursor() as cursor:
        if "django_migrations" not in conn.introspection.table_names(cursor):
            return []
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def _server_version(conn) -> str:
    if conn.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with conn.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def database_size(conn) -> int:
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        return pages * cursor.fetchone()[0]


def _dump_postgresql(conn, path: Path, bin_dir: str | None) -> dict:
    """pg_dump of one snapshot, and the counts and migrations of that same snapshot."""
    pg_dump = _program("pg_dump", bin_dir)
    with transaction.atomic(using=conn.alias):
        with conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        command = [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}"]
        _run([*command, f"--file={path}"], pg_environment(conn.settings_dict))
        facts = {"row_counts": row_counts(conn), "migrations": applied_migrations(conn)}
    version = subprocess.run(  # noqa: S603
        [pg_dump, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {**facts, "dump_tool": version}


def _dump_sqlite(conn, path: Path) -> dict:
    """SQLite's online backup into a file of its own; counted from that file."""
    conn.ensure_connection()
    target = sqlite3.connect(path)
    try:
        conn.connection.backup(target)
    finally:
        target.close()
    copy = open_database({**conn.settings_dict, "NAME": str(path), "OPTIONS": {}})
    try:
        return {
            "row_counts": row_counts(copy),
            "migrations": applied_migrations(copy),
            "dump_tool": f"sqlite3.Connection.backup (SQLite {sqlite3.sqlite_version})",
        }
    finally:
        copy.close()


# --- backup -----------------------------------------------------------------------------------
def backup_path(target: Path, now: datetime.datetime) -> Path:
    """A directory gets a new file named by the time; a file name is used as it is."""
    if target.is_dir():
        return target / f"samverkan-backup-{now:%Y%m%d-%H%M%S}.tar"
    if not target.parent.is_dir():
        raise BackupError(f"Katalogen {target.parent} finns inte.")
    return target


def create_backup(
    target: Path,
    media_root: Path,
    using: str = "default",
    bin_dir: str | None = None,
    now: datetime.datetime | None = None,
) -> tuple[Path, dict]:
    """Write the archive; return its path and its manifest. On any failure nothing is
    left behind: not the archive, not a part of it."""
    conn = connections[using]
    vendor = conn.vendor
    if vendor not in DUMPS:
        raise BackupError(f"Databasmotorn {vendor} stöds inte av backup/restore.")
    now = now or datetime.datetime.now(datetime.UTC)
    path = backup_path(Path(target), now)
    if path.exists():
        raise BackupError(f"{path} finns redan; välj ett annat namn.")
    files = media_files(Path(media_root))
    media_bytes = sum(source.stat().st_size for source, _name in files)
    # The dump is written next to the archive first, then copied into it: room for both.
    needed = 2 * database_size(conn) + media_bytes + CHUNK
    free = shutil.disk_usage(path.parent).free
    if free < needed:
        raise BackupError(
            f"Inte tillräckligt med utrymme i {path.parent}: backupen behöver ungefär "
            f"{_size(needed)}, och där finns {_size(free)} ledigt. Inget skrevs."
        )
    partial = path.with_name(path.name + ".partial")
    try:
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".samverkan-backup-") as work:
            dump = Path(work) / DUMPS[vendor]
            if vendor == "postgresql":
                facts = _dump_postgresql(conn, dump, bin_dir)
            else:
                facts = _dump_sqlite(conn, dump)
            manifest = {
                "format": FORMAT,
                "created": now.isoformat(timespec="seconds"),
                "versions": {
                    "samverkan": _version(),
                    "django": django.get_version(),
                    "python": platform.python_version(),
                    "database": _server_version(conn),
                    "dump": facts["dump_tool"],
                },
                "vendor": vendor,
                "migrations": facts["migrations"],
                "row_counts": facts["row_counts"],
                "files": {},
            }
            # Readable by its owner only: the archive holds every child's data.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with (
                open(descriptor, "wb") as out,
                tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as archive,
            ):
                _add(archive, dump, DUMPS[vendor], manifest)
                for source, name in files:
                    try:
                        _add(archive, source, name, manifest)
                    except FileNotFoundError:
                        continue  # deleted since it was listed: it is not in the dump either
                manifest["checksum"] = hashlib.sha256(_canonical(manifest)).hexdigest()
                data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o600
                archive.addfile(info, _Bytes(data))
            with open(partial, "rb") as written:
                os.fsync(written.fileno())
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise BackupError(
                f"Disken i {path.parent} blev full medan backupen skrevs. Den halvfärdiga "
                "filen är borttagen; frigör utrymme eller välj en annan plats."
            ) from error
        raise BackupError(f"Backupen kunde inte skrivas: {error}. Inget arkiv finns kvar.") from (
            error
        )
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path, manifest


class _Bytes:
    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def read(self, n=-1):
        n = len(self.data) - self.at if n is None or n < 0 else n
        chunk = self.data[self.at : self.at + n]
        self.at += len(chunk)
        return chunk


def _add(archive: tarfile.TarFile, source: Path, name: str, manifest: dict) -> None:
    with open(source, "rb") as file:
        stat = os.fstat(file.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        reader = _Hashing(file)
        archive.addfile(info, reader)
    manifest["files"][name] = {"size": reader.size, "sha256": reader.sha256.hexdigest()}


def _version() -> str:
    try:
        return metadata.version("samverkan")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- reading an archive -----------------------------------------------------------------------
def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and (
            name in (MANIFEST, *DUMPS.values()) or (path.parts[0] == MEDIA and len(path.parts) > 1)
        )
    )


def read_manifest(archive_path: Path) -> dict:
    """The archive's manifest, after checking every member against it. Anything damaged,
    missing, added or edited: BackupError, and nothing has been touched."""
    problem = "Arkivet är skadat eller har ändrats"
    try:
        with tarfile.open(archive_path, "r:") as archive:
            members = archive.getmembers()
            names = [member.name for member in members]
            if MANIFEST not in names:
                raise BackupError(f"{problem}: {MANIFEST} saknas.")
            manifest = json.loads(archive.extractfile(MANIFEST).read())
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise BackupError(f"{problem}: okänt format.")
            if manifest.get("checksum") != hashlib.sha256(_canonical(manifest)).hexdigest():
                raise BackupError(f"{problem}: manifestets kontrollsumma stämmer inte.")
            expected = manifest["files"]
            for member in members:
                if member.name == MANIFEST:
                    continue
                if not member.isfile() or not _safe_name(member.name):
                    raise BackupError(f"{problem}: oväntad post {member.name!r}.")
                if member.name not in expected:
                    raise BackupError(f"{problem}: {member.name} finns inte i manifestet.")
                digest = hashlib.sha256()
                stream = archive.extractfile(member)
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                if digest.hexdigest() != expected[member.name]["sha256"]:
                    raise BackupError(f"{problem}: kontrollsumman för {member.name} stämmer inte.")
            missing = sorted(set(expected) - set(names))
            if missing:
                raise BackupError(f"{problem}: saknar {', '.join(missing[:5])}.")
            if names.count(MANIFEST) != 1 or len(names) != len(set(names)):
                raise BackupError(f"{problem}: en post förekommer två gånger.")
    except FileNotFoundError as error:
        raise BackupError(f"Arkivet {archive_path} finns inte.") from error
    except (tarfile.TarError, OSError, ValueError, KeyError, TypeError, EOFError) as error:
        raise BackupError(f"{problem}: {error}") from error
    if DUMPS.get(manifest.get("vendor")) not in expected:
        raise BackupError(f"{problem}: databasdumpen saknas.")
    return manifest


# --- restore ----------------------------------------------------------------------------------
@dataclass
class Restored:
    """What a restore did, for the command to report."""

    manifest: dict
    media_files: int = 0
    left_in_media: list[str] = field(default_factory=list)
    count_differences: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    missing_migrations: list[str] = field(default_factory=list)  # in the code, not the backup
    unknown_migrations: list[str] = field(default_factory=list)  # in the backup, not the code


def tables_with_rows(settings_dict: dict) -> tuple[list[str], dict[str, int]]:
    conn = open_database(settings_dict)
    try:
        counts = row_counts(conn)
    finally:
        conn.close()
    return sorted(counts), {table: n for table, n in counts.items() if n}


def restore_backup(
    archive_path: Path,
    settings_dict: dict,
    media_root: Path,
    force: bool = False,
    bin_dir: str | None = None,
    code_migrations: set[str] | None = None,
) -> Restored:
    """Restore the archive into the database ``settings_dict`` names and into
    ``media_root``. Refuses, changing nothing, a damaged archive, an archive of another
    database engine, and (without ``force``) a database with rows or a MEDIA_ROOT with
    files."""
    archive_path = Path(archive_path)
    manifest = read_manifest(archive_path)
    vendor = _vendor(settings_dict)
    if manifest["vendor"] != vendor:
        raise BackupError(
            f"Backupen är av en {manifest['vendor']}-databas och kan inte läsas in i "
            f"{vendor}. Inget ändrades."
        )
    tables, with_rows = tables_with_rows(settings_dict)
    media_root = Path(media_root)
    present = media_files(media_root)
    if not force and (with_rows or present):
        reasons = []
        if with_rows:
            listed = ", ".join(f"{table} ({n})" for table, n in sorted(with_rows.items())[:10])
            more = f" och {len(with_rows) - 10} till" if len(with_rows) > 10 else ""
            reasons.append(f"databasen har rader i {len(with_rows)} tabeller: {listed}{more}")
        if present:
            reasons.append(f"MEDIA_ROOT ({media_root}) har {len(present)} filer")
        raise BackupError(
            "Återställningen avbröts, inget ändrades: "
            + "; ".join(reasons)
            + ". Återställ till en ny, tom databas och en tom MEDIA_ROOT, eller ange --force "
            "för att ersätta innehållet."
        )
    with (
        tempfile.TemporaryDirectory(prefix="samverkan-restore-") as work,
        tarfile.open(archive_path, "r:") as archive,
    ):
        dump = Path(work) / DUMPS[vendor]
        with archive.extractfile(DUMPS[vendor]) as source, open(dump, "wb") as target:
            shutil.copyfileobj(source, target, CHUNK)
        if vendor == "postgresql":
            _restore_postgresql(dump, settings_dict, tables, bin_dir)
        else:
            _restore_sqlite(dump, settings_dict)
        restored = Restored(manifest)
        restored.media_files = _restore_media(archive, manifest, media_root)
    in_archive = set(manifest["files"])
    restored.left_in_media = sorted(name for _path, name in present if name not in in_archive)
    conn = open_database(settings_dict)
    try:
        counts = row_counts(conn)
    finally:
        conn.close()
    expected = manifest["row_counts"]
    restored.count_differences = {
        table: (expected.get(table), counts.get(table))
        for table in sorted(set(expected) | set(counts))
        if expected.get(table) != counts.get(table)
    }
    if code_migrations is not None:
        in_backup = set(manifest["migrations"])
        restored.missing_migrations = sorted(code_migrations - in_backup)
        restored.unknown_migrations = sorted(in_backup - code_migrations)
    return restored


def _restore_postgresql(dump: Path, settings_dict, tables, bin_dir) -> None:
    env = pg_environment(settings_dict)
    if not tables:  # an empty database: the dump as it is, in one transaction
        _run(
            [
                _program("pg_restore", bin_dir),
                *("--no-owner", "--single-transaction", "--exit-on-error", "--no-password"),
                f"--dbname={settings_dict['NAME']}",
                str(dump),
            ],
            env,
        )
        return
    # Replacing (--force, or tables without rows): every table there is now is dropped and
    # the dump's objects are dropped and made again, all in one transaction, so that a
    # failed restore changes nothing and the database ends up as the backup was (tables a
    # later release made included). pg_restore --clean alone cannot: it drops constraints
    # one by one, and a partition's inherited key (the access log's months) refuses that.
    quote = connections["default"].ops.quote_name
    with tempfile.TemporaryDirectory() as work:
        drop = Path(work) / "drop.sql"
        drop.write_text(
            "DROP TABLE IF EXISTS " + ", ".join(quote(table) for table in tables) + " CASCADE;\n"
        )
        script = Path(work) / "restore.sql"
        _run(
            [
                _program("pg_restore", bin_dir),
                *("--no-owner", "--clean", "--if-exists", f"--file={script}"),
                str(dump),
            ],
            env,
        )
        _run(
            [
                _program("psql", bin_dir),
                *("--no-psqlrc", "--quiet", "--single-transaction", "--no-password"),
                *("--set=ON_ERROR_STOP=1", f"--dbname={settings_dict['NAME']}"),
                f"--file={drop}",
                f"--file={script}",
            ],
            env,
        )


def _restore_sqlite(dump: Path, settings_dict) -> None:
    """SQLite's backup API again, from the archived copy into the target: it replaces the
    whole database, schema and rows, in one step."""
    source = sqlite3.connect(dump)
    target = sqlite3.connect(settings_dict["NAME"])
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _restore_media(archive: tarfile.TarFile, manifest: dict, media_root: Path) -> int:
    written = 0
    for name, facts in manifest["files"].items():
        if not name.startswith(f"{MEDIA}/"):
            continue
        target = media_root.joinpath(*PurePosixPath(name).parts[1:])
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".restoring")
        digest = hashlib.sha256()
        with archive.extractfile(name) as source, open(partial, "wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != facts["sha256"]:
            partial.unlink()
            raise BackupError(f"Kontrollsumman för {name} stämmer inte efter uppackningen.")
        os.replace(partial, target)
        written += 1
    return written
