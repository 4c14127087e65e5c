"""A stored document as the dict ``document.schema.json`` describes: what the PDF prints
and what ``render_pdf`` and the import exchange."""

from typing import Any

from django.utils.translation import gettext as _

from directives.models import Document, Unit

URGENCY = {"khan": "Khẩn", "thuong_khan": "Thượng khẩn", "hoa_toc": "Hỏa tốc"}
CONFIDENTIALITY = {"mat": "Mật", "toi_mat": "Tối mật", "tuyet_mat": "Tuyệt mật"}


def _addressees(document: Document) -> list[str]:
    recipients = list(document.recipients.select_related("unit", "organisation"))
    unit_ids = {r.unit_id for r in recipients if r.unit_id}
    names = []
    all_units = set(Unit.objects.filter(agency_id=document.agency_id, is_active=True).values_list("pk", flat=True))
    if unit_ids and unit_ids == all_units and len(all_units) > 1:
        names.append(_("Các phòng, đơn vị thuộc Sở"))
    else:
        names += [r.unit.name for r in recipients if r.unit_id]
    names += [r.organisation.name for r in recipients if r.organisation_id]
    return names


def document_as_schema(document: Document) -> dict[str, Any]:
    """The document's formal elements, in the order Decree 30/2020 lays them out."""
    agency, signer = document.agency, document.signer
    title = (signer.title if signer else "") or ""
    if signer and document.signing_authority in ("TL.", "TUQ."):
        # The title the agency authorised this person to sign under (directives.SigningAuthorisation).
        authorised = signer.signing_authorisations.filter(authority=document.signing_authority).first()
        title = authorised.title if authorised else title
    return {
        "kind": document.direction,
        "doc_type": document.doc_type.name,
        "type_abbr": document.doc_type.abbreviation or None,
        "number": document.number,
        "symbol": document.symbol,
        "parent_body": agency.parent_body or None,
        "issuer": agency.name,
        "place": agency.place_name,
        "issued_on": document.issued_on.isoformat() if document.issued_on else None,
        "subject": document.subject,
        "urgency": URGENCY.get(document.urgency),
        "confidentiality": CONFIDENTIALITY.get(document.confidentiality),
        "addressees": _addressees(document),
        "references": [
            {
                "doc_type": ref.doc_type,
                "symbol": ref.symbol,
                "issued_on": ref.issued_on.isoformat() if ref.issued_on else None,
                "issuer": ref.issuer or None,
            }
            for ref in document.references.all()
        ],
        "body": [document.body] if document.body else [],
        "body_format": "html",
        "signer": {
            "authority": document.signing_authority or None,
            "authority_title": document.authority_title or None,
            "title": title.upper() or None,
            "name": signer.get_full_name() if signer else None,
        },
        "distribution": [line.strip(" -;.") for line in document.distribution.splitlines() if line.strip(" -;.")],
    }
