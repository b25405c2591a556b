"""Numbering an agenda the way Japanese agendas (会議次第) are numbered: a pure function.

Sections are numbered 1, 2, 3 … in the order they first appear. Inside a section:
- a single item whose title is the section's own name (開会挨拶, 閉会) is merged into the
  section line, with its presenter in brackets: 「1 開会挨拶（政策統轄監）」;
- several items are numbered （1）（2）… with full-width brackets, as the reference prints them;
- a single item with its own title is printed under the section without a number.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OutlineItem:
    number: str  # "（1）" or ""
    title: str
    presenter: str
    duration_minutes: int | None
    item: object = None


@dataclass
class OutlineSection:
    number: int
    label: str
    presenter: str = ""
    items: list[OutlineItem] = field(default_factory=list)


def agenda_outline(items, *, section_labels: dict[str, str]) -> list[OutlineSection]:
    """`items`: agenda items in order (objects with section, title, presenter, duration_minutes)."""
    grouped: dict[str, list] = {}
    for item in items:
        grouped.setdefault(item.section, []).append(item)
    outline: list[OutlineSection] = []
    for number, (section, section_items) in enumerate(grouped.items(), start=1):
        label = str(section_labels.get(section, section))
        entry = OutlineSection(number=number, label=label)
        single = section_items[0] if len(section_items) == 1 else None
        if single is not None and single.title == label:
            entry.presenter = section_items[0].presenter
        else:
            numbered = len(section_items) > 1
            for index, item in enumerate(section_items, start=1):
                entry.items.append(
                    OutlineItem(
                        number=f"（{index}）" if numbered else "",
                        title=item.title,
                        presenter=item.presenter,
                        duration_minutes=item.duration_minutes,
                        item=item,
                    )
                )
        outline.append(entry)
    return outline
