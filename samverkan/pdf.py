"""Every PDF the service makes, made one way: tagged for accessibility (PDF/UA-1).

EN 301 549 (clause 10) asks the same of documents as of pages, so a screen reader must get
the PDF's structure and reading order, not just glyphs on a page. WeasyPrint's ``pdf/ua-1``
variant writes the structure tree from the HTML (headings, paragraphs, lists, tables with
their header cells, figures with the SVG's ``<title>`` as alternative text), marks the
document as tagged, takes ``/Lang`` from ``<html lang>`` and ``/Title`` from ``<title>``,
and asks viewers to show that title instead of the file name. So a PDF's template must have
``<html lang="…">``, a ``<title>`` that says what the document is, headings in order and
``<th scope>`` on its tables; the rest follows from here.
"""


def render_pdf(html: str, base_url: str | None = None) -> bytes:
    """The PDF of ``html``. ``base_url``: where relative links point (``None`` when the
    markup loads nothing: inline CSS, inline SVG, the system's fonts)."""
    from weasyprint import HTML  # imported here: it loads native libraries

    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")
