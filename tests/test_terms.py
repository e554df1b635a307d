import datetime

import pytest

from samverkan.organisations.terms import Term


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 1, 1), Term(2026, "vt")),
        (datetime.date(2026, 6, 30), Term(2026, "vt")),
        (datetime.date(2026, 7, 15), None),
        (datetime.date(2026, 8, 1), Term(2026, "ht")),
        (datetime.date(2026, 12, 31), Term(2026, "ht")),
    ],
)
def test_containing(day, expected):
    assert Term.containing(day) == expected


def test_bounds_and_neighbours():
    ht = Term(2025, "ht")
    assert (ht.start, ht.end) == (datetime.date(2025, 8, 1), datetime.date(2025, 12, 31))
    assert ht.next() == Term(2026, "vt")
    assert ht.next().previous() == ht
    assert Term(2026, "vt").previous() == Term(2025, "ht")
    assert datetime.date(2025, 9, 1) in ht
    assert datetime.date(2026, 1, 1) not in ht


def test_july_counts_as_the_spring_just_ended():
    assert Term.current_or_last(datetime.date(2026, 7, 10)) == Term(2026, "vt")


def test_order_str_and_parse():
    assert sorted([Term(2026, "ht"), Term(2026, "vt"), Term(2025, "ht")]) == [
        Term(2025, "ht"),
        Term(2026, "vt"),
        Term(2026, "ht"),
    ]
    assert str(Term(2026, "vt")) == "vt 2026"
    assert Term.parse("HT2025") == Term(2025, "ht")
    assert Term.parse("vt-2024") == Term(2024, "vt")
    assert Term.of_year(2026) == (Term(2026, "vt"), Term(2026, "ht"))
    with pytest.raises(ValueError):
        Term.parse("sommar 2026")
    with pytest.raises(ValueError):
        Term(2026, "st")
