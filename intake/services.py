"""Every write of the intake app.

Reading a received file (issue #17): ``reading_create`` keeps the file and reads it at once
when that is cheap (text, a PDF's text layer, .docx); a scan, an image or an old .doc waits as a
PENDING ``Reading`` for ``reading_read`` (the job in ``intake.jobs``), which reads it once.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from directives.permissions import can_register_incoming
from intake import extract, parser
from intake.models import Reading
from lib.errors import DomainError, NotAllowed
from lib.uploads import UploadRefused, allowed_kinds, upload_checked
from ops.background import CLAIM_TTL, WorkKind, backoff, oldest_due_of, requeue_due, wake
from units.models import Agency, Organisation, Unit, User

log = logging.getLogger(__name__)

# The kinds a received document may come as: lib.uploads codes.
READING_KINDS = ("pdf", "docx", "doc", "txt", "jpg", "png", "tif")
MAX_READ_ATTEMPTS = 3  # then the reading is FAILED and the clerk types the fields
MAX_PASTED_CHARS = 500_000


def _token(word: str) -> str:
    return word.strip(".,;:!?()[]{}'\"«»“”")


def fields_parse(text: str, *, agency: Agency, low_confidence_words: list[str] = ()) -> dict[str, Any]:
    """The parser's fields for ``text``, with the agency's units and the known organisations.

    OCR's unsure words are kept under ``low_confidence_words``, and every top-level field whose
    value contains one is added to ``uncertain`` (the screen marks those fields).
    """
    units = list(Unit.objects.filter(agency=agency, is_active=True))
    organisations = list(Organisation.objects.filter(is_active=True))
    fields = parser.parse(text, units=units, organisations=organisations, agency=agency)
    if low_confidence_words:
        unsure = {_token(word) for word in low_confidence_words if sum(ch.isalnum() for ch in word) >= 2}
        uncertain = list(fields.get("uncertain") or [])
        for name, value in fields.items():
            if name in ("uncertain", "body") or name in uncertain or value in (None, "", [], {}):
                continue
            if unsure & {_token(word) for word in str(value).split()}:
                uncertain.append(name)
        fields["uncertain"] = uncertain
        fields["low_confidence_words"] = list(low_confidence_words)
    return fields


def _refusal(message: str, name: str) -> UploadRefused:
    return UploadRefused(message, {"file": name, "reason": "unreadable"})


def reading_create(*, by: User, file=None, text: str | None = None) -> Reading:
    """Keep a received file (or pasted text) and read it; answer the ``Reading``.

    Only the agency's registering clerks may. The file passes ``upload_checked`` (PDF, DOCX,
    DOC, TXT, JPG, PNG, TIFF) and is stored byte for byte with its SHA-256. Pasted text, a text
    file, a PDF with a text layer and a .docx are read and parsed now (DONE). A scan, an image
    or a .doc is left PENDING and the reading job is queued after commit. A file that cannot be
    read raises ``UploadRefused`` (Vietnamese) and nothing is stored.
    """
    if not can_register_incoming(by):
        raise NotAllowed("Chỉ văn thư vào sổ văn bản đến của cơ quan được đọc văn bản đến.")
    if (file is None) == (text is None):
        raise DomainError("Hãy gửi một tệp văn bản hoặc dán nội dung văn bản (chỉ một trong hai).")
    agency = by.agency
    if text is not None:
        text = extract.text_read(text).text.strip()  # NFC; TCVN3/VNI mojibake converted
        if not text:
            raise DomainError("Nội dung văn bản dán vào đang trống.")
        if len(text) > MAX_PASTED_CHARS:
            raise DomainError("Nội dung dán vào quá dài (tối đa 500.000 ký tự).")
        reading = Reading(
            agency=agency, created_by=by, state=Reading.State.DONE, method=Reading.Method.TEXT, text=text,
            fields=fields_parse(text, agency=agency),
        )  # fmt: skip
        reading.full_clean()
        reading.save()
        return reading

    upload = upload_checked(file, allowed=READING_KINDS)
    if upload.kind not in allowed_kinds(READING_KINDS):  # a file staged for another purpose
        raise _refusal(f"Tệp «{upload.original_name}» không phải loại văn bản đọc được.", upload.original_name)
    upload.file.seek(0)
    data = upload.file.read()
    name = upload.original_name
    slow = extract.kind_of(data) == "doc"  # LibreOffice takes seconds: the job converts it
    try:
        extracted = None if slow else extract.text_of(data, name=name)
    except extract.Unreadable as error:
        raise _refusal(error.message, name) from error
    with transaction.atomic():
        reading = Reading(
            agency=agency, created_by=by, file=upload.as_file(), name=name, size=upload.size, sha256=upload.sha256
        )
        if extracted is None or extracted.needs_ocr:
            reading.state = Reading.State.PENDING
            reading.method = Reading.Method.DOC if slow else Reading.Method.OCR
            reading.due_at = timezone.now()
        else:
            reading.state = Reading.State.DONE
            reading.method = extracted.method
            reading.text = extracted.text
            reading.fields = fields_parse(extracted.text, agency=agency)
        reading.full_clean(exclude=["file"])  # the file is checked above; its name is given on save
        reading.save()
        if reading.state == Reading.State.PENDING:
            pk = reading.pk
            transaction.on_commit(lambda: reading_wake(pk))
    return reading


def reading_wake(reading_id: int) -> bool:
    """Publish a wake-up for the reading job; never raises (the row is the job)."""
    from intake import jobs

    return wake(lambda: jobs.reading_read.delay(reading_id), what=f"the reading {reading_id}")


def reading_read(reading_id: int, *, now: datetime | None = None) -> str:
    """Read a PENDING reading's file (OCR for a scan, LibreOffice for a .doc), parse it, save;
    answer its state.

    The row is the job: it is claimed by a conditional update (PENDING, due, and unclaimed or
    claimed more than ``CLAIM_TTL`` ago), so a doubled wake-up reads nothing twice. A failure
    puts it back with a later due time for the recovery job; after ``MAX_READ_ATTEMPTS`` (or at
    once for a file that cannot be read at all) it is FAILED with a Vietnamese ``error``.
    """
    now = now or timezone.now()
    pending = Reading.objects.filter(pk=reading_id, state=Reading.State.PENDING)
    claimed = pending.filter(Q(claimed_at=None) | Q(claimed_at__lt=now - CLAIM_TTL)).update(
        claimed_at=now, attempts=F("attempts") + 1
    )
    reading = Reading.objects.select_related("agency").filter(pk=reading_id).first()
    if reading is None or not claimed:
        return reading.state if reading else "gone"
    try:
        with reading.file.open("rb") as stored:
            data = stored.read()
        extracted = extract.text_of(data, name=reading.name)
        if extracted.needs_ocr:
            extracted = extract.ocr(data, name=reading.name)
        fields = fields_parse(
            extracted.text, agency=reading.agency, low_confidence_words=extracted.low_confidence_words
        )
    except extract.Unreadable as error:
        # The file will not read better next time: the clerk is told now.
        Reading.objects.filter(pk=reading.pk, state=Reading.State.PENDING).update(
            state=Reading.State.FAILED, error=error.message, claimed_at=None
        )
        return Reading.State.FAILED
    except Exception:
        log.exception("reading %s failed (attempt %s)", reading_id, reading.attempts)
        final = reading.attempts >= MAX_READ_ATTEMPTS
        Reading.objects.filter(pk=reading.pk, state=Reading.State.PENDING).update(
            state=Reading.State.FAILED if final else Reading.State.PENDING,
            error="Không đọc được tệp sau nhiều lần thử; hãy nhập các trường bằng tay." if final else "",
            claimed_at=None,
            due_at=timezone.now() + backoff(reading.attempts),
        )
        return Reading.State.FAILED if final else Reading.State.PENDING
    # Only the claim that is still PENDING records its answer: a second worker whose claim
    # outlived the TTL finds the row DONE and changes nothing.
    Reading.objects.filter(pk=reading.pk, state=Reading.State.PENDING).update(
        state=Reading.State.DONE, method=extracted.method, text=extracted.text, confidence=extracted.confidence,
        fields=fields, error="", claimed_at=None,
    )  # fmt: skip
    return Reading.State.DONE


def readings_requeue(now: datetime) -> int:
    """The recovery job's part for readings: wake the job for each due, unclaimed (or abandoned) one."""
    pending = Reading.objects.filter(state=Reading.State.PENDING)
    return requeue_due(pending, now, key="pk", wake=reading_wake, limit=100)


def readings_oldest_due(now: datetime) -> datetime | None:
    return oldest_due_of(Reading.objects.filter(state=Reading.State.PENDING), now)


READINGS = WorkKind(name="readings", oldest_due=readings_oldest_due, recover=readings_requeue)
