"""The one upload check (docs/quality.md IO5): extension allow-list, content by magic bytes, size limit."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from platform_portal.uploads import check_upload, upload_content_type
from tests.pdf_samples import hex_escaped_pdf_with_javascript, pdf_with, plain_pdf

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


@pytest.mark.parametrize(
    ("name", "content", "allowed", "expected"),
    [
        ("資料.PDF", plain_pdf(), {"pdf"}, "pdf"),
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


# ---------------------------------------------------------------- active content in PDFs (issue 12, F8)


@pytest.mark.parametrize("kind", ["javascript", "openaction", "page_aa", "annotation", "launch", "embedded"])
def test_pdf_with_active_content_is_refused(kind):
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile("資料.pdf", pdf_with(kind)), allowed={"pdf"})
    assert exc.value.code == "upload_active_content"


def test_hidden_script_names_are_found():
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile("資料.pdf", hex_escaped_pdf_with_javascript()), allowed={"pdf"})
    assert exc.value.code == "upload_active_content"


def test_unreadable_pdf_is_refused_as_damaged():
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile("資料.pdf", b"%PDF-1.7\n garbage"), allowed={"pdf"})
    assert exc.value.code == "upload_damaged"


def test_plain_and_generated_pdfs_pass():
    from tests.meetings.pdfs import make_pdf

    for content in [plain_pdf(), make_pdf("資料", 3)]:
        assert check_upload(SimpleUploadedFile("資料.pdf", content), allowed={"pdf"}) == "pdf"


@pytest.mark.django_db
def test_material_with_javascript_is_refused_and_never_served(secretariat, media_root):
    from meetings.services import meeting as services
    from tests.meetings.factories import MeetingFactory
    from tests.meetings.pdfs import upload

    meeting = MeetingFactory()
    with pytest.raises(ValidationError) as exc:
        services.material_add(actor=secretariat, meeting=meeting, title="x", upload=upload(pdf_with("openaction")))
    assert exc.value.code == "upload_active_content"
    assert not meeting.materials.exists()
