"""Swedish alphabetical order: … X, Y, Z, Å, Ä, Ö ("Österåker" after "Rinkeby", "Åre" before
"Ängby"). Neither database sorts so by default: PostgreSQL's default collation puts Ö among
the O's (or Ä before Å), SQLite compares code points (Ä before Å). So lists of names are
ordered by ``Swedish("name")``: PostgreSQL's ICU collation "sv-x-icu" (created by the
organisations migration where the server lacks it), and on SQLite a collation of the same
name order registered on every connection. Lists sorted in Python use ``swedish_key``."""

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import Func

POSTGRESQL_COLLATION = "sv-x-icu"
SQLITE_COLLATION = "swedish"

# After z: å, ä, ö (æ and ø are ä and ö, ü is y, as Swedish dictionaries file them).
_AFTER_Z = {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "ü": "y"}


def swedish_key(text: str) -> tuple[str, str]:
    """A sort key for ``text`` in Swedish order: letters without case and accents (é is e),
    å ä ö after z; the text itself breaks ties, so that the order is total."""
    letters = []
    for char in str(text).casefold():
        if char in _AFTER_Z:
            letters.append(_AFTER_Z[char])
        else:
            letters.append(unicodedata.normalize("NFKD", char)[0])
    return "".join(letters), str(text)


def _compare(a: str, b: str) -> int:
    key_a, key_b = swedish_key(a), swedish_key(b)
    return (key_a > key_b) - (key_a < key_b)


def _register(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _compare)


connection_created.connect(_register, dispatch_uid="samverkan.sorting")


class Swedish(Func):
    """An expression (a text column) in Swedish order, for ``order_by`` and
    ``Meta.ordering``: ``Swedish("name")``, ``Swedish("name").desc()``."""

    template = "%(expressions)s"

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template=f'%(expressions)s COLLATE "{POSTGRESQL_COLLATION}"',
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template=f"%(expressions)s COLLATE {SQLITE_COLLATION}", **extra
        )
