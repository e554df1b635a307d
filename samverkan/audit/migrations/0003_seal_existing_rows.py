"""Seal the rows written before the log was hash-chained into chain 0, in id order.

This vouches for the rows as they are when the migration runs (nothing can do better);
from then on every row is sealed when it is written.
"""

from django.db import migrations

BATCH = 2000


def seal_existing_rows(apps, schema_editor):
    from samverkan.audit.chain import HASHED_FIELDS, Sealer

    AccessLog = apps.get_model("audit", "AccessLog")
    AccessLogChain = apps.get_model("audit", "AccessLogChain")
    db = schema_editor.connection.alias
    unsealed = AccessLog.objects.using(db).filter(chain__isnull=True).order_by("id")
    if not unsealed.exists():
        return
    sealer = Sealer()
    head = AccessLogChain.objects.using(db).filter(chain=0).first() or AccessLogChain(chain=0)
    seq, previous, last_id = head.seq, head.hash, 0
    while True:
        rows = list(unsealed.filter(id__gt=last_id).values_list("id", *HASHED_FIELDS)[:BATCH])
        if not rows:
            break
        sealed = []
        for row_id, *values in rows:
            seq += 1
            values[0], values[1] = 0, seq
            previous = sealer.row(previous, values)
            sealed.append(AccessLog(id=row_id, chain=0, seq=seq, hash=previous))
            last_id = row_id
        AccessLog.objects.using(db).bulk_update(sealed, ["chain", "seq", "hash"])
    head.seq, head.hash = seq, previous
    head.mac = sealer.head(0, seq, previous, head.anchor_seq, head.anchor_hash)
    head.save(using=db)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_hash_chain")]

    operations = [migrations.RunPython(seal_existing_rows, migrations.RunPython.noop)]
