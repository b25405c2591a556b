"""Checks of every uploaded file (docs/quality.md IO5): allow-list by extension and content, size limit.

One place for the rule, used by meeting materials and subsidy attachments alike. Files are then
stored through Django's storage API under generated names and served only by views that check
access, never from MEDIA_URL.

PDFs with active content are refused, not cleaned: JavaScript (/JavaScript, /JS), actions run on
opening or on events (/OpenAction, /AA), launching programs (/Launch), form submission or import,
embedded files (/EmbeddedFile(s)), rich media and XFA forms. Refusing is the simple, certain
rule: a stripped file could still hide what a stripping tool missed, and the person who made the
PDF can export it again without scripts (「PDFとして保存」 / 印刷 → PDF).
"""

from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Extension -> the magic bytes its content must start with, and the type it is served as.
UPLOAD_TYPES: dict[str, tuple[tuple[bytes, ...], str]] = {
    "pdf": ((b"%PDF-",), "application/pdf"),
    "png": ((b"\x89PNG\r\n\x1a\n",), "image/png"),
    "jpg": ((b"\xff\xd8\xff",), "image/jpeg"),
    "jpeg": ((b"\xff\xd8\xff",), "image/jpeg"),
    "docx": ((b"PK\x03\x04",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ((b"PK\x03\x04",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


# Dictionary keys, and action types (/S values), that make a PDF active.
PDF_ACTIVE_KEYS = frozenset(
    {"/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA"}
)
PDF_ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute", "/GoToE", "/Rendition"}
)
# A PDF with more objects than this is not walked to the end but refused as suspicious.
PDF_MAX_OBJECTS = 500_000


def pdf_active_content(data: bytes) -> str | None:
    """The first active element found in a PDF (e.g. "/OpenAction"), or None when there is none.

    Walks every object reachable from the trailer (document catalogue, pages, annotations,
    name trees, object streams included), so compressed or hex-escaped names are found too.
    Raises ValueError when the file cannot be parsed.
    """
    import io

    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        return None  # encrypted files are refused elsewhere (materials) or cannot be checked
    stack = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    count = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            obj = obj.get_object()
        count += 1
        if count > PDF_MAX_OBJECTS:
            return "too many objects"
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if key in PDF_ACTIVE_KEYS:
                    return str(key)
                if key == "/S" and isinstance(value, NameObject) and value in PDF_ACTIVE_ACTIONS:
                    return str(value)
                if key == "/Type" and value == "/EmbeddedFile":
                    return "/EmbeddedFile"
                if isinstance(value, (DictionaryObject, ArrayObject, IndirectObject)):
                    stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(item for item in obj if isinstance(item, (DictionaryObject, ArrayObject, IndirectObject)))
    return None


def check_pdf_active_content(uploaded) -> None:
    """Refuse a PDF with scripts, automatic actions or embedded files (error code upload_active_content)."""
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    try:
        found = pdf_active_content(data)
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds of errors on broken files
        raise ValidationError(_("The PDF file is damaged."), code="upload_damaged") from exc
    if found:
        raise ValidationError(
            _(
                "This PDF contains scripts, automatic actions or embedded files (%(element)s), which are not "
                "accepted. Save it again as a plain PDF (for example with “Print to PDF”) and upload that file."
            ),
            code="upload_active_content",
            params={"element": found.lstrip("/")},
        )


def upload_content_type(extension: str) -> str:
    return UPLOAD_TYPES[extension][1]


def check_upload(uploaded, *, allowed: Collection[str]) -> str:
    """Refuse a file whose extension is not allowed, whose content does not match it, or that is too large.

    Returns the lower-case extension. Error codes: upload_type, upload_too_large, upload_content,
    and for PDFs upload_active_content and upload_damaged.
    """
    name = uploaded.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in allowed:
        raise ValidationError(
            _("Upload a file of one of these types: %(types)s."),
            code="upload_type",
            params={"types": ", ".join(f".{ext}" for ext in sorted(allowed))},
        )
    if uploaded.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s MB."),
            code="upload_too_large",
            params={"limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
        )
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    if not any(head.startswith(magic) for magic in UPLOAD_TYPES[extension][0]):
        raise ValidationError(_("The file's content does not match its type."), code="upload_content")
    if extension == "pdf":
        check_pdf_active_content(uploaded)
    return extension
