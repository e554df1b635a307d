"""Every PDF is a tagged PDF (PDF/UA-1) with its language and title (EN 301 549 clause 10).

Each kind of PDF is made through its real code path, and checked with
``tests.tagged_pdf.assert_accessible``, in the test that already makes it (one rendering
each, with that flow's data): the county follow-up (test_governance_follow_up), the
deviation compilation (test_deviation_reports), the child's access-log extract
(test_child_extract), the forum protocol in Swedish and English (test_forum) and the
family's copy of the plan (test_sip). Here: that no PDF can be made another way, and that
the check itself tells a tagged PDF from an untagged one."""

import re
from pathlib import Path

import pytest

from samverkan.pdf import render_pdf
from tests.tagged_pdf import assert_accessible, read

ROOT = Path(__file__).resolve().parent.parent / "samverkan"

PAGE = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>Avvikelsesammanställning 2025</title></head><body>
<h1>Avvikelsesammanställning 2025</h1>
<p>Inskickade rapporter under året.</p>
<h2>Kategorier</h2>
<figure><svg role="img" width="120" height="40" xmlns="http://www.w3.org/2000/svg">
<title>Rapporter per kategori</title><rect width="80" height="20" fill="#1e5a8c"/></svg></figure>
<table><thead><tr><th scope="col">Kategori</th><th scope="col">Antal</th></tr></thead>
<tbody><tr><th scope="row">Väntetid</th><td>3</td></tr></tbody></table>
</body></html>"""


def test_no_pdf_is_made_but_through_the_tagging_helper():
    """WeasyPrint is used in one place, so that a new PDF is tagged too."""
    users = {
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*.py")
        if re.search(r"\bweasyprint\b|\.write_pdf\(", path.read_text().replace("WeasyPrint", ""))
    }
    assert users == {"pdf.py"}


@pytest.mark.parametrize("template", sorted(ROOT.glob("templates/**/*_pdf.html")), ids=str)
def test_every_pdf_template_has_a_language_and_a_title(template):
    markup = template.read_text()
    assert re.search(r'<html lang="[^"]+">', markup)
    assert re.search(r"<title>\s*\S[^<]*</title>", markup)


def test_every_table_header_cell_says_what_it_heads():
    """``scope`` ties a header to its column or its row, on pages and in tagged PDFs."""
    unscoped = [
        f"{path.relative_to(ROOT)}: {cell}"
        for path in ROOT.glob("templates/**/*.html")
        for cell in re.findall(r"<th\b[^>]*>", path.read_text())
        if "scope=" not in cell
    ]
    assert unscoped == []


def test_the_helper_tags_the_structure_language_and_title():
    pdf = assert_accessible(
        render_pdf(PAGE.format(lang="en")),
        lang="en",
        title="Avvikelsesammanställning 2025",
        reading_order=["Avvikelsesammanställning 2025", "Kategorier", "Väntetid", "3"],
    )
    assert pdf.kinds()[:2] == ["Document", "H1"]
    assert [str(figure["/Alt"]) for figure in pdf.of_kind("Figure")] == ["Rapporter per kategori"]
    # A screen reader meets the chart by its title, not by the shapes inside it.
    assert "Kategorier Rapporter per kategori" in " ".join(pdf.reading.split())


def test_the_check_refuses_an_untagged_pdf():
    from weasyprint import HTML

    untagged = HTML(string=PAGE.format(lang="sv")).write_pdf()
    pdf = read(untagged)
    assert not pdf.marked and pdf.structure == [] and not pdf.display_title
    with pytest.raises(AssertionError, match="not a tagged PDF"):
        assert_accessible(untagged, title="Avvikelsesammanställning 2025", reading_order=[])


def test_the_check_refuses_a_pdf_read_out_of_order():
    with pytest.raises(AssertionError, match="not found after"):
        assert_accessible(
            render_pdf(PAGE.format(lang="sv")),
            title="Avvikelsesammanställning 2025",
            reading_order=["Väntetid", "Kategorier"],
        )
