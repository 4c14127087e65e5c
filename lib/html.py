"""Rich text from the editor (often pasted from Word), made safe to store and show."""

import html
import re

import nh3
from django.utils.html import strip_tags

# What an official document body uses: paragraphs, numbering, emphasis, simple tables.
ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ol", "ul", "li", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"ol": {"start", "type"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


# HTML is told from plain text by a tag a browser or Word writes, not by a bare "<": the clerk
# types "< 50 triệu" and "a<b" as text (a tag needs its closing ">"), and text is escaped, never parsed.
_HTML_RE = re.compile(
    r"</?(?:p|br|div|span|strong|b|em|i|u|s|ol|ul|li|table|thead|tbody|tfoot|tr|th|td|h[1-6]|font|a|img|"
    r"html|head|body|meta|style|script|title|xml|o:p|w:[a-z]+|sup|sub|blockquote|pre|hr|section|article)"
    r"(?:\s[^<>]*)?/?>|<!--",
    re.IGNORECASE,
)
_EMPTY_PARAGRAPH_RE = re.compile(r"<p>(?:\s|&nbsp;|\xa0|<br\s*/?>)*</p>")
_BREAKS_RE = re.compile(r"(?:<br\s*/?>(?:\s|&nbsp;|\xa0)*){2,}")
_EDGE_BREAK_RE = re.compile(
    r"(?:(?P<open><p>|<li>|<td>|<th>)(?:\s|<br\s*/?>)+)|(?:(?:\s|<br\s*/?>)+(?P<close></p>|</li>|</td>|</th>))"
)


def sanitize_body(text: str) -> str:
    """Keep paragraphs, lists, bold, italics, underline and tables; drop everything else.

    Scripts, styles, images, links and Word's mso markup are removed (with their content
    for script and style). Plain text without tags becomes one paragraph per line.
    """
    text = (text or "").strip()
    if not text:
        return ""
    if not _HTML_RE.search(text):
        # Plain text, "Sở KH&CN … < 50 triệu" included: escaped once, each line a paragraph,
        # blank lines dropped (a run of them is one paragraph break, not a gap).
        return "".join(f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip())
    cleaned = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        clean_content_tags={"script", "style", "title", "xml", "head"},
        link_rel=None,
        strip_comments=True,
    )
    # Pasted text brings its blank lines as empty paragraphs or runs of <br>: one break each.
    cleaned = _EMPTY_PARAGRAPH_RE.sub("", cleaned)
    cleaned = _BREAKS_RE.sub("<br>", cleaned)
    cleaned = _EDGE_BREAK_RE.sub(lambda m: m.group("open") or m.group("close"), cleaned)
    return cleaned.strip()


def body_text(body: str) -> str:
    """The body as plain text, for search and e-mail."""
    return html.unescape(strip_tags(body.replace("</p>", "</p>\n").replace("<br>", "\n")))
