"""Staff-edited page text: structure added, every character escaped (docs/quality.md IO1)."""

from platform_portal.lib.markup import render_plain_markup


def test_headings_lists_and_paragraphs():
    html = render_plain_markup("## 概要\n本文一行目\n本文二行目\n\n- 項目1\n- 項目2")
    assert html == "<h2>概要</h2>\n<p>本文一行目<br>本文二行目</p>\n<ul><li>項目1</li><li>項目2</li></ul>"


def test_everything_typed_is_escaped():
    html = render_plain_markup('## <img src=x onerror="alert(1)">\n<script>alert(1)</script>\n- <b>太字</b>')
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "<li>&lt;b&gt;太字&lt;/b&gt;</li>" in html


def test_empty_text():
    assert render_plain_markup("") == ""
