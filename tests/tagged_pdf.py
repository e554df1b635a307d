"""A PDF as a screen reader meets it: tagged or not, its language, its title, its structure
tree and the text that tree reads out. The tests that make a PDF through the real code path
hand it to ``assert_accessible`` (EN 301 549 clause 10; the PDFs are PDF/UA-1)."""

import io
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

HEADINGS = {f"H{level}": level for level in range(1, 7)}


@dataclass
class TaggedPdf:
    marked: bool
    lang: str
    title: str
    display_title: bool
    structure: list[DictionaryObject]  # every structure element, depth first
    text: str  # as a text extractor reads the pages
    reading: str  # as the structure tree reads it: a figure by its alternative text

    def kinds(self) -> list[str]:
        return [str(element["/S"])[1:] for element in self.structure]

    def of_kind(self, kind: str) -> list[DictionaryObject]:
        return [element for element in self.structure if element["/S"] == f"/{kind}"]


def _marked_texts(reader: PdfReader) -> dict[tuple[int, int], str]:
    """Each marked-content sequence's text, by (page number, MCID)."""
    texts: dict[tuple[int, int], str] = {}
    for number, page in enumerate(reader.pages):
        current: list = [None]

        def before(operator, operands, *_, current=current):
            if operator == b"BDC" and isinstance(operands[1], DictionaryObject):
                current[0] = operands[1].get("/MCID")
            elif operator in (b"BMC", b"EMC"):
                current[0] = None

        def text(chunk, *_, current=current, number=number):
            if current[0] is not None:
                key = (number, int(current[0]))
                texts[key] = texts.get(key, "") + chunk

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return texts


def read(content: bytes) -> TaggedPdf:
    reader = PdfReader(io.BytesIO(content))
    catalog = reader.trailer["/Root"]
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    marked = _marked_texts(reader)
    structure: list[DictionaryObject] = []
    reading: list[str] = []

    def walk(kids, page):
        kids = kids.get_object()
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            kid = kid.get_object()
            if isinstance(kid, int):
                reading.append(marked.get((page, kid), ""))
            elif isinstance(kid, DictionaryObject) and "/S" in kid:
                structure.append(kid)
                kid_page = pages.get(kid.raw_get("/Pg").idnum, page) if "/Pg" in kid else page
                saved = len(reading)
                walk(kid.get("/K", ArrayObject()), kid_page)
                if "/Alt" in kid:  # read out instead of what it holds
                    reading[saved:] = [f" {kid['/Alt']} "]

    if "/StructTreeRoot" in catalog:
        walk(catalog["/StructTreeRoot"].get("/K", ArrayObject()), 0)
    preferences = catalog.get("/ViewerPreferences", DictionaryObject()).get_object()
    return TaggedPdf(
        marked=bool(catalog.get("/MarkInfo", DictionaryObject()).get("/Marked")),
        lang=str(catalog.get("/Lang", "")),
        title=str((reader.metadata or {}).get("/Title", "")),
        display_title=bool(preferences.get("/DisplayDocTitle")),
        structure=structure,
        text="\n".join(page.extract_text() for page in reader.pages),
        reading="".join(reading),
    )


def _in_order(texts: list[str], haystack: str) -> None:
    position = 0
    for text in texts:
        found = haystack.find(text, position)
        assert found >= 0, f"{text!r} not found after position {position} in:\n{haystack}"
        position = found + len(text)


def assert_accessible(content: bytes, *, title: str, reading_order: list[str], lang: str = "sv"):
    """Tagged, in ``lang``, titled ``title`` (shown instead of the file name), one H1 first
    and no heading level skipped, paragraphs and tables with header cells, every data cell
    tied to its headers, every figure with alternative text, and ``reading_order``'s texts
    met in that order both on the pages and in the structure tree. Returns the PDF."""
    pdf = read(content)
    assert pdf.marked, "not a tagged PDF: no /MarkInfo /Marked true"
    assert pdf.kinds()[:1] == ["Document"], "no structure tree"
    assert pdf.lang == lang
    assert pdf.title == title and title.strip()
    assert pdf.display_title, "viewers would show the file name, not the title"

    headings = [HEADINGS[kind] for kind in pdf.kinds() if kind in HEADINGS]
    assert headings[:1] == [1] and headings.count(1) == 1, headings
    assert all(b <= a + 1 for a, b in zip(headings, headings[1:], strict=False)), headings
    assert {"P", "Table", "TH", "TD"} <= set(pdf.kinds()), set(pdf.kinds())
    for cell in pdf.of_kind("TD"):
        assert cell["/A"].get("/Headers"), "a table cell without its header cells"
    for figure in pdf.of_kind("Figure"):
        assert str(figure.get("/Alt", "")).strip(), "a figure without alternative text"

    _in_order(reading_order, pdf.text)
    _in_order(reading_order, pdf.reading)
    return pdf
