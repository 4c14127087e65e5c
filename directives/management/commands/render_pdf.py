import argparse
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directives import official_pdf, pdf
from directives.models import Document, IssuedPdf
from directives.schema import document_as_schema


class Command(BaseCommand):
    help = (
        "Render a document's official PDF (Decree 30/2020 layout). "
        "Either --from-json FILE (a dict shaped like document.schema.json) or a DOCUMENT_ID. "
        "--retry-failed renders again every issued document whose official PDF failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("document_id", nargs="?", type=int, help="a stored document's id")
        parser.add_argument("--from-json", dest="from_json", type=Path, help="a JSON file shaped like the schema")
        parser.add_argument("--out", type=Path, help="where to write the PDF")
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="render again, here and now, every official PDF that failed; exit 1 if any fails again",
        )
        parser.add_argument(
            "--draft",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="force (--draft) or suppress (--no-draft) the DỰ THẢO mark; default: a draft if unnumbered",
        )

    def handle(self, *args, document_id=None, from_json=None, out=None, draft=None, retry_failed=False, **options):
        if retry_failed:
            return self._retry_failed()
        if out is None:
            raise CommandError("Cần --out TỆP: nơi ghi bản PDF.")
        if (document_id is None) == (from_json is None):
            raise CommandError("Cần đúng một nguồn: mã văn bản hoặc --from-json TỆP.")
        document = self._read_json(from_json) if from_json else self._stored(document_id)
        try:
            pdf.validate_document(document)
            content = pdf.render_pdf(document, draft=draft)
        except pdf.DocumentDataError as exc:
            raise CommandError(f"{exc.message} Không ghi tệp PDF.") from exc
        # Written only after a successful render, so a failure never leaves a partial file.
        out.write_bytes(content)
        self.stdout.write(f"Đã ghi {out} ({len(content):,} byte).")

    def _retry_failed(self) -> None:
        """Report how many were retried, rendered and failed again; fail the command if any did."""
        documents = official_pdf.issued_pdfs_retry_failed()
        states = [official_pdf.issued_pdf_render(document_id) for document_id in documents]
        failed = [d for d, state in zip(documents, states, strict=True) if state != IssuedPdf.State.READY]
        self.stdout.write(
            f"Tạo lại bản PDF chính thức: thử {len(documents)}, thành công {len(documents) - len(failed)}, "
            f"lỗi {len(failed)}."
        )
        if failed:
            raise CommandError(f"Vẫn chưa tạo được bản PDF của văn bản mã {', '.join(map(str, failed))}.")

    def _stored(self, document_id: int) -> dict:
        document = Document.objects.select_related("agency", "doc_type", "signer").filter(pk=document_id).first()
        if document is None:
            raise CommandError(f"Không có văn bản mã {document_id}.")
        return document_as_schema(document)

    def _read_json(self, path: Path) -> dict:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CommandError(f"Không tìm thấy tệp: {path}") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"Tệp {path} không phải JSON hợp lệ (UTF-8): {exc}") from exc
