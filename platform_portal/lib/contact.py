"""Phone numbers, e-mail addresses and web addresses as people in Japan type them (docs/quality.md IO2, IO3).

One normalisation for public forms, the admin and imports: NFKC first (full-width digits and ＠
are ordinary input), then a strict check.
"""

import re
import unicodedata

PHONE_PATTERN = re.compile(r"^\+?[0-9]{1,5}(-?[0-9]{1,5}){1,4}$")
WEB_SCHEMES = ("http://", "https://")


def normalize_phone(value: str) -> str:
    """A phone number after NFKC with the common separators unified to '-' (０８５７−２６ → 0857-26)."""
    folded = unicodedata.normalize("NFKC", value).strip()
    folded = re.sub(r"[‐‑–—―ー−－]", "-", folded)
    return re.sub(r"\s+", "", folded)


def is_valid_phone(value: str) -> bool:
    """A Japanese-style phone number: digits with optional hyphens, 10-13 digits in all."""
    digits = re.sub(r"\D", "", value)
    return bool(PHONE_PATTERN.match(value)) and 10 <= len(digits) <= 13


def normalize_email(value: str) -> str:
    """An e-mail address after NFKC, lower-case, trimmed (ＪＩＲＯ＠example.jp → jiro@example.jp)."""
    return unicodedata.normalize("NFKC", value).lower().strip()


def has_web_scheme(value: str) -> bool:
    """Stored web addresses are http or https only (no javascript:, data:, ftp:)."""
    return value.lower().startswith(WEB_SCHEMES)
