"""Rich text from the editor (often pasted from Word), made safe to store and show."""

import html

import nh3
from django.utils.html import strip_tags

# What an official document body uses: paragraphs, numbering, emphasis, simple tables.
ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ol", "ul", "li", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"ol": {"start", "type"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def sanitize_body(text: str) -> str:
    """Keep paragraphs, lists, bold, italics, underline and tables; drop everything else.

    Scripts, styles, images, links and Word's mso markup are removed (with their content
    for script and style). Plain text without tags becomes one paragraph per line.
    """
    text = (text or "").strip()
    if not text:
        return ""
    if "<" not in text:
        return "".join(f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip())
    cleaned = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        clean_content_tags={"script", "style", "title", "xml", "head"},
        link_rel=None,
        strip_comments=True,
    )
    return cleaned.strip()


def body_text(body: str) -> str:
    """The body as plain text, for search and e-mail."""
    return html.unescape(strip_tags(body.replace("</p>", "</p>\n").replace("<br>", "\n")))
