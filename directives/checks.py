"""System checks for what official PDFs depend on."""

from django.core.checks import Error, register

from directives import pdf


@register()
def check_pdf_fonts(app_configs, **kwargs):
    """The bundled fonts and stylesheet must exist: WeasyPrint would silently substitute another font."""
    needed = [pdf.font_path(face) for face in pdf.FONT_FILES] + [
        pdf.static_dir() / "pdf" / name for name in ("document.css", "fonts.css")
    ]
    missing = [str(path) for path in needed if not path.is_file()]
    if missing:
        return [
            Error(
                "Official PDFs need the bundled Liberation Serif fonts and stylesheet.",
                hint="Missing: " + ", ".join(missing),
                id="directives.E001",
            )
        ]
    return []
