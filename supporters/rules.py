"""Pure rules of the supporter roster: small-number suppression for public counts.

No ORM, no request, no settings: plain values in, plain values out (docs/house-style.md R3).
"""

from dataclasses import dataclass

SMALL_NUMBER_THRESHOLD = 5


@dataclass(frozen=True)
class PublicCount:
    """One cell of a public table: the number to show, or a marker when it is suppressed."""

    label: str
    count: int | None  # None when suppressed
    suppressed: str = ""  # "small" (fewer than the threshold) or "secondary" (to stop back-calculation)


def suppress_small_counts(
    counts: list[tuple[str, int]], *, threshold: int = SMALL_NUMBER_THRESHOLD
) -> list[PublicCount]:
    """Suppress counts from 1 to threshold-1 so that no one can be singled out (「5未満」).

    Zero stays visible (it singles no one out). When the total is published next to the
    table and exactly one cell is suppressed, that cell could be worked out by subtraction,
    so the smallest unsuppressed non-zero cell is suppressed as well ("secondary").
    """
    cells = [
        PublicCount(label, None, "small") if 0 < count < threshold else PublicCount(label, count)
        for label, count in counts
    ]
    small = [cell for cell in cells if cell.suppressed]
    if len(small) == 1:
        candidates = [(count, index) for index, (_label, count) in enumerate(counts) if count >= threshold]
        if candidates:
            _count, index = min(candidates)
            cells[index] = PublicCount(cells[index].label, None, "secondary")
    return cells
