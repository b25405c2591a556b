"""Agenda numbering as Japanese agendas do it (pure function, no database)."""

from dataclasses import dataclass

from meetings.agenda import agenda_outline

LABELS = {"opening": "開会挨拶", "reports": "報告事項", "exchange": "意見交換", "closing": "閉会", "other": "その他"}


@dataclass
class Item:
    section: str
    title: str
    presenter: str = ""
    duration_minutes: int | None = None


def test_reference_agenda_is_numbered_like_the_packet():
    outline = agenda_outline(
        [
            Item("opening", "開会挨拶", "政策統轄監"),
            Item("reports", "令和7年度孤独・孤立対策事業の結果等について", "県孤独・孤立対策課"),
            Item("reports", "一般団体会員の活動紹介について"),
            Item("exchange", "令和8年度県・市町村孤独・孤立対策事業について"),
            Item("closing", "閉会"),
        ],
        section_labels=LABELS,
    )
    assert [(s.number, s.label, s.presenter) for s in outline] == [
        (1, "開会挨拶", "政策統轄監"),
        (2, "報告事項", ""),
        (3, "意見交換", ""),
        (4, "閉会", ""),
    ]
    assert outline[0].items == []
    assert [(i.number, i.title) for i in outline[1].items] == [
        ("（1）", "令和7年度孤独・孤立対策事業の結果等について"),
        ("（2）", "一般団体会員の活動紹介について"),
    ]
    assert [(i.number, i.title) for i in outline[2].items] == [("", "令和8年度県・市町村孤独・孤立対策事業について")]


def test_sections_are_numbered_in_order_of_first_appearance_and_items_grouped():
    outline = agenda_outline(
        [Item("reports", "A"), Item("other", "B"), Item("reports", "C"), Item("other", "D"), Item("other", "E")],
        section_labels=LABELS,
    )
    assert [(s.number, s.label) for s in outline] == [(1, "報告事項"), (2, "その他")]
    assert [i.number + i.title for i in outline[0].items] == ["（1）A", "（2）C"]
    assert [i.number + i.title for i in outline[1].items] == ["（1）B", "（2）D", "（3）E"]


def test_single_item_with_its_own_title_stays_under_the_section_without_number():
    outline = agenda_outline(
        [Item("opening", "知事挨拶", "知事"), Item("other", "連絡事項", duration_minutes=5)], section_labels=LABELS
    )
    assert outline[0].presenter == "" and [(i.number, i.title, i.presenter) for i in outline[0].items] == [
        ("", "知事挨拶", "知事")
    ]
    assert outline[1].items[0].number == "" and outline[1].items[0].duration_minutes == 5


def test_empty_agenda_has_no_sections():
    assert agenda_outline([], section_labels=LABELS) == []
