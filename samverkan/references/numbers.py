"""Reference numbers people quote: a prefix, the year and a running number ("IF-2026-0007").

Numbers are given from a counter per prefix and year (``Counter``): one UPDATE adds one and
returns the number, holding the counter's row until the giving transaction ends, so two
people sending at once get two numbers on PostgreSQL and on SQLite alike (where a write
transaction holds the whole database), and a rolled-back send gives its number back. A
counter starts from the highest number already used that year, compared as a number: past
9,999 the numbers simply grow a digit ("AV-2026-10000").
"""

from django.db import IntegrityError, transaction
from django.db.models import F, IntegerField, Max
from django.db.models.functions import Cast, Substr

from samverkan.references.models import Counter


def _highest_used(model, start: str) -> int:
    number = Cast(Substr("reference", len(start) + 1), IntegerField())
    highest = (
        model.objects.filter(reference__startswith=start)
        .annotate(number=number)
        .aggregate(highest=Max("number"))["highest"]
    )
    return highest or 0


def next_reference(model, prefix: str, year: int) -> str:
    """The next number for ``prefix`` and ``year``, for a new record of ``model``."""
    start = f"{prefix}-{year}-"
    with transaction.atomic():
        counter = Counter.objects.filter(prefix=prefix, year=year)
        if not counter.update(last=F("last") + 1):
            try:
                with transaction.atomic():
                    Counter.objects.create(
                        prefix=prefix, year=year, last=_highest_used(model, start) + 1
                    )
            except IntegrityError:  # started by another at the same moment: take the next
                counter.update(last=F("last") + 1)
        number = counter.values_list("last", flat=True).get()
    return f"{start}{number:04d}"


def peek_reference(model, prefix: str, year: int) -> str:
    """The number the next record will get if nobody else takes one first, without taking
    it (for a preview, or a test that waits for it)."""
    start = f"{prefix}-{year}-"
    last = Counter.objects.filter(prefix=prefix, year=year).values_list("last", flat=True).first()
    return f"{start}{(last if last is not None else _highest_used(model, start)) + 1:04d}"
