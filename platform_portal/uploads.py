"""Checks of every uploaded file (docs/quality.md IO5): allow-list by extension and content, size limit.

One place for the rule, used by meeting materials and subsidy attachments alike. Files are then
stored through Django's storage API under generated names and served only by views that check
access, never from MEDIA_URL.
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


def upload_content_type(extension: str) -> str:
    return UPLOAD_TYPES[extension][1]


def check_upload(uploaded, *, allowed: Collection[str]) -> str:
    """Refuse a file whose extension is not allowed, whose content does not match it, or that is too large.

    Returns the lower-case extension. Error codes: upload_type, upload_too_large, upload_content.
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
    return extension
