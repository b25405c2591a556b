"""Staff-edited page text to HTML: every character is escaped; only structure is added.

`## ` starts a heading, `- ` a list item, a blank line ends a paragraph. Nothing a staff
member types can become markup (docs/quality.md IO1).
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def render_plain_markup(text: str, *, heading_level: int = 2) -> SafeString:
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()
        if items:
            blocks.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            items.clear()

    for raw_line in (text or "").splitlines():
        line = raw_line.strip()
        if not line:
            flush()
        elif line.startswith("## "):
            flush()
            blocks.append(f"<h{heading_level}>{escape(line[3:].strip())}</h{heading_level}>")
        elif line.startswith("- "):
            if paragraph:
                flush()
            items.append(escape(line[2:].strip()))
        else:
            if items:
                flush()
            paragraph.append(escape(line))
    flush()
    # Safe: every piece of text above went through escape().
    return mark_safe("\n".join(blocks))  # noqa: S308
