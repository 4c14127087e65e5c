"""Folding Vietnamese text for search: "Đính chính" and "dinh chinh" fold alike."""

import unicodedata


def fold(text: str) -> str:
    """NFC, strip combining marks, đ/Đ → d, casefold, collapse white space.

    Stored in ``search_text`` columns and applied to queries, so a search ignores
    diacritics and case. PostgreSQL's unaccent() is not used: it is STABLE, cannot
    be indexed directly, and does not fold đ.
    """
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text or ""))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return " ".join(stripped.casefold().split())


ELLIPSIS = "…"
# Punctuation left dangling before the ellipsis reads as a typo: "…giải quyết,…".
_TRAILING = " ,;:.-–—/(«“\"'"


def shorten(text: str, limit: int) -> str:
    """Return ``text`` in at most ``limit`` characters, cut only between words.

    White space is collapsed first. Text that fits is returned whole; longer text is cut at
    the last space that leaves room for "…" and ends with it, so a reader always sees that
    something follows and never half a word ("…trong giải quy"). Vietnamese syllables are
    words for this purpose: they are separated by spaces, and NFC keeps each syllable's
    diacritics in the letters they belong to. A single word longer than ``limit`` (a URL)
    is the one case cut inside a word, still with the ellipsis.
    """
    text = " ".join(unicodedata.normalize("NFC", text or "").split())
    if len(text) <= limit:
        return text
    if limit <= len(ELLIPSIS):
        return ELLIPSIS[:limit]
    room = limit - len(ELLIPSIS)
    head = text[: room + 1]  # one more character: a space there means the cut falls between words
    cut = head.rfind(" ")
    head = head[:cut] if cut > 0 else head[:room]
    return head.rstrip(_TRAILING) + ELLIPSIS
