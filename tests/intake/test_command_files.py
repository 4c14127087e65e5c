"""``import_document --json`` on the kinds of file a Sở receives, with the real extraction, OCR
and parser (issue #17, "Done when"): a text file, a PDF with a text layer, a .docx and a scanned
PDF of the held-out set. The answer is JSON following document.schema.json, nothing else on
stdout, and its header fields are the ones written by hand for the document."""

import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command

from units.models import Organisation, Unit

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ROOT / "tests" / "fixtures" / "documents"
SCHEMA = json.loads((ROOT / "docs" / "schemas" / "document.schema.json").read_text(encoding="utf-8"))
HEADER = ("doc_type", "type_abbr", "number", "symbol", "issued_on", "urgency", "confidentiality")


@pytest.fixture
def directory(agency):
    """The receiving agency's units and the known outside bodies of the fixtures' directory."""
    known = json.loads((DOCUMENTS / "directory.json").read_text(encoding="utf-8"))
    for unit in known["units"]:
        Unit.objects.create(
            agency=agency, name=unit["name"], abbreviation=unit.get("abbreviation", ""),
            aliases="\n".join(unit.get("aliases", [])), kind=unit["kind"],
        )  # fmt: skip
    for organisation in known["organisations"]:
        Organisation.objects.get_or_create(
            name=organisation["name"], defaults={"abbreviation": organisation.get("abbreviation", "")}
        )
    return agency


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "ho-01-cv-ubnd-an-toan-thong-tin.txt",
        "ho-02-kh-skhcn-chuyen-doi-so.pdf",
        "ho-03-qd-skhcn-to-cong-tac.docx",
        "ho-08-cv-mat-cong-an-tinh.pdf",  # a scan: no text layer, read by OCR
    ],
)
def test_json_of_a_received_file_follows_the_schema_and_has_its_header(name, directory):
    path = DOCUMENTS / "held-out" / name
    out, err = io.StringIO(), io.StringIO()
    call_command("import_document", str(path), "--json", "--agency", "SKHCN", stdout=out, stderr=err)
    answer = json.loads(out.getvalue())  # stdout is the JSON alone
    jsonschema.validate(answer, SCHEMA)
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    assert {key: answer[key] for key in HEADER} == {key: expected[key] for key in HEADER}
    assert answer["subject"] and answer["body"]
