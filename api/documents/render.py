"""Fill a filing's Word template (docxtpl) with a document's values.

The templates live in the package (`templates/`, built by `build_templates.py`); a file of
the same name in `<instance>/documents/` replaces the package's, so that an installation can
print on its own letterhead without a release.
"""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import quote

from docxtpl import DocxTemplate
from flask import Response, current_app

from workflow.usecases.paperwork.documents import Document

PACKAGED = Path(__file__).resolve().parent / "templates"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def template_path(name: str) -> Path:
    replaced = Path(current_app.instance_path) / "documents" / f"{name}.docx"
    return replaced if replaced.is_file() else PACKAGED / f"{name}.docx"


def render(document: Document) -> bytes:
    template = DocxTemplate(str(template_path(document.template)))
    template.render(document.context, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def attachment(body: bytes, filename: str, mimetype: str) -> Response:
    """A download, its Chinese file name given as RFC 6266 asks (ASCII fallback first)."""
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_")
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": disposition})


def docx_response(document: Document) -> Response:
    return attachment(render(document), document.filename, DOCX)
