"""Vietnamese text written in the pre-Unicode encodings TCVN3 (ABC) and VNI, turned into Unicode.

A PDF made from a document typed in a .VnTime (TCVN3) or VNI-Times (VNI) font carries a text
layer whose bytes are those encodings read as Latin-1/cp1252: «Céng hoµ x· héi chñ nghÜa»
(TCVN3) or «Coäng hoøa xaõ hoäi chuû nghóa» (VNI) for «Cộng hoà xã hội chủ nghĩa».

- TCVN3 (TCVN 5712:1993, the VN3 table) gives one byte to each precomposed lower-case letter,
  and to the seven upper-case base letters Ă Â Ê Ô Ơ Ư Đ. Upper-case letters with a tone have no
  byte: they are the same bytes drawn by the upper-case fonts (.VnTimeH), so ``upper=True``
  converts those bytes to capitals.
- VNI writes a base letter followed by one byte for its marks (a tone, a circumflex or breve,
  or both together); ơ, ư, đ and the i's with a tone are single bytes. Capitals take the
  upper-case forms of the mark bytes.

``legacy_detect`` never fires on real Unicode Vietnamese (letters outside Latin-1 such as ơ, ư,
đ, ạ) nor on English or other Latin text: it asks for a real share of Latin-1 letters, nearly
all of them explained by one encoding. ``legacy_convert`` reports what it could not map, so the
caller can fall back to OCR.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# The vowels with their tones, in the order: none, grave, hook, tilde, acute, dot below.
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
BASES = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")


def _toned(base: str, tone: int) -> str:
    return unicodedata.normalize("NFC", base + TONES[tone])


# --- TCVN3 --------------------------------------------------------------------------------
# Per base vowel, the bytes of: no tone, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc),
# dot below (nặng). The table of TCVN 5712:1993 (VN3), written out by hand.
_TCVN3_VOWELS = {
    "a": (0x61, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0x65, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0x69, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0x6F, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0x75, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0x79, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_TCVN3_LOWER: dict[str, str] = {"\xae": "đ"}
for _base, _codes in _TCVN3_VOWELS.items():
    for _tone, _code in enumerate(_codes):
        if _code >= 0x80:
            _TCVN3_LOWER[chr(_code)] = _toned(_base, _tone)
# The only capitals with a byte of their own.
_TCVN3_CAPITALS = {"\xa1": "Ă", "\xa2": "Â", "\xa3": "Ê", "\xa4": "Ô", "\xa5": "Ơ", "\xa6": "Ư", "\xa7": "Đ"}
TCVN3_TO_UNICODE: dict[str, str] = {**_TCVN3_LOWER, **_TCVN3_CAPITALS}
# Drawn by an upper-case font (.VnTimeH, .VnArialH): every letter byte is a capital.
TCVN3_UPPER_TO_UNICODE: dict[str, str] = {code: letter.upper() for code, letter in TCVN3_TO_UNICODE.items()}
# Bytes no VNI text ever holds (VNI's letters and marks are all at 0xC0 and above).
_TCVN3_ONLY = frozenset(code for code in TCVN3_TO_UNICODE if ord(code) < 0xC0)

# --- VNI ----------------------------------------------------------------------------------
# The mark bytes that follow a base letter (lower case; capitals use the upper-case byte).
_VNI_TONE = {1: "ø", 2: "û", 3: "õ", 4: "ù", 5: "ï"}  # grave, hook, tilde, acute, dot below
_VNI_CIRCUMFLEX = {0: "â", 1: "à", 2: "å", 3: "ã", 4: "á", 5: "ä"}  # â ê ô, alone or with a tone
_VNI_BREVE = {0: "ê", 1: "è", 2: "ú", 3: "ü", 4: "é", 5: "ë"}  # ă, alone or with a tone
# Letters VNI writes as one byte: ơ, ư (which then take tone bytes), đ, the i's and ỵ.
_VNI_SINGLE_LOWER = {"ô": "ơ", "ö": "ư", "ñ": "đ", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "í": "í", "ò": "ị", "î": "ỵ"}
_VNI_SINGLE_UPPER = {"Ô": "Ơ", "Ö": "Ư", "Ñ": "Đ", "Ì": "Ì", "Æ": "Ỉ", "Ó": "Ĩ", "Í": "Í", "Ò": "Ị", "Î": "Ỵ"}


def _vni_sequences() -> dict[str, str]:
    """Every VNI spelling of every Vietnamese letter (lower and upper case) → the Unicode letter."""
    table: dict[str, str] = {}
    for upper in (False, True):

        def case(text: str, upper=upper) -> str:
            return text.upper() if upper else text

        singles = _VNI_SINGLE_UPPER if upper else _VNI_SINGLE_LOWER
        table.update(singles)
        for base in ("a", "e", "o", "u", "y"):
            for tone, mark in _VNI_TONE.items():
                table[case(base + mark)] = case(_toned(base, tone))
        for base, hat in (("a", "â"), ("e", "ê"), ("o", "ô")):
            for tone, mark in _VNI_CIRCUMFLEX.items():
                table[case(base + mark)] = case(_toned(hat, tone))
        for tone, mark in _VNI_BREVE.items():
            table[case("a" + mark)] = case(_toned("ă", tone))
        for single, letter in (("ô", "ơ"), ("ö", "ư")):
            for tone, mark in _VNI_TONE.items():
                table[case(single + mark)] = case(_toned(letter, tone))
    # The ỵ byte is VNI's only spelling of that letter: "y" + dot below is not written.
    del table["yï"], table["YÏ"]
    return table


VNI_TO_UNICODE = _vni_sequences()
# Longest spellings first, so "oâù" is never read as "oâ" then a stray mark.
_VNI_PATTERN = re.compile("|".join(re.escape(key) for key in sorted(VNI_TO_UNICODE, key=len, reverse=True)))

# Letters of real Unicode Vietnamese that no Latin-1 text has: ă đ ĩ ũ ơ ư, the Latin Extended
# Additional block, and combining marks (decomposed text).
_REAL = re.compile(
    "[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9\u0300-\u0323]"
)


@dataclass(frozen=True)
class Converted:
    text: str
    encoding: str  # "tcvn3" or "vni"
    unknown: int  # legacy bytes left that the table does not map
    letters: int  # letters in the converted text

    @property
    def unknown_share(self) -> float:
        return self.unknown / max(self.letters, 1)


def _high(text: str) -> list[str]:
    return [ch for ch in text if 0xA0 < ord(ch) <= 0xFF]


def legacy_scores(text: str) -> dict[str, float]:
    """For each encoding, the share of the text's Latin-1 high characters it explains (0–1).

    TCVN3 explains a character in its table; VNI a single-byte letter, or a mark byte right
    after a base letter it may follow. Both are 0 for text with real Vietnamese letters.
    """
    high = _high(text)
    if not high or _REAL.search(text):
        return {"tcvn3": 0.0, "vni": 0.0}
    tcvn3 = sum(ch in TCVN3_TO_UNICODE for ch in high) / len(high)
    explained = sum(len(match.group()) - 1 for match in _VNI_PATTERN.finditer(text) if len(match.group()) > 1)
    explained += sum(ch in _VNI_SINGLE_LOWER or ch in _VNI_SINGLE_UPPER for ch in high)
    return {"tcvn3": tcvn3, "vni": min(explained / len(high), 1.0)}


MIN_SCORE = 0.75


def legacy_detect(text: str) -> str | None:
    """ "tcvn3", "vni" or None: which old encoding this (Latin-1 looking) text was written in.

    None for real Unicode Vietnamese (any letter outside Latin-1 that only Vietnamese uses, or
    combining marks), for text with too few accented Latin-1 letters (English, code, numbers),
    and for Latin text neither table explains (French, German).
    """
    letters = sum(ch.isalpha() for ch in text)
    if letters < 20:
        return None
    if len(_REAL.findall(text)) > letters * 0.002:
        return None
    high = _high(text)
    # Vietnamese marks about a third of its syllables: far above any stray symbol in English.
    if len(high) < max(5, letters * 0.04):
        return None
    scores = legacy_scores(text)
    # Below 1: a garbled layer is still named, and legacy_convert's unknown count sends it to OCR.
    tcvn3_only = sum(ch in _TCVN3_ONLY for ch in high) / len(high)
    if scores["tcvn3"] >= MIN_SCORE and tcvn3_only >= 0.1:
        return "tcvn3"
    if scores["vni"] >= MIN_SCORE:
        return "vni"
    return None


def tcvn3_to_unicode(text: str, *, upper: bool = False) -> str:
    """TCVN3 bytes read as Latin-1 → Unicode (NFC). ``upper``: the text was drawn in an upper-case font."""
    table = TCVN3_UPPER_TO_UNICODE if upper else TCVN3_TO_UNICODE
    converted = "".join(table.get(ch, ch) for ch in text)
    return converted.upper() if upper else converted


def vni_to_unicode(text: str) -> str:
    """VNI bytes read as Latin-1 → Unicode (NFC)."""
    return _VNI_PATTERN.sub(lambda match: VNI_TO_UNICODE[match.group()], text)


def unicode_to_tcvn3(text: str) -> str:
    """The TCVN3 spelling of Unicode Vietnamese (lower case for toned capitals, as typed for .VnTimeH)."""
    reverse = {letter: code for code, letter in _TCVN3_LOWER.items()}
    reverse.update({letter: code for code, letter in _TCVN3_CAPITALS.items()})
    out = []
    for ch in unicodedata.normalize("NFC", text):
        code = reverse.get(ch)
        if code is None and ch.lower() in reverse:
            code = reverse[ch.lower()]
        out.append(code if code is not None else ch)
    return "".join(out)


def unicode_to_vni(text: str) -> str:
    """The VNI spelling of Unicode Vietnamese."""
    reverse = {letter: spelling for spelling, letter in VNI_TO_UNICODE.items()}
    return "".join(reverse.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def legacy_convert(text: str, encoding: str) -> Converted:
    """Convert ``text`` from ``encoding`` ("tcvn3" or "vni"); count the legacy bytes left unmapped."""
    if encoding == "tcvn3":
        converted = tcvn3_to_unicode(text)
        unknown = sum(ch not in TCVN3_TO_UNICODE for ch in _high(text))
    elif encoding == "vni":
        converted = vni_to_unicode(text)
        # What no spelling matched: a mark after a letter it cannot follow, or a stray byte.
        unknown = len(_high(_VNI_PATTERN.sub("", text)))
    else:
        raise ValueError(encoding)
    converted = unicodedata.normalize("NFC", converted)
    return Converted(converted, encoding, unknown, sum(ch.isalpha() for ch in converted))
