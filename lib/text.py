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
