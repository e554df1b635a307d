"""The cadence rule: steering and working groups meet at least once per term (vt Jan–Jun,
ht Aug–Dec). For every group and body, did it meet this term and the term before?"""

import datetime
from collections import defaultdict

from django.utils import timezone

from samverkan.governance.models import Meeting
from samverkan.organisations.models import Body
from samverkan.organisations.terms import Term

PER_TERM_KINDS = [Body.Kind.STEERING, Body.Kind.WORKING]


def terms_met(bodies, terms) -> dict[int, set[Term]]:
    """{body id: the terms among ``terms`` in which it held a meeting}, in one query."""
    first, last = min(terms).start, max(terms).end
    met: dict[int, set[Term]] = defaultdict(set)
    for body_id, held_on in Meeting.objects.filter(
        body__in=bodies, held_on__range=(first, last)
    ).values_list("body_id", "held_on"):
        term = Term.containing(held_on)
        if term in terms:
            met[body_id].add(term)
    return met


def overview(on: datetime.date | None = None):
    """Rows per local group: its per-term bodies and whether each met this and last term."""
    on = on or timezone.localdate()
    current = Term.current_or_last(on)
    previous = current.previous()
    bodies = list(
        Body.objects.filter(kind__in=PER_TERM_KINDS, level=Body.Level.LOCAL)
        .select_related("local_group")
        .order_by("local_group__name", "kind")
    )
    met = terms_met(bodies, {current, previous})
    rows = []
    for body in bodies:
        rows.append(
            {
                "body": body,
                "current": current in met[body.pk],
                "previous": previous in met[body.pk],
            }
        )
    return {"current": current, "previous": previous, "rows": rows}
