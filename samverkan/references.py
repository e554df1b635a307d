"""Reference numbers people quote: a prefix, the year and a running number ("IF-2026-0007")."""


def next_reference(model, prefix: str, year: int) -> str:
    """The next free number for ``prefix`` and ``year`` in ``model.reference``. A unique
    constraint on the field makes a rare concurrent clash fail loudly rather than repeat."""
    start = f"{prefix}-{year}-"
    last = (
        model.objects.filter(reference__startswith=start)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix(start)) + 1 if last else 1
    return f"{start}{number:04d}"
