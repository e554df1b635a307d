"""``migrate``, one release at a time.

On PostgreSQL the command first takes a session-level advisory lock. A second release
started while the first migrates waits for it (``--lock-wait`` seconds, default 300), then
finds the migrations applied and has nothing to do; if the wait runs out it is told that
another release is migrating and exits non-zero with nothing changed. SQLite (the demo) has
one writer anyway and takes no lock.
"""

import time

from django.core.management.base import CommandError
from django.core.management.commands import migrate
from django.db import connections

# pg_advisory_lock's key: the same for every release of this application, per database.
LOCK_KEY = 0x53414D5645524B  # "SAMVERK"
POLL_SECONDS = 1.0


class Command(migrate.Command):
    help = migrate.Command.help + " On PostgreSQL, one release at a time (an advisory lock)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--lock-wait",
            type=float,
            default=300.0,
            help="Seconds to wait for another release's migrate to finish (default 300).",
        )

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            return super().handle(*args, **options)
        self._lock(connection, options["lock_wait"])
        try:
            return super().handle(*args, **options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])

    def _lock(self, connection, wait: float) -> None:
        deadline = time.monotonic() + wait
        told = False
        while True:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
                if cursor.fetchone()[0]:
                    return
            if time.monotonic() >= deadline:
                raise CommandError(
                    "En annan release migrerar databasen just nu (another release is "
                    f"migrating); väntade {wait:g} s. Inget ändrades. Vänta tills den är klar "
                    "och kör migrate igen."
                )
            if not told:
                self.stderr.write(
                    "En annan release migrerar databasen; väntar på att den blir klar …"
                )
                told = True
            time.sleep(POLL_SECONDS)
