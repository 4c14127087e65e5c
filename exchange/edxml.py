"""edXML packages and status messages of the document-exchange network (docs/exchange.md).

Two envelope shapes are read; the one asked is written: QCVN 102:2016/BTTTT (``qcvn102``, the
default) and the older VDXP one (``vdxp``). Building uses the standard library; reading goes
through defusedxml only, since a package comes from outside: entity expansion, external
entities and DTDs are refused before anything is read. Every package and status is validated
the same way whether built or read, so the portal neither sends nor accepts what it would refuse.
"""

import base64
import binascii
import re
import xml.etree.ElementTree as ET  # nosec B405 - builds XML only; every read goes through defusedxml
from dataclasses import dataclass, field
from datetime import date, datetime

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.conf import settings

QCVN102_NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
VDXP_NS = "http://www.go.vn/eDoc"
SHAPES = {"qcvn102": QCVN102_NS, "vdxp": VDXP_NS}

# Decision 20/2020/QĐ-TTg: up to 35 characters of 0-9, A-Z and ".".
IDENTIFIER = re.compile(r"[0-9A-Z.]{1,35}")

# Our limits where a published one is known (Subject, DocumentId), else our own columns' widths.
LIMITS = {
    "Subject": 500,
    "DocumentId": 15,
    "CodeNumber": 11,
    "CodeNotation": 60,
    "OrganName": 255,
    "Place": 100,
    "TypeName": 100,
    "FullName": 150,
    "Position": 100,
    "AttachmentName": 255,
}

# Our urgency (directives.models.Urgency) and the package's Priority: 0 thường, 1 khẩn,
# 2 thượng khẩn, 3 hỏa tốc (docs/exchange.md).
PRIORITIES = {"0": "", "1": "khan", "2": "thuong_khan", "3": "hoa_toc"}

STATUS_LABELS = {
    "01": "Đã đến",
    "02": "Từ chối tiếp nhận",
    "03": "Đã tiếp nhận",
    "04": "Phân công",
    "05": "Đang xử lý",
    "06": "Hoàn thành",
    "13": "Yêu cầu lấy lại",
    "15": "Đồng ý lấy lại",
    "16": "Từ chối lấy lại",
}


class PackageInvalid(Exception):
    """A package or status message that breaks the format; ``errors`` are Vietnamese sentences."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class Party:
    organ_id: str
    name: str
    in_charge: str = ""


@dataclass
class Signer:
    competence: str = ""
    position: str = ""
    full_name: str = ""


@dataclass
class Attachment:
    content_id: str
    name: str
    content_type: str
    data: bytes
    description: str = ""


@dataclass
class Package:
    from_: Party | None
    to: list[Party]
    code_number: str
    code_notation: str
    promulgation_date: date | None
    doc_type: str
    subject: str
    document_id: str = ""
    place: str = ""
    content: str = ""
    signer: Signer = field(default_factory=Signer)
    due_date: date | None = None
    to_places: list[str] = field(default_factory=list)
    priority: str = "0"
    steering_type: str = ""
    response_for: str = ""
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class Status:
    code: str
    from_: Party | None
    to: Party | None
    document_id: str
    code_notation: str
    timestamp: datetime | None
    description: str = ""
    staff: str = ""

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.code, "")


# --- validation ---


def _party_errors(party: Party | None, role: str) -> list[str]:
    if party is None:
        return [f"Thiếu {role} (phần tử {'From' if role == 'cơ quan gửi' else 'To'})."]
    errors = []
    if not party.organ_id:
        errors.append(f"Thiếu mã định danh của {role}.")
    elif not IDENTIFIER.fullmatch(party.organ_id):
        errors.append(
            f"Mã định danh «{party.organ_id}» của {role} không hợp lệ: chỉ gồm chữ in hoa A–Z, chữ số"
            " và dấu chấm, tối đa 35 ký tự."
        )
    if not party.name.strip():
        errors.append(f"Thiếu tên của {role}.")
    errors += _length_errors({"OrganName": party.name})
    return errors


def _length_errors(values: dict[str, str]) -> list[str]:
    return [
        f"{name} dài {len(value)} ký tự, quá giới hạn {LIMITS[name]} ký tự."
        for name, value in values.items()
        if len(value) > LIMITS[name]
    ]


def package_validate(package: Package) -> list[str]:
    """Every rule a package breaks, in Vietnamese; an empty list when it is valid."""
    errors = _party_errors(package.from_, "cơ quan gửi")
    if not package.to:
        errors.append("Gói tin phải có ít nhất một cơ quan nhận (phần tử To).")
    seen = set()
    for party in package.to:
        errors += _party_errors(party, "cơ quan nhận")
        if party.organ_id and party.organ_id in seen:
            errors.append(f"Cơ quan nhận «{party.organ_id}» bị lặp.")
        seen.add(party.organ_id)
    required = {
        "số, ký hiệu (CodeNotation)": package.code_notation,
        "trích yếu (Subject)": package.subject,
        "loại văn bản (DocumentType)": package.doc_type,
    }
    errors += [f"Thiếu {label}." for label, value in required.items() if not value.strip()]
    if package.promulgation_date is None:
        errors.append("Thiếu ngày ban hành (PromulgationDate).")
    if package.code_number and not package.code_number.isdigit():
        errors.append(f"Số văn bản (CodeNumber) «{package.code_number}» phải là chữ số.")
    if package.priority not in PRIORITIES:
        errors.append(f"Độ khẩn (Priority) «{package.priority}» không hợp lệ.")
    errors += _length_errors(
        {
            "Subject": package.subject,
            "DocumentId": package.document_id,
            "CodeNumber": package.code_number,
            "CodeNotation": package.code_notation,
            "Place": package.place,
            "TypeName": package.doc_type,
            "FullName": package.signer.full_name,
            "Position": package.signer.position,
        }
    )
    ids = set()
    for attachment in package.attachments:
        if not attachment.content_id:
            errors.append("Một tệp đính kèm thiếu ContentId.")
        elif attachment.content_id in ids:
            errors.append(f"ContentId «{attachment.content_id}» bị lặp.")
        ids.add(attachment.content_id)
        if not attachment.name.strip():
            errors.append(f"Tệp đính kèm «{attachment.content_id}» thiếu tên (AttachmentName).")
        errors += _length_errors({"AttachmentName": attachment.name})
        if len(attachment.data) > settings.UPLOAD_MAX_BYTES:
            errors.append(
                f"Tệp «{attachment.name}» lớn hơn {settings.UPLOAD_MAX_BYTES // 2**20} MB, quá giới hạn cho phép."
            )
    return errors


def status_validate(status: Status) -> list[str]:
    errors = _party_errors(status.from_, "cơ quan gửi")
    errors += _party_errors(status.to, "cơ quan nhận")
    if status.code not in STATUS_LABELS:
        errors.append(f"Mã trạng thái «{status.code}» không hợp lệ.")
    if not (status.document_id or status.code_notation):
        errors.append("Thông điệp trạng thái phải nêu văn bản (DocumentId hoặc CodeNotation).")
    if status.timestamp is None or status.timestamp.tzinfo is None:
        errors.append("Thiếu thời điểm (Timestamp) có múi giờ.")
    if status.code in ("02", "16") and not status.description.strip():
        errors.append("Từ chối phải nêu lý do (Description).")
    errors += _length_errors({"DocumentId": status.document_id, "CodeNotation": status.code_notation})
    return errors


# --- building ---


class _Writer:
    def __init__(self, shape: str) -> None:
        if shape not in SHAPES:
            raise ValueError(f"unknown edXML shape {shape!r}")
        self.shape = shape
        self.ns = SHAPES[shape]

    def tag(self, name: str) -> str:
        return f"{{{self.ns}}}{name}"

    def add(self, parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
        element = ET.SubElement(parent, self.tag(name))
        if text is not None:
            element.text = text
        return element

    def party(self, parent: ET.Element, name: str, party: Party) -> None:
        element = self.add(parent, name)
        self.add(element, "OrganId", party.organ_id)
        in_charge = "OrganizationInCharge" if self.shape == "qcvn102" else "OrganInCharge"
        self.add(element, in_charge, party.in_charge)
        self.add(element, "OrganName", party.name)


def _day(value: date | None, shape: str) -> str:
    """YYYY/MM/DD in the QCVN 102 shape, as its public clients write it; ISO in the VDXP one."""
    if value is None:
        return ""
    return value.strftime("%Y/%m/%d") if shape == "qcvn102" else value.isoformat()


def _serialise(root: ET.Element, shape: str) -> bytes:
    if shape == "vdxp":  # one default namespace, as its users write it
        return ET.tostring(root, encoding="utf-8", xml_declaration=True, default_namespace=VDXP_NS)
    ET.register_namespace("edXML", QCVN102_NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def package_build(package: Package, shape: str = "qcvn102") -> bytes:
    """The package as edXML bytes in ``shape``; PackageInvalid when it breaks a rule."""
    w = _Writer(shape)
    if errors := package_validate(package):
        raise PackageInvalid(errors)
    if shape == "qcvn102":
        root = ET.Element(w.tag("edXML"))
        envelope = w.add(root, "edXMLEnvelope")
        header = w.add(w.add(envelope, "edXMLHeader"), "MessageHeader")
        manifest = w.add(w.add(envelope, "edXMLBody"), "edXMLManifest")
    else:
        root = envelope = ET.Element(w.tag("EdXMLEnvelope"))
        header = w.add(w.add(envelope, "EdXMLHeader"), "MessageHeader")
        manifest = w.add(w.add(envelope, "EdXMLBody"), "Manifest")
    w.party(header, "From", package.from_)
    for party in package.to:
        w.party(header, "To", party)
    w.add(header, "DocumentId", package.document_id)
    code = w.add(header, "Code")
    w.add(code, "CodeNumber", package.code_number)
    w.add(code, "CodeNotation", package.code_notation)
    promulgation = w.add(header, "PromulgationInfo")
    w.add(promulgation, "Place", package.place)
    w.add(promulgation, "PromulgationDate", _day(package.promulgation_date, shape))
    w.add(w.add(header, "DocumentType"), "TypeName", package.doc_type)
    w.add(header, "Subject", package.subject)
    w.add(header, "Content", package.content)
    signer = w.add(header, "SignerInfo")
    w.add(signer, "Competence", package.signer.competence)
    w.add(signer, "Position", package.signer.position)
    w.add(signer, "FullName", package.signer.full_name)
    if package.due_date:  # a date-typed element is left out rather than sent empty
        w.add(header, "DueDate", _day(package.due_date, shape))
    places = w.add(header, "ToPlaces")
    for place in package.to_places:
        w.add(places, "Place", place)
    w.add(w.add(header, "OtherInfo"), "Priority", package.priority)
    w.add(header, "SteeringType", package.steering_type)
    if package.response_for:
        w.add(w.add(header, "ResponseFor"), "DocumentId", package.response_for)
    # The files themselves travel beside the envelope, matched to the manifest by ContentId; in
    # the QCVN 102 shape AttachmentEncoded carries no namespace, as the clients we read write it.
    bare = shape == "qcvn102"
    encoded = ET.SubElement(root, "AttachmentEncoded" if bare else w.tag("AttachmentEncoded"))
    for attachment in package.attachments:
        reference = w.add(manifest, "Reference")
        w.add(reference, "ContentId", attachment.content_id)
        w.add(reference, "ContentType", attachment.content_type)
        w.add(reference, "AttachmentName", attachment.name)
        w.add(reference, "Description", attachment.description)
        item = ET.SubElement(encoded, "Attachment" if bare else w.tag("Attachment"))
        ET.SubElement(item, "ContentId" if bare else w.tag("ContentId")).text = attachment.content_id
        ET.SubElement(
            item, "ContentTransferEncoded" if bare else w.tag("ContentTransferEncoded")
        ).text = base64.b64encode(attachment.data).decode("ascii")
    return _serialise(root, shape)


def status_build(status: Status, shape: str = "qcvn102") -> bytes:
    """The status message as edXML bytes in ``shape``; PackageInvalid when it breaks a rule."""
    w = _Writer(shape)
    if errors := status_validate(status):
        raise PackageInvalid(errors)
    root = ET.Element(w.tag("Status"))
    header = w.add(root, "Header")
    w.party(header, "From", status.from_)
    w.party(header, "To", status.to)
    w.add(header, "DocumentId", status.document_id)
    w.add(w.add(header, "Code"), "CodeNotation", status.code_notation)
    w.add(root, "StatusCode", status.code)
    w.add(root, "Description", status.description)
    w.add(root, "Timestamp", status.timestamp.isoformat())
    w.add(w.add(root, "Staff"), "FullName", status.staff)
    return _serialise(root, shape)


# --- reading ---


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element, name: str):
    """The first direct child called ``name`` in any namespace (or none), or None."""
    if element is None:
        return None
    return next((child for child in element if _local(child.tag) == name), None)


def _children(element, name: str) -> list:
    return [] if element is None else [child for child in element if _local(child.tag) == name]


def _find(element, name: str):
    """The first descendant called ``name`` in any namespace: shapes nest the header differently."""
    return next((node for node in element.iter() if _local(node.tag) == name), None)


def _text(element, *path: str) -> str:
    for name in path:
        element = _child(element, name)
    return (element.text or "").strip() if element is not None else ""


def _parse(data: bytes):
    if len(data) > settings.UPLOAD_ARCHIVE_MAX_BYTES:
        raise PackageInvalid(
            [f"Gói tin lớn hơn {settings.UPLOAD_ARCHIVE_MAX_BYTES // 2**20} MB, quá giới hạn cho phép."]
        )
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise PackageInvalid(["Gói tin chứa khai báo DTD hoặc thực thể XML, không được chấp nhận."]) from None
    except ET.ParseError as error:
        raise PackageInvalid([f"Gói tin không phải XML hợp lệ ({error})."]) from None


def _date(text: str, label: str, errors: list[str]) -> date | None:
    if not text:
        return None
    # Public QCVN 102 clients write YYYY/MM/DD; others ISO dates, sometimes with a time after.
    try:
        return date.fromisoformat(text[:10].replace("/", "-"))
    except ValueError:
        errors.append(f"{label} «{text}» không phải ngày hợp lệ (YYYY/MM/DD hoặc YYYY-MM-DD).")
        return None


def _party(element) -> Party | None:
    if element is None:
        return None
    return Party(
        organ_id=_text(element, "OrganId"),
        name=_text(element, "OrganName"),
        in_charge=_text(element, "OrganizationInCharge") or _text(element, "OrganInCharge"),
    )


def package_shape(data: bytes) -> str:
    """``qcvn102`` or ``vdxp``: the shape of a package already read safely."""
    root = _parse(data)
    return "vdxp" if root.tag.startswith(f"{{{VDXP_NS}}}") or _local(root.tag) == "EdXMLEnvelope" else "qcvn102"


def package_read(data: bytes) -> Package:
    """The package in ``data`` (either shape), validated; PackageInvalid lists every fault."""
    errors: list[str] = []
    root = _parse(data)
    if _local(root.tag) not in ("edXML", "EdXMLEnvelope"):
        raise PackageInvalid([f"Gốc «{_local(root.tag)}» không phải gói tin edXML."])
    header = _find(root, "MessageHeader")
    if header is None:
        raise PackageInvalid(["Gói tin thiếu phần đầu (MessageHeader)."])
    promulgation = _child(header, "PromulgationInfo")
    package = Package(
        from_=_party(_child(header, "From")),
        to=[_party(element) for element in _children(header, "To")],
        document_id=_text(header, "DocumentId"),
        code_number=_text(header, "Code", "CodeNumber"),
        code_notation=_text(header, "Code", "CodeNotation"),
        place=_text(promulgation, "Place") or _text(promulgation, "Promulgator"),
        promulgation_date=_date(_text(promulgation, "PromulgationDate"), "Ngày ban hành", errors),
        doc_type=_text(header, "DocumentType", "TypeName") or _text(header, "DocumentType"),
        subject=_text(header, "Subject"),
        content=_text(header, "Content"),
        signer=Signer(
            competence=_text(header, "SignerInfo", "Competence"),
            position=_text(header, "SignerInfo", "Position"),
            full_name=_text(header, "SignerInfo", "FullName"),
        ),
        due_date=_date(_text(header, "DueDate"), "Hạn xử lý", errors),
        to_places=[(e.text or "").strip() for e in _children(_child(header, "ToPlaces"), "Place")],
        priority=_text(header, "OtherInfo", "Priority") or "0",
        steering_type=_text(header, "SteeringType"),
        response_for=_text(header, "ResponseFor", "DocumentId"),
        attachments=_attachments(root, errors),
    )
    errors += package_validate(package)
    if errors:
        raise PackageInvalid(errors)
    return package


def _content_id(element) -> str:
    """The ContentId without the ``cid:`` some clients put before it in the manifest only."""
    value = _text(element, "ContentId")
    return value[4:] if value.lower().startswith("cid:") else value


def _attachments(root, errors: list[str]) -> list[Attachment]:
    """The manifest's files, each matched to its encoded content by ContentId.

    A name, type or description missing from the manifest is taken from the encoded file, where
    some clients repeat them.
    """
    listed = [node for node in root.iter() if _local(node.tag) == "Reference"]
    encoded = {}
    for node in _children(_find(root, "AttachmentEncoded"), "Attachment"):
        content_id = _content_id(node)
        if content_id in encoded:
            errors.append(f"Nội dung tệp «{content_id}» bị gửi hai lần.")
        encoded[content_id] = node
    attachments = []
    for reference in listed:
        content_id = _content_id(reference)
        node = encoded.pop(content_id, None)
        name = _text(reference, "AttachmentName") or _text(node, "AttachmentName")
        if node is None:
            errors.append(f"Tệp «{name or content_id}» có trong danh mục nhưng thiếu nội dung.")
            continue
        try:
            data = base64.b64decode("".join(_text(node, "ContentTransferEncoded").split()), validate=True)
        except (binascii.Error, ValueError):
            errors.append(f"Nội dung tệp «{name or content_id}» không phải base64 hợp lệ.")
            continue
        attachments.append(
            Attachment(
                content_id=content_id,
                name=name,
                content_type=_text(reference, "ContentType") or _text(node, "ContentType"),
                description=_text(reference, "Description") or _text(node, "Description"),
                data=data,
            )
        )
    errors += [f"Tệp «{content_id}» không có trong danh mục (edXMLManifest)." for content_id in encoded]
    return attachments


def status_read(data: bytes) -> Status:
    """The status message in ``data`` (either shape), validated; PackageInvalid lists every fault."""
    errors: list[str] = []
    root = _parse(data)
    if _local(root.tag) != "Status":
        raise PackageInvalid([f"Gốc «{_local(root.tag)}» không phải thông điệp trạng thái."])
    header = _child(root, "Header")
    stamp = _text(root, "Timestamp")
    try:
        timestamp = datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        errors.append(f"Thời điểm «{stamp}» không hợp lệ.")
        timestamp = None
    status = Status(
        code=_text(root, "StatusCode"),
        from_=_party(_child(header, "From")),
        to=_party(_child(header, "To")),
        document_id=_text(header, "DocumentId"),
        code_notation=_text(header, "Code", "CodeNotation"),
        timestamp=timestamp,
        description=_text(root, "Description"),
        staff=_text(root, "Staff", "FullName"),
    )
    # A timestamp that is there but unreadable is reported once, above.
    unreadable = bool(stamp) and timestamp is None
    errors += [e for e in status_validate(status) if not (unreadable and "Timestamp" in e)]
    if errors:
        raise PackageInvalid(errors)
    return status
