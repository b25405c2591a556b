"""Text normalisation and the checks every stored name passes (docs/quality.md IO4)."""

import unicodedata

# Bidi overrides/isolates and zero-width characters: invisible, and used to disguise names.
_FORBIDDEN_FORMAT = {
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
}


def has_forbidden_characters(value: str, *, allow_newlines: bool = False) -> bool:
    """True when the text holds control, bidi-override or zero-width characters."""
    for ch in value:
        if ch in _FORBIDDEN_FORMAT:
            return True
        if allow_newlines and ch in "\r\n\t":
            continue
        if unicodedata.category(ch) == "Cc":
            return True
    return False


def normalize_spaces(value: str) -> str:
    """Trim and fold runs of (full- or half-width) spaces into one half-width space."""
    return " ".join(value.replace("\u3000", " ").split())
