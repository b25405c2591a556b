"""Pure rules for copying a meeting forward (docs/house-style.md R3): no ORM, no request, no clock."""

import re
import unicodedata

from platform_portal.lib.fiscal import FiscalYear, fiscal_year_from_label

_FISCAL_LABEL = re.compile(r"(令和|平成)(元|[0-9０-９]{1,2})年度")
# Words that make a part of a presenter field an organisation or a role, not a person's name.
_ROLE_MARKERS = (
    "長",
    "監",
    "官",
    "課",
    "部",
    "局",
    "室",
    "係",
    "県",
    "市",
    "町",
    "村",
    "法人",
    "会",
    "センター",
    "協議",
    "理事",
    "委員",
    "事務",
    "担当",
    "代表",
    "職員",
    "員",
    "師",
    "士",
    "者",
    "社",
    "所",
    "団",
    "(株)",
    "（株）",
    "株式",
    "合同",
    "NPO",
)


def shift_fiscal_years(text: str, *, years: int) -> str:
    """Move every 令和N年度 in a title by `years` (令和7年度 → 令和8年度); other text unchanged."""
    if not years:
        return text

    def moved(match: re.Match) -> str:
        start = fiscal_year_from_label(match.group(0)).start_year + years
        return FiscalYear(start).label

    return _FISCAL_LABEL.sub(moved, text)


def presenter_role_only(text: str) -> str:
    """The presenter without the person's name: 「NPO法人〇〇 松本温子 理事・鳥取支部長」 → 「NPO法人〇〇 理事・鳥取支部長」.

    A presenter is written as organisation, name and role separated by spaces; a part with no
    organisation or role word in it is taken as the name and left out. A one-part presenter
    (政策統轄監, 県孤独・孤立対策課) stays as it is.
    """
    parts = text.replace("\u3000", " ").split()
    if len(parts) < 2:
        return text.strip()
    kept = [parts[0]] + [part for part in parts[1:] if _is_role(part)]
    return " ".join(kept)


def _is_role(part: str) -> bool:
    value = unicodedata.normalize("NFKC", part)
    return any(marker in value for marker in _ROLE_MARKERS)
