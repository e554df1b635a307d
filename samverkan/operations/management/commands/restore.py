from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections
from django.db.migrations.loader import MigrationLoader

from samverkan.operations.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive made by `manage.py backup` into the configured database and "
        "MEDIA_ROOT. The archive's checksums are checked first; a database with rows or a "
        "MEDIA_ROOT with files is refused (nothing is changed) unless --force is given. Then "
        "the row counts are compared with the backup's and reported."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar made by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that has rows and write over files in MEDIA_ROOT.",
        )
        parser.add_argument("--database", default="default", help="Database alias.")
        parser.add_argument(
            "--pg-bin", default=None, help="Directory of pg_restore (default: found in PATH)."
        )

    def handle(self, *args, archive, force, database, pg_bin, **options):
        conn = connections[database]
        settings_dict = dict(conn.settings_dict)
        code = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
        conn.close()  # the restore works through connections of its own
        try:
            done = restore_backup(
                Path(archive),
                settings_dict,
                Path(settings.MEDIA_ROOT),
                force=force,
                bin_dir=pg_bin,
                code_migrations={f"{app}.{name}" for app, name in code},
            )
        except (BackupError, DatabaseError) as error:
            raise CommandError(str(error)) from error
        manifest = done.manifest
        self.stdout.write(
            f"Återställt från {archive} (gjord {manifest['created']}, "
            f"{manifest['versions']['samverkan']}): {len(manifest['row_counts'])} tabeller, "
            f"{done.media_files} filer till MEDIA_ROOT."
        )
        if done.left_in_media:
            self.stdout.write(
                f"{len(done.left_in_media)} filer i MEDIA_ROOT fanns inte i backupen och "
                "lämnades kvar."
            )
        if done.unknown_migrations:
            self.stdout.write(
                "Backupen kommer från en nyare version: migreringarna "
                f"{', '.join(done.unknown_migrations[:5])} finns inte i den här koden."
            )
        if done.missing_migrations:
            self.stdout.write(
                f"{len(done.missing_migrations)} migreringar saknas i backupen: "
                "kör `manage.py migrate`."
            )
        if done.count_differences:
            lines = [
                f"  {table}: backupen {expected}, nu {now}"
                for table, (expected, now) in done.count_differences.items()
            ]
            raise CommandError("Antalet rader stämmer inte med backupen:\n" + "\n".join(lines))
        self.stdout.write(self.style.SUCCESS("Antalet rader stämmer i varje tabell."))
