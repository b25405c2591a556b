"""Small-number suppression for the public counts (pure table, no DB)."""

import pytest

from supporters.rules import PublicCount, suppress_small_counts


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([], []),
        ([("A", 10), ("B", 7)], [PublicCount("A", 10), PublicCount("B", 7)]),
        ([("A", 0), ("B", 5)], [PublicCount("A", 0), PublicCount("B", 5)]),
        # one small cell: the smallest other non-zero cell is hidden too, so it cannot be worked out
        (
            [("A", 10), ("B", 4), ("C", 6)],
            [PublicCount("A", 10), PublicCount("B", None, "small"), PublicCount("C", None, "secondary")],
        ),
        (
            [("A", 1), ("B", 2), ("C", 30)],
            [PublicCount("A", None, "small"), PublicCount("B", None, "small"), PublicCount("C", 30)],
        ),
        ([("A", 4), ("B", 0)], [PublicCount("A", None, "small"), PublicCount("B", 0)]),
        (
            [("A", 5), ("B", 1), ("C", 5)],
            [PublicCount("A", None, "secondary"), PublicCount("B", None, "small"), PublicCount("C", 5)],
        ),
    ],
)
def test_suppress_small_counts(counts, expected):
    assert suppress_small_counts(counts) == expected


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_every_count_below_five_is_hidden(count):
    cells = suppress_small_counts([("A", count), ("B", 50), ("C", 60)])
    assert cells[0].count is None and cells[0].suppressed == "small"


def test_threshold_is_a_parameter():
    assert suppress_small_counts([("A", 9), ("B", 9)], threshold=10)[0].suppressed == "small"
