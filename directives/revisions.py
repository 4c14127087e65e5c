"""Comparing two saved revisions of a draft, field by field, for the revisions page."""

import difflib
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from directives.models import Confidentiality, DocumentType, Revision, SigningAuthority, Urgency
from directives.permissions import SECRET_LABEL, documents_hidden_among
from lib.html import body_text
from units.models import Organisation, Unit, User

LABELS = {
    "doc_type": _("Loại văn bản"),
    "subject": _("Trích yếu"),
    "body": _("Nội dung"),
    "urgency": _("Độ khẩn"),
    "confidentiality": _("Độ mật"),
    "drafting_unit": _("Đơn vị soạn thảo"),
    "signer": _("Người ký"),
    "signing_authority": _("Thẩm quyền ký"),
    "authority_title": _("Chức danh thủ trưởng"),
    "distribution": _("Nơi nhận"),
    "recipient_units": _("Kính gửi: đơn vị"),
    "recipient_organisations": _("Kính gửi: cơ quan bên ngoài"),
    "references": _("Căn cứ, dẫn chiếu"),
}
TEXT_FIELDS = {"subject", "body", "distribution"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    diff: SafeString | None = None  # a word diff with <del>/<ins>, for text fields


def _words_diff(old: str, new: str) -> SafeString:
    """Word-level diff; every piece of text is escaped before the markup is added."""
    a, b = old.split(), new.split()
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(parts))  # nosec B308, B703  # built only from escape()d text and fixed tags


def revisions_masked(revisions: list[Revision], *, user: User) -> list[Revision]:
    """The revisions with every cited confidential document ``user`` may not see reduced to the
    placeholder (in memory only; nothing is saved). At most one query, none without citations."""
    targets = {r.get("target") for rev in revisions for r in rev.content.get("references") or [] if r.get("target")}
    hidden = documents_hidden_among(user, targets)
    if not hidden:
        return revisions
    for rev in revisions:
        references = rev.content.get("references") or []
        if any(r.get("target") in hidden for r in references):
            rev.content = {
                **rev.content,
                "references": [
                    {"target": None, "symbol": str(SECRET_LABEL)} if r.get("target") in hidden else r
                    for r in references
                ],
            }
    return revisions


def _names(revisions: list[Revision]) -> dict:
    """Display names of the ids the revisions hold, in one query per kind."""
    ids = {"doc_type": set(), "drafting_unit": set(), "signer": set(), "units": set(), "orgs": set()}
    for rev in revisions:
        c = rev.content
        for key in ("doc_type", "drafting_unit", "signer"):
            if c.get(key):
                ids[key].add(c[key])
        ids["units"].update(c.get("recipient_units") or [])
        ids["orgs"].update(c.get("recipient_organisations") or [])
    units = dict(Unit.objects.filter(pk__in=ids["units"] | ids["drafting_unit"]).values_list("pk", "name"))
    return {
        "doc_type": dict(DocumentType.objects.filter(pk__in=ids["doc_type"]).values_list("pk", "name")),
        "drafting_unit": units,
        "signer": {u.pk: u.get_full_name() for u in User.objects.filter(pk__in=ids["signer"])},
        "recipient_units": units,
        "recipient_organisations": dict(Organisation.objects.filter(pk__in=ids["orgs"]).values_list("pk", "name")),
    }


def _display(name: str, value, names: dict) -> str:
    if value in (None, "", []):
        return ""
    if name == "body":
        return body_text(value).strip()
    if name in ("doc_type", "drafting_unit", "signer"):
        return names[name].get(value, str(value))
    if name in ("recipient_units", "recipient_organisations"):
        return "; ".join(names[name].get(pk, str(pk)) for pk in value)
    if name == "urgency":
        return str(Urgency(value).label)
    if name == "confidentiality":
        return str(Confidentiality(value).label)
    if name == "signing_authority":
        return str(SigningAuthority(value).label)
    if name == "references":
        return "; ".join(
            " ".join(p for p in (r.get("doc_type"), r.get("symbol"), r.get("issued_on"), r.get("issuer")) if p)
            for r in value
        )
    return str(value)


def revisions_compare(old: Revision, new: Revision) -> list[FieldChange]:
    """The fields that differ between two revisions, in form order."""
    names = _names([old, new])
    changes = []
    for name, label in LABELS.items():
        a = _display(name, old.content.get(name), names)
        b = _display(name, new.content.get(name), names)
        if a == b:
            continue
        diff = _words_diff(a, b) if name in TEXT_FIELDS else None
        changes.append(FieldChange(str(label), a, b, diff))
    return changes
