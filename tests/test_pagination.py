"""The page numbers a paged list shows (samverkan.pagination.page_numbers and the template):
the first, the last and two on each side of the current page; "…" (None) only where two or
more pages are left out, never a "…" that hides one page or nothing."""

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from samverkan.pagination import GAP, page_numbers, paginate


@pytest.mark.parametrize(
    ("current", "total", "expected"),
    [
        (1, 1, [1]),
        (1, 2, [1, 2]),
        (2, 2, [1, 2]),
        (1, 5, [1, 2, 3, 4, 5]),
        (3, 7, [1, 2, 3, 4, 5, 6, 7]),
        (1, 7, [1, 2, 3, GAP, 7]),
        (5, 7, [1, 2, 3, 4, 5, 6, 7]),  # not "1 … 3": page 2 is shown, not hidden
        (4, 8, [1, 2, 3, 4, 5, 6, 7, 8]),
        (1, 100, [1, 2, 3, GAP, 100]),
        (50, 100, [1, GAP, 48, 49, 50, 51, 52, GAP, 100]),
        (100, 100, [1, GAP, 98, 99, 100]),
        (5, 100, [1, 2, 3, 4, 5, 6, 7, GAP, 100]),
    ],
)
def test_page_numbers(current, total, expected):
    assert page_numbers(current, total) == expected


@given(st.integers(min_value=1, max_value=500), st.data())
def test_every_gap_hides_at_least_two_pages(total, data):
    current = data.draw(st.integers(min_value=1, max_value=total))
    numbers = page_numbers(current, total)
    shown = [n for n in numbers if n is not GAP]
    assert shown == sorted(set(shown)) and shown[0] == 1 and shown[-1] == total
    assert current in shown
    assert numbers[0] is not GAP and numbers[-1] is not GAP
    for before, gap, after in zip(numbers, numbers[1:], numbers[2:], strict=False):
        if gap is GAP:
            assert after - before > 2  # "…" hides two pages or more
    for before, after in zip(numbers, numbers[1:], strict=False):
        if before is not GAP and after is not GAP:
            assert after == before + 1  # no page left out without a "…"


@pytest.mark.parametrize(("asked", "total"), [("1", 3), ("2", 3), ("1", 30), ("15", 30)])
def test_the_links_mark_the_current_page_and_show_no_empty_places(asked, total):
    request = RequestFactory().get("/", {"sida": asked})
    page = paginate(request, list(range(total)), per_page=1)
    html = render_to_string("includes/pagination.html", {"page": page}, request=request)
    current = html.split('aria-current="page"')
    assert len(current) == 2  # exactly one link marked
    assert f"</span>{asked}</a>" in current[1].split("</li>")[0]
    # The design system draws "…" in an empty list item: there is none.
    assert "<li></li>" not in html.replace(" ", "").replace("\n", "")
    assert html.count("…") == sum(1 for n in page.numbers if n is GAP)


def test_paginator_pages_agree_with_the_numbers():
    page = paginate(RequestFactory().get("/", {"sida": "99"}), list(range(40)), per_page=10)
    assert page.number == 4 and page.numbers == [1, 2, 3, 4]
    assert Paginator(list(range(40)), 10).num_pages == 4
