"""Integer yen: parsing what people type, rounding by name, and display.

Money is never a float (docs/house-style.md R16). Rounding happens only through the named
functions here and in subsidies/rules.py.
"""

import re
import unicodedata

MAN = 10_000


class YenError(ValueError):
    """Input that is not a whole, non-negative number of yen. `code` names the reason."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+$")


def parse_yen(text: str | int) -> int:
    """Normalise what a person typed into integer yen.

    NFKC first (full-width digits are normal input in Japan), then strip ¥, 円 and
    thousands commas; only ASCII digits may remain. `20万円`, `1e6`, `199999.9`,
    negative amounts and non-ASCII digits are refused, never truncated.
    """
    if isinstance(text, bool):
        raise YenError("invalid")
    if isinstance(text, int):
        if text < 0:
            raise YenError("negative")
        return text
    value = unicodedata.normalize("NFKC", str(text)).strip()
    if not value:
        raise YenError("empty")
    value = value.removeprefix("¥").removeprefix("\\").removesuffix("円").strip()
    if value.startswith("-") or value.startswith("−"):
        raise YenError("negative")
    if "." in value:
        raise YenError("decimal")
    if "," in value:
        if not _GROUPED.match(value):
            raise YenError("invalid")
        value = value.replace(",", "")
    if not value or not all("0" <= ch <= "9" for ch in value):
        raise YenError("invalid")
    return int(value)


def floor_to_unit(amount: int, unit: int) -> int:
    """Round down to a multiple of `unit` yen (unit 1000 is 千円未満切り捨て)."""
    if unit < 1:
        raise ValueError("unit must be at least 1 yen")
    return amount - amount % unit


def format_yen(amount: int) -> str:
    """200,000円. Raises TypeError on anything but an int, so a wrong number never shows."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"yen amounts are int, got {type(amount).__name__}")
    return f"{amount:,}円"


def format_man_yen(amount: int) -> str:
    """20万円 for round amounts, as the reference writes caps; other amounts as 123,456円."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"yen amounts are int, got {type(amount).__name__}")
    if amount and amount % MAN == 0:
        return f"{amount // MAN:,}万円"
    return format_yen(amount)
