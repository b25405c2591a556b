"""The one upload check (docs/quality.md IO5): extension allow-list, content by magic bytes, size limit."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from platform_portal.uploads import check_upload, upload_content_type

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


@pytest.mark.parametrize(
    ("name", "content", "allowed", "expected"),
    [
        ("資料.PDF", b"%PDF-1.7\n", {"pdf"}, "pdf"),
        ("photo.png", PNG, {"pdf", "png"}, "png"),
        ("sheet.xlsx", b"PK\x03\x04rest", {"xlsx"}, "xlsx"),
    ],
)
def test_check_upload_accepts(name, content, allowed, expected):
    assert check_upload(SimpleUploadedFile(name, content), allowed=allowed) == expected


@pytest.mark.parametrize(
    ("name", "content", "allowed", "code"),
    [
        ("evil.exe", b"%PDF-1.7", {"pdf"}, "upload_type"),
        ("noextension", b"%PDF-1.7", {"pdf"}, "upload_type"),
        ("photo.png", PNG, {"pdf"}, "upload_type"),
        ("looks.pdf", b"MZ\x90\x00", {"pdf"}, "upload_content"),
        ("page.pdf", b"<html><script>", {"pdf"}, "upload_content"),
        ("fake.png", b"%PDF-1.7", {"png"}, "upload_content"),
    ],
)
def test_check_upload_refuses(name, content, allowed, code):
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile(name, content), allowed=allowed)
    assert exc.value.code == code


def test_check_upload_refuses_files_over_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = 8
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile("big.pdf", b"%PDF-1.7 and more"), allowed={"pdf"})
    assert exc.value.code == "upload_too_large"


def test_content_types():
    assert upload_content_type("pdf") == "application/pdf"
    assert upload_content_type("jpg") == upload_content_type("jpeg") == "image/jpeg"
