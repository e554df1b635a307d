"""Markdown to safe HTML for the public pages.

markdown-it-py renders CommonMark (with tables) and refuses raw HTML in the source (it is
shown as text); nh3 then keeps only the tags and attributes listed here, so nothing that
runs or styles (``<script>``, ``onclick=``, ``style=``, ``javascript:`` links) reaches a
page, and the strict Content-Security-Policy has nothing to block. Headings start at ``h2``
(a ``#`` heading becomes ``h2``: the page's title is its only ``h1``), and Designsystemet's
classes are set on what is left.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
# An image would load from anywhere; the CSP refuses that, so images are not offered.
_markdown.disable("image")

TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "strong", "em", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "div",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"scope"}}
CLASSES = {
    "a": "ds-link",
    "p": "ds-paragraph",
    "ul": "ds-list",
    "ol": "ds-list",
    "table": "ds-table",
    "h2": "ds-heading",
    "h3": "ds-heading",
    "h4": "ds-heading",
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _html(source: str) -> str:
    tokens = _markdown.parse(source or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"
        elif token.type == "th_open":
            token.attrSet("scope", "col")
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    # A wide table scrolls inside its own box, not the page (reflow at 320 px).
    return html.replace("<table>", '<div class="table-scroll" tabindex="0"><table>').replace(
        "</table>", "</table></div>"
    )


def render_markdown(source: str) -> SafeString:
    """The page body as HTML that is safe to put on a page as it is."""
    cleaned = nh3.clean(
        _html(source),
        tags=TAGS,
        attributes=ATTRIBUTES,
        tag_attribute_values={"div": {"tabindex": {"0"}}},
        set_tag_attribute_values={tag: {"class": name} for tag, name in CLASSES.items()},
        allowed_classes={"div": {"table-scroll"}},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        clean_content_tags={"script", "style"},
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - nh3 has just sanitised it
