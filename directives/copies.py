"""Copies of documents (bản sao y, bản trích sao, bản sao lục; Decree 30/2020, Art. 25-27).

A copy is an outgoing document of its own: the clerk makes it from an issued document or a
received one, it takes the next number of the agency's one yearly copies series
(``05/SY-SKHCN``), is issued at once (registered in the outgoing register, delivered to the
chosen units with notices) and printed as the original followed by the copy block, which the
official PDF job signs with the agency's key like any issued document.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from directives import body, numbering, official_pdf, pdf, services
from directives import permissions as rights
from directives.models import CopyForm, Document, Event, IssuedPdf
from directives.schema import document_as_schema
from lib.errors import DomainError, NotAllowed
from units.models import Unit, User

# What the copy block prints as the form of copy (upper case, bold).
FORM_LABELS = {CopyForm.SAO_Y: "SAO Y", CopyForm.TRICH_SAO: "TRÍCH SAO", CopyForm.SAO_LUC: "SAO LỤC"}


# --- Reading the original ----------------------------------------------------------------


def original_root(document: Document) -> Document:
    """The document a chain of copies starts from (a sao lục may be made from a sao y)."""
    while document.copy_of_id:
        document = document.copy_of
    return document


def paragraphs_of(document: Document) -> list[str]:
    """The original's body as the numbered units a trích sao chooses from (the PDF's blocks)."""
    root = original_root(document)
    blocks = body.parse_body([root.body] if root.body else [], rich=True, legal_bases=not root.doc_type.is_cong_van)
    return [_block_text(block) for block in blocks]


def _block_text(block: body.Block) -> str:
    if block.heading:
        return f"{block.heading} {block.text}".strip()
    if block.text:
        return block.text
    from lib.html import body_text

    return body_text(str(block.html))


def received_pdf(document: Document) -> bytes | None:
    """The received document's PDF (its first attachment that is a PDF), or None."""
    for attachment in document.attachments.order_by("pk"):
        with attachment.file.open("rb") as handle:
            content = handle.read()
        if content.startswith(b"%PDF"):
            return content
    return None


# --- Making a copy -----------------------------------------------------------------------


def copy_allowed_check(*, document: Document, by: User) -> None:
    """Raise NotAllowed unless ``by`` may copy ``document`` (one they see): asked before a
    request's fields are read, so a person who may not copy is told so, not what to fill in."""
    if not rights.can_make_copy(by, document):
        raise NotAllowed(_("Chỉ văn thư của cơ quan sao được văn bản đã phát hành hoặc văn bản đến đã vào sổ."))


@transaction.atomic
def copy_make(
    *,
    document: Document,
    form: str,
    by: User,
    paragraphs: Iterable[int] = (),
    signer: User | None = None,
    signing_authority: str = "",
    authority_title: str = "",
    distribution: str = "",
    recipient_units: Iterable[Unit] = (),
    today: date | None = None,
) -> Document:
    """Make a sao y, trích sao or sao lục of ``document`` and issue it at once.

    Guarantees: the copy takes the next number of the agency's shared copies series of the
    year under the counter's lock, in this transaction (a refused copy consumes no number);
    it keeps the original's confidentiality (and so its rights: only granted people see it);
    it is delivered to ``recipient_units`` and the units named in ``distribution`` with
    notices, and its official PDF (the original, then the copy block) is rendered and signed
    with the agency's key by the job after commit. Refused with a Vietnamese message, changing
    nothing, when ``by`` may not copy or the request does not fit the original.
    """
    if not rights.documents_visible_to(by).filter(pk=document.pk).exists():
        raise NotAllowed(_("Không tìm thấy văn bản."))
    document = (
        Document.objects.select_related("agency", "doc_type", "copy_of")
        .select_for_update(of=("self",))
        .get(pk=document.pk)
    )
    copy_allowed_check(document=document, by=by)
    if form not in (CopyForm.SAO_Y, CopyForm.TRICH_SAO, CopyForm.SAO_LUC):
        raise DomainError(_("Hình thức sao không hợp lệ."), {"field": "form"})
    if document.is_copy and form != CopyForm.SAO_LUC:
        raise DomainError(_("Từ một bản sao chỉ làm được bản sao lục."), {"field": "form"})
    root = original_root(document)
    chosen = sorted(set(paragraphs))
    if form == CopyForm.TRICH_SAO:
        if root.direction == Document.Direction.INCOMING:
            raise DomainError(
                _("Văn bản đến chỉ có bản chụp nên không trích sao theo đoạn được; hãy sao y."), {"field": "form"}
            )
        available = len(paragraphs_of(root))
        if not chosen:
            raise DomainError(_("Hãy chọn ít nhất một đoạn để trích sao."), {"field": "paragraphs"})
        if chosen[0] < 0 or chosen[-1] >= available:
            raise DomainError(_("Đoạn được chọn không có trong văn bản."), {"field": "paragraphs"})
    else:
        chosen = []
    if root.direction == Document.Direction.INCOMING and received_pdf(root) is None:
        raise DomainError(_("Văn bản đến chưa có tệp PDF nên chưa sao được."), {"field": "form"})
    if signer is not None and (signer.agency_id != by.agency_id or not signer.is_active):
        raise DomainError(_("Người ký bản sao phải là cán bộ của cơ quan."), {"field": "signer"})
    signer = signer or by
    now = timezone.now()
    today = today or timezone.localdate(now)
    membership = by.memberships.select_related("unit").first()
    copy = Document(
        agency_id=by.agency_id,
        direction=Document.Direction.OUTGOING,
        state=Document.State.ISSUED,
        doc_type=root.doc_type,
        subject=root.subject,
        author=by,
        signer=signer,
        signing_authority=signing_authority,
        authority_title=authority_title.strip(),
        distribution=distribution.strip(),
        drafting_unit=membership.unit if membership else None,
        confidentiality=document.confidentiality,
        copy_form=form,
        copy_of=document,
        copy_paragraphs=chosen,
    )
    copy.full_clean(exclude=["search_text", "number", "year", "symbol"])
    numbering.number_assign(copy, year=today.year)
    copy.issued_on, copy.issued_at, copy.issued_by = today, now, by
    copy.search_text = services._search_text(copy)
    copy.save()
    services._set_recipients(copy, recipient_units, [])
    services._grant(copy, [by, signer])
    heads = services._deliver(copy, services._units_to_deliver(copy))
    IssuedPdf.objects.create(document=copy)
    label = CopyForm(form).label
    services._event(copy, by, Event.Action.COPIED, f"{label} {document.symbol}")
    services._event(document, by, Event.Action.COPIED, f"{label} {copy.symbol}")
    services._notify_received(copy, heads)
    transaction.on_commit(lambda: official_pdf.issued_pdf_wake(copy.pk))
    return copy


# --- Printing a copy ---------------------------------------------------------------------


def _copy_block(copy: Document, *, newest: bool) -> dict[str, Any]:
    agency, signer = copy.agency, copy.signer
    authority = copy.signing_authority
    authority_title = pdf._upper(copy.authority_title)
    return {
        "form": FORM_LABELS[copy.copy_form],
        "parent_body": pdf._upper(agency.parent_body),
        "issuer": pdf._upper(agency.name),
        "symbol": copy.symbol,
        "dateline": pdf.format_dateline(agency.place_name, copy.issued_on, year=copy.year or 0),
        "authority_line": f"{authority} {authority_title}".strip() if authority else "",
        "issuer_rule_mm": pdf.rule_width_mm(
            pdf._upper(agency.name), face="bold", size_pt=13, line_mm=pdf.ISSUER_COLUMN_MM
        ),
        "signer_title": pdf._upper(_signer_title(signer)),
        "signer_name": signer.get_full_name() if signer else "",
        "distribution": pdf._punctuated(
            [line.strip(" -;.") for line in copy.distribution.splitlines() if line.strip(" -;.")], last="."
        ),
        "signature_anchor": pdf.SIGNATURE_ANCHOR if newest else "",
    }


def _signer_title(signer: User | None) -> str:
    """The title under the authority line: a leader's title, else the signer's position
    (a Chánh Văn phòng signs copies "TL. GIÁM ĐỐC" over "CHÁNH VĂN PHÒNG")."""
    if signer is None:
        return ""
    if signer.title:
        return signer.title
    membership = signer.memberships.order_by("-is_head", "pk").first()
    return membership.position if membership else ""


def _chain(copy: Document) -> list[Document]:
    """The copies from the oldest (made from the original) to ``copy``."""
    chain = [copy]
    while chain[-1].copy_of_id and chain[-1].copy_of.copy_of_id:
        chain.append(chain[-1].copy_of)
    return list(reversed(chain))


def copy_html(copy: Document) -> str:
    """The HTML of a copy of an issued document: the original's layout (only the chosen
    paragraphs for a trích sao), then each copy block in order, the newest last."""
    root = original_root(copy)
    chain = _chain(copy)
    context = pdf.document_context(document_as_schema(root), draft=False)
    excerpt = next((c for c in chain if c.copy_form == CopyForm.TRICH_SAO), None)
    if excerpt is not None:
        keep = set(excerpt.copy_paragraphs)
        context["blocks"] = [block for index, block in enumerate(context["blocks"]) if index in keep]
    # The agency's stamp goes into the newest copy block, not the original's signature space.
    context["signature_anchor"] = ""
    context["copy_blocks"] = [_copy_block(c, newest=c.pk == copy.pk) for c in chain]
    return render_to_string("pdf/document.html", context)


def copy_pdf(copy: Document) -> bytes:
    """The copy's official PDF, unsigned (the render job signs it).

    A copy of an issued document flows in one layout: the copy block right after the
    original's last line. A received document is a scan: its pages are kept as they are and
    the copy block follows on a page of its own.
    """
    root = original_root(copy)
    if root.direction == Document.Direction.OUTGOING:
        return pdf.html_to_pdf(copy_html(copy))
    blocks = [_copy_block(c, newest=c.pk == copy.pk) for c in _chain(copy)]
    block_pdf = pdf.html_to_pdf(render_to_string("pdf/copy_page.html", {"copy_blocks": blocks}))
    original = received_pdf(root)
    if original is None:
        raise DomainError(_("Văn bản đến chưa có tệp PDF nên chưa sao được."))
    return pdf_join([original, block_pdf])


def pdf_join(parts: list[bytes]) -> bytes:
    """One PDF with the pages of ``parts`` in order, each page kept whole (as a form XObject).

    The signature anchor of the last part (the copy block) is carried over, so the agency's
    stamp lands in the copy block's signature space.
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import PdfFileWriter

    from directives.signing import find_signature_space

    writer = PdfFileWriter()
    anchor = None
    written = 0
    for part_index, data in enumerate(parts):
        reader = PdfFileReader(io.BytesIO(data))
        page_count = int(reader.root["/Pages"]["/Count"])
        space = find_signature_space(reader) if part_index == len(parts) - 1 else None
        for page_index in range(page_count):
            page, _inherited = reader.find_page_for_modification(page_index)
            box = [float(v) for v in page.get_object()["/MediaBox"]]
            xobject = writer.import_page_as_xobject(reader, page_ix=page_index)
            content = generic.StreamObject(stream_data=b"q /Pg Do Q")
            resources = generic.DictionaryObject(
                {generic.NameObject("/XObject"): generic.DictionaryObject({generic.NameObject("/Pg"): xobject})}
            )
            new_page = generic.DictionaryObject(
                {
                    generic.NameObject("/Type"): generic.NameObject("/Page"),
                    generic.NameObject("/MediaBox"): generic.ArrayObject([generic.FloatObject(v) for v in box]),
                    generic.NameObject("/Resources"): resources,
                    generic.NameObject("/Contents"): writer.add_object(content),
                }
            )
            writer.insert_page(new_page)
            if space is not None and space[0] == page_index:
                anchor = (written, space[1], space[2])
            written += 1
    if anchor is not None:
        page_ref = writer.find_page_for_modification(anchor[0])[0]
        destination = generic.ArrayObject(
            [page_ref, generic.NameObject("/XYZ"), generic.FloatObject(anchor[1]),
             generic.FloatObject(anchor[2]), generic.NumberObject(0)]
        )  # fmt: skip
        writer.root[generic.NameObject("/Names")] = generic.DictionaryObject(
            {
                generic.NameObject("/Dests"): generic.DictionaryObject(
                    {
                        generic.NameObject("/Names"): generic.ArrayObject(
                            [generic.pdf_string(pdf.SIGNATURE_ANCHOR), destination]
                        )
                    }
                )
            }
        )
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
