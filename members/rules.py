"""Pure rules of the member registry: name keys for duplicate detection and search (no ORM).

A group writes its name in many ways: full- or half-width (ＮＰＯ / NPO), with or without
spaces, and with its legal form spelt out (特定非営利活動法人), abbreviated (NPO法人) or
bracketed ((一社) / （一社） / ㈳). `name_key` folds all of these into one key, so that
"特定非営利活動法人 はるひな", "ＮＰＯ法人はるひな" and "はるひな" are the same group.
"""

import re
import unicodedata

from platform_portal.lib.contact import is_valid_phone as is_valid_phone
from platform_portal.lib.contact import normalize_email
from platform_portal.lib.contact import normalize_phone as normalize_phone

# Canonical legal form -> its spellings after NFKC (NFKC turns （一社） into (一社) and ㈱ into (株)).
# Longer spellings first where one contains another.
LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "特定非営利活動法人": ("特定非営利活動法人", "NPO法人", "(特非)", "(NPO)"),
    "一般社団法人": ("一般社団法人", "(一社)", "(一般社団)"),
    "一般財団法人": ("一般財団法人", "(一財)", "(一般財団)"),
    "公益社団法人": ("公益社団法人", "(公社)"),
    "公益財団法人": ("公益財団法人", "(公財)"),
    "社会福祉法人": ("社会福祉法人", "(社福)", "(福)"),
    "株式会社": ("株式会社", "(株)"),
    "有限会社": ("有限会社", "(有)"),
    "合同会社": ("合同会社", "(同)", "(合)"),
    "合資会社": ("合資会社", "(資)"),
    "合名会社": ("合名会社", "(名)"),
    "医療法人": ("医療法人社団", "医療法人財団", "医療法人", "(医)"),
    "学校法人": ("学校法人", "(学)"),
    "社団法人": ("社団法人", "(社)"),
    "財団法人": ("財団法人", "(財)"),
    "労働者協同組合": ("労働者協同組合",),
}

_SPELLINGS = sorted(
    ((spelling.lower(), canonical) for canonical, spellings in LEGAL_FORMS.items() for spelling in spellings),
    key=lambda item: -len(item[0]),
)
# Spaces and the punctuation people add or drop freely inside names.
_IGNORED = re.compile(r"[\s・･\-‐‑–—―ー－/／.,、。'’\"“”]+")
_IGNORED_IN_KANA = re.compile(r"[\s・･]+")
_KATAKANA = re.compile(r"[\u30a1-\u30f6]")


def fold_width(value: str) -> str:
    """NFKC (full-width letters and digits to half-width, ㈱ to (株)), lower-case."""
    return unicodedata.normalize("NFKC", value).lower()


def katakana_to_hiragana(value: str) -> str:
    return _KATAKANA.sub(lambda m: chr(ord(m.group(0)) - 0x60), value)


def split_legal_form(name: str) -> tuple[str, str]:
    """Split a name into (canonical legal form or "", the name without it)."""
    folded = fold_width(name).replace(" ", "")
    found = ""
    for spelling, canonical in _SPELLINGS:
        if spelling in folded:
            found = canonical
            folded = folded.replace(spelling, "", 1)
            break
    return found, folded


def legal_form_of(name: str) -> str:
    """The canonical legal form written in a name (株式会社 for TRIGGER(株)), or ""."""
    return split_legal_form(name)[0]


# Short forms people type alone to find every group of a legal form ("NPO" for all NPO法人).
# Only a whole query counts: inside a name these letters are part of the name.
_SEARCH_ABBREVIATIONS: dict[str, str] = {
    "npo": "特定非営利活動法人",
    "特非": "特定非営利活動法人",
    "一社": "一般社団法人",
    "一財": "一般財団法人",
    "公社": "公益社団法人",
    "公財": "公益財団法人",
    "社福": "社会福祉法人",
}


def legal_form_of_query(query: str) -> str:
    """The legal form a search keyword asks for: a written form, or a bare short form such as NPO."""
    return legal_form_of(query) or _SEARCH_ABBREVIATIONS.get(_IGNORED.sub("", fold_width(query)), "")


def name_key(name: str) -> str:
    """The comparison key of an organisation name: width, case, spaces, punctuation and legal form folded.

    Dashes and long-vowel marks are dropped with the other punctuation, because people type
    ー, － and - interchangeably in names such as Tri-Arrow or コモングラウンド.
    """
    _form, rest = split_legal_form(name)
    return _IGNORED.sub("", rest)


def kana_key(value: str) -> str:
    """A kana reading folded for search: width, katakana to hiragana, spaces dropped."""
    return _IGNORED_IN_KANA.sub("", katakana_to_hiragana(fold_width(value)))


def email_key(value: str) -> str:
    """An e-mail address compared case-insensitively after NFKC (full-width ＠ typed in Japan)."""
    return normalize_email(value)


def receipt_number(year: int, sequence: int) -> str:
    """The receipt number of an application: M-2026-0001."""
    return f"M-{year:04d}-{sequence:04d}"


def parse_receipt_sequence(value: str) -> int:
    """The sequence part of a receipt number (M-2026-0012 -> 12)."""
    return int(value.rsplit("-", 1)[1])
