from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from samverkan.operations.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database together with MEDIA_ROOT into one archive (.tar): the dump "
        "(pg_dump -Fc, or SQLite's online backup), the uploaded files and a manifest with "
        "versions, migrations, row counts and checksums. Give a directory (the file is named "
        "by the time) or a file name. Restore with `manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("target", help="A directory, or the archive's file name.")
        parser.add_argument("--database", default="default", help="Database alias.")
        parser.add_argument(
            "--pg-bin", default=None, help="Directory of pg_dump (default: found in PATH)."
        )

    def handle(self, *args, target, database, pg_bin, **options):
        try:
            path, manifest = create_backup(
                Path(target), Path(settings.MEDIA_ROOT), using=database, bin_dir=pg_bin
            )
        except (BackupError, DatabaseError) as error:
            raise CommandError(f"Ingen backup gjordes. {error}") from error
        rows = sum(manifest["row_counts"].values())
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(
            f"Backup klar: {path} ({len(manifest['row_counts'])} tabeller, {rows} rader, "
            f"{media} filer från MEDIA_ROOT)."
        )
