"""The printable list of members: counts, names, as-of line, embedded Japanese font."""

import subprocess

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _run(args: list[str], content: bytes) -> str:
    return subprocess.run(args, input=content, capture_output=True, check=True).stdout.decode()


def test_registry_pdf_has_the_reference_list(client, demo_data, tmp_path):
    response = client.get(reverse("members:organization_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    # Lines wrap inside table cells: compare without whitespace.
    text = "".join(_run(["pdftotext", "-", "-"], content).split())
    for expected in ["令和8年1月27日", "福祉サービス事業所", "NPO法人はるひな", "倉吉市社協", "鳥取県教育委員会", "31"]:
        assert expected in text
    path = tmp_path / "list.pdf"
    path.write_bytes(content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()
    assert "Noto-Sans-CJK-JP" in fonts and " yes " in fonts
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout.decode()
    title = next(line for line in info.splitlines() if line.startswith("Title:"))
    assert title.split(":", 1)[1].strip()
