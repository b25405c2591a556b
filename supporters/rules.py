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


@dataclass(frozen=True)
class PublicYearTotal:
    """One row of the public yearly totals: a fiscal year, or several merged ("令和5年度～令和6年度")."""

    label: str
    appointed: int
    total_after: int


def merge_small_years(
    years: list[tuple[str, int]], *, threshold: int = SMALL_NUMBER_THRESHOLD
) -> list[PublicYearTotal]:
    """Appointments per year for publication, with no published number below the threshold.

    A year with fewer than `threshold` appointments is merged with the following years until
    the merged count reaches it; a small remainder at the end is merged into the row before.
    Since every published count is at least the threshold, so is every difference between two
    running totals. When everything together is below the threshold nothing is published.
    Years with no appointment are left out (a row of 0 singles no one out, but adds nothing).
    """
    rows: list[tuple[list[str], int]] = []
    pending_labels: list[str] = []
    pending = 0
    for label, count in years:
        if count == 0 and not pending_labels:
            continue
        pending_labels.append(label)
        pending += count
        if pending >= threshold:
            rows.append((pending_labels, pending))
            pending_labels, pending = [], 0
    if pending and rows:
        labels, count = rows.pop()
        rows.append((labels + pending_labels, count + pending))
    result, running = [], 0
    for labels, count in rows:
        running += count
        label = labels[0] if len(labels) == 1 else f"{labels[0]}～{labels[-1]}"
        result.append(PublicYearTotal(label=label, appointed=count, total_after=running))
    return result
