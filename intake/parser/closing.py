"""The tail: «Nơi nhận» (the distribution list) and the signature block."""

from __future__ import annotations

import re

from .layout import _columns, _Lead
from .text import _is_upper, _squash, _strip_entry, flat

AUTHORITIES = ("KT.", "TL.", "TM.", "Q.", "TUQ.")


_NOI_NHAN_FLAT_RE = re.compile(r"^noi\s+nhan\s*:?\s*")
_NOI_NHAN_RE = _Lead(_NOI_NHAN_FLAT_RE)
_AUTHORITY_RE = re.compile(r"^(KT|TL|TM|Q|TUQ)\s*\.\s*(\S.*)$|^(K/T|T/L|T/M)\s*\.?\s*(\S.*)$")
_SIGNED_RE = re.compile(r"^[(\[]?\s*(đã ký|da ky|ký|ky|đã duyệt)\b.*$", re.I)


_RANK_RE = re.compile(r"^(?:(?:Đại|Thượng|Trung|Thiếu)\s+(?:tá|úy|tướng)|(?:PGS\.\s?|GS\.\s?)?TS\.|ThS\.|KS\.|BS\.)\s+")


def _name_like(fragment: str) -> bool:
    fragment = _RANK_RE.sub("", fragment)  # «Đại tá Lê Minh Tuấn», «TS. Trần Văn A»: the rank is printed with the name
    words = fragment.split()
    return (
        2 <= len(words) <= 6
        and all(w[0].isupper() for w in words)
        and not re.search(r"[\d:;,.()/]", fragment)
        and not _is_title(fragment)
    )


_TITLE_WORDS_RE = re.compile(
    r"^(giam doc|pho |chu tich|truong|chanh|bo truong|thu truong|cuc truong|chi cuc truong|tong|thu tuong"
    r"|ke toan|(kt|tl|tm|q|tuq)\s*\.|uy vien|bi thu|thu ky|nguoi|trinh|ban|uy ban|to truong)"
)


def _is_title(fragment: str) -> bool:
    return _is_upper(fragment) and bool(_TITLE_WORDS_RE.match(flat(fragment)))


def _sig_like(line: str) -> bool:
    fragments = _columns(line)
    return bool(fragments) and all(
        _AUTHORITY_RE.match(f) or (_is_upper(f) and len(f.split()) <= 8 and not re.search(r"\d", f))
        or _SIGNED_RE.match(f) or _name_like(f)
        for f in fragments
    )  # fmt: skip


def _tail_start(lines: list[str], start: int) -> int:
    """The index of the first line after the body: «Nơi nhận» or the signature block."""
    end = len(lines)
    for index in range(start, len(lines)):
        fragments = _columns(lines[index])
        if fragments and any(_NOI_NHAN_RE.match(f) for f in fragments):
            end = index
            break
    index = end - 1
    top = end
    while index >= start:
        line = lines[index].strip()
        if not line:
            index -= 1
            continue
        if not _sig_like(line):
            break
        top = index
        index -= 1
    # a signature block has a title or authority line; a lone name line ends a web article
    return top


def _read_tail(lines: list[str]) -> tuple[dict, list[str]]:
    signer = {"authority": None, "authority_title": None, "title": None, "name": None}
    distribution: list[str] = []
    signature: list[str] = []
    in_list = False
    fragments = []
    for line in lines:
        for fragment in _columns(line):
            # the signature column merged with single spaces: «- Như trên; PHÓ GIÁM ĐỐC»
            merged = re.match(r"^((?:[-+•]|Lưu).*?[;.]|Nơi nhận\s*:)\s+(\S.*)$", fragment)
            other = merged.group(2) if merged else ""
            if merged and (
                _AUTHORITY_RE.match(other) or (_is_upper(other) and len(other.split()) >= 2) or _name_like(other)
            ):
                fragments += [merged.group(1), merged.group(2)]
            else:
                fragments.append(fragment)
    for fragment in fragments:
        noi = _NOI_NHAN_RE.match(fragment)
        if noi:
            in_list = True
            if noi.group(1):
                distribution.append(_strip_entry(noi.group(1)))
            continue
        if re.match(r"^[-+•]", fragment) or re.match(r"^Lưu\b", fragment):
            distribution.append(_strip_entry(fragment))
            continue
        if in_list and re.search(r"[;.]$", fragment) and not _is_upper(fragment) and not _name_like(fragment):
            distribution.append(_strip_entry(fragment))  # an entry whose «-» a .docx's bullet list lost
            continue
        if in_list and distribution and fragment[0].islower():
            distribution[-1] = _strip_entry(distribution[-1] + " " + fragment)
            continue
        signature.append(fragment)
    titles = []
    for fragment in signature:
        authority = _AUTHORITY_RE.match(fragment)
        if authority:
            if signer["authority"] is None:  # the Party's «T/M» is the State's «TM.»
                signer["authority"] = (authority.group(1) or authority.group(3)).replace("/", "") + "."
                signer["authority_title"] = _squash(authority.group(2) or authority.group(4))
            continue
        if _SIGNED_RE.match(fragment):
            continue
        if _is_upper(fragment) and (not titles or _is_title(fragment)) and signer["name"] is None:
            titles.append(_squash(fragment))
        elif _name_like(fragment) or (_is_upper(fragment) and titles):
            signer["name"] = _squash(fragment)
    if titles:
        signer["title"] = titles[-1]
    return signer, [d for d in distribution if d]
