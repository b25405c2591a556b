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


# Where a Japanese name may break between words: after these words, particles and punctuation.
_BREAK_AFTER_WORDS = ("における", "に関する", "に対する", "に係る", "及び", "並びに", "又は")
_PARTICLES = "のにをとへ"
_PUNCTUATION = "・、 　"


def _is_hiragana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u309f"


def phrases(text: str) -> list[str]:
    """Split a long Japanese name where a line may break without splitting a word.

    After 及び, における and the like, after 「・」「、」 and spaces, after a particle (の, に, を, と,
    へ) that stands between words (followed by kanji or katakana, so 「とっとり」 stays whole), and
    before an opening bracket. Joined again, the parts give the text back unchanged.
    """
    parts: list[str] = []
    start = i = 0
    while i < len(text):
        word = next((w for w in _BREAK_AFTER_WORDS if i > start and text.startswith(w, i)), None)
        if word:
            i += len(word)
            parts.append(text[start:i])
            start = i
            continue
        ch = text[i]
        following = text[i + 1] if i + 1 < len(text) else ""
        if ch in "（(「" and i > start:
            parts.append(text[start:i])
            start = i
        elif ch in _PUNCTUATION or (ch in _PARTICLES and i > start and following and not _is_hiragana(following)):
            parts.append(text[start : i + 1])
            start = i + 1
        i += 1
    if start < len(text):
        parts.append(text[start:])
    return parts or [text]
