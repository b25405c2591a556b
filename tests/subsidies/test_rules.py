"""The subsidy rule as a table and as properties (no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from subsidies import rules
from subsidies.rules import Expense, Income, Rate

F1, F1000 = rules.FLOOR_1, rules.FLOOR_1000


@pytest.mark.parametrize(
    ("cost", "rate", "cap", "rounding", "expected", "limited_by"),
    [
        # Publicity and exchange subsidy: 2/3, cap 200,000円.
        (0, (2, 3), 200_000, F1000, 0, "rate"),
        (1_000, (2, 3), 200_000, F1000, 0, "rate"),
        (1_500, (2, 3), 200_000, F1000, 1_000, "rate"),
        (123_457, (2, 3), 200_000, F1000, 82_000, "rate"),
        (123_457, (2, 3), 200_000, F1, 82_304, "rate"),
        (299_999, (2, 3), 200_000, F1000, 199_000, "rate"),
        (299_999, (2, 3), 200_000, F1, 199_999, "rate"),
        (300_000, (2, 3), 200_000, F1000, 200_000, "rate"),  # exactly at the cap
        (300_001, (2, 3), 200_000, F1000, 200_000, "rate"),
        (600_000, (2, 3), 200_000, F1000, 200_000, "cap"),
        # Peer support: new 9/10, continuing 1/2, cap 500,000円.
        (555_555, (9, 10), 500_000, F1000, 499_000, "rate"),
        (555_556, (9, 10), 500_000, F1000, 500_000, "rate"),
        (1_111_112, (9, 10), 500_000, F1000, 500_000, "cap"),
        (999_999, (1, 2), 500_000, F1000, 499_000, "rate"),
        (999_999, (1, 2), 500_000, F1, 499_999, "rate"),
        (1_000_000, (1, 2), 500_000, F1000, 500_000, "rate"),
        (1_002_000, (1, 2), 500_000, F1000, 500_000, "cap"),
        (303_333, (1, 2), 500_000, F1000, 151_000, "rate"),
        # Municipal grant 1/2 up to 2,000,000円 and 1/2 up to 150,000円 with supporters.
        (3_999_999, (1, 2), 2_000_000, F1000, 1_999_000, "rate"),
        (4_000_000, (1, 2), 2_000_000, F1000, 2_000_000, "rate"),
        (8_000_000, (1, 2), 2_000_000, F1000, 2_000_000, "cap"),
        (299_999, (1, 2), 150_000, F1000, 149_000, "rate"),
        (302_000, (1, 2), 150_000, F1000, 150_000, "cap"),
        # Young-carer training 10/10 up to 80,000円, to the yen.
        (1, (10, 10), 80_000, F1, 1, "rate"),
        (79_999, (10, 10), 80_000, F1, 79_999, "rate"),
        (80_000, (10, 10), 80_000, F1, 80_000, "rate"),
        (80_001, (10, 10), 80_000, F1, 80_000, "cap"),
    ],
)
def test_amount_table(cost, rate, cap, rounding, expected, limited_by):
    result = rules.compute_for_cost(cost_yen=cost, rate=Rate(*rate), cap_yen=cap, rounding=rounding)
    assert result.amount_yen == expected
    assert result.limited_by == limited_by
    assert isinstance(result.amount_yen, int)


def test_income_deduction_and_ineligible_lines():
    result = rules.compute_subsidy(
        expenses=[Expense("honoraria", 100_000), Expense("rental", 95_000), Expense("food", 20_000, eligible=False)],
        incomes=[Income("participant_fees", 15_000), Income("own_funds", 50_000)],
        deducted_income_kinds=["participant_fees"],
        rate=Rate(2, 3),
        cap_yen=200_000,
        rounding=F1000,
    )
    assert result.total_expense_yen == 215_000
    assert result.ineligible_expense_yen == 20_000
    assert result.deducted_income_yen == 15_000
    assert result.eligible_cost_yen == 180_000
    assert result.amount_yen == 120_000
    assert [r.code for r in result.reasons] == [
        "expenses",
        "income_deducted",
        "eligible_cost",
        "by_rate",
        "rounded",
        "amount",
    ]


def test_income_above_expenses_gives_zero_not_negative():
    result = rules.compute_subsidy(
        expenses=[Expense("x", 10_000)],
        incomes=[Income("participant_fees", 20_000)],
        deducted_income_kinds=["participant_fees"],
        rate=Rate(1, 2),
        cap_yen=500_000,
        rounding=F1000,
    )
    assert result.eligible_cost_yen == 0
    assert result.amount_yen == 0


def test_requested_amount_applies_when_lower():
    result = rules.compute_subsidy(
        expenses=[Expense("x", 300_000)], rate=Rate(2, 3), cap_yen=200_000, rounding=F1000, requested_yen=150_000
    )
    assert result.amount_yen == 150_000
    assert result.limited_by == "requested"
    higher = rules.compute_subsidy(
        expenses=[Expense("x", 300_000)], rate=Rate(2, 3), cap_yen=200_000, rounding=F1000, requested_yen=250_000
    )
    assert higher.amount_yen == 200_000


def test_breakdown_is_json_ready_and_names_the_rule_version():
    import json

    result = rules.compute_for_cost(cost_yen=600_000, rate=Rate(2, 3), cap_yen=200_000, rounding=F1000)
    data = json.loads(json.dumps(result.as_breakdown()))
    assert data["rule_version"] == "2025.1"
    assert data["amount_yen"] == 200_000
    assert {"code": "capped", "params": {"cap_yen": 200_000}} in data["reasons"]


@pytest.mark.parametrize(
    "bad",
    [
        {"cost_yen": 1.5},
        {"cost_yen": -1},
        {"cost_yen": True},
        {"rounding": "round_half_up"},
        {"rule_version": "1999.1"},
    ],
)
def test_rule_refuses_floats_negatives_and_unknown_names(bad):
    kwargs = {"cost_yen": 1000, "rate": Rate(1, 2), "cap_yen": 1000, "rounding": F1000} | bad
    with pytest.raises(rules.RuleError):
        rules.compute_for_cost(**kwargs)


@pytest.mark.parametrize(("numerator", "denominator"), [(0, 3), (4, 3), (1, 0), (-1, 2)])
def test_rate_refuses_impossible_fractions(numerator, denominator):
    with pytest.raises(rules.RuleError):
        Rate(numerator, denominator)


def test_settle_amount_is_min_of_recomputed_and_decided():
    assert rules.settle_amount(recomputed_yen=200_000, decided_yen=182_000) == 182_000
    assert rules.settle_amount(recomputed_yen=119_000, decided_yen=120_000) == 119_000


def test_reason_texts_are_sentences():
    result = rules.compute_for_cost(cost_yen=600_000, rate=Rate(2, 3), cap_yen=200_000, rounding=F1000)
    texts = result.reason_texts
    assert any("200,000円" in text for text in texts)
    assert all(text and text != reason.code for text, reason in zip(texts, result.reasons, strict=True))


# ---------------------------------------------------------------- properties

rates = st.integers(min_value=1, max_value=100).flatmap(
    lambda d: st.tuples(st.integers(min_value=1, max_value=d), st.just(d))
)
costs = st.integers(min_value=0, max_value=10**11)
caps = st.integers(min_value=0, max_value=10**9)
roundings = st.sampled_from([F1, F1000])


@given(cost=costs, rate=rates, cap=caps, rounding=roundings)
def test_never_above_cap_nor_cost_times_rate_nor_negative(cost, rate, cap, rounding):
    result = rules.compute_for_cost(cost_yen=cost, rate=Rate(*rate), cap_yen=cap, rounding=rounding)
    assert 0 <= result.amount_yen <= cap
    # never above cost × rate, compared exactly in integers (amount × d <= cost × n)
    assert result.amount_yen * rate[1] <= cost * rate[0]
    assert isinstance(result.amount_yen, int)


@given(cost=costs, extra=st.integers(min_value=0, max_value=10**9), rate=rates, cap=caps, rounding=roundings)
def test_monotonic_in_cost(cost, extra, rate, cap, rounding):
    lower = rules.compute_for_cost(cost_yen=cost, rate=Rate(*rate), cap_yen=cap, rounding=rounding)
    higher = rules.compute_for_cost(cost_yen=cost + extra, rate=Rate(*rate), cap_yen=cap, rounding=rounding)
    assert lower.amount_yen <= higher.amount_yen


@given(cost=costs, rate=rates, cap=caps)
def test_floor_1000_gives_thousands_or_the_cap(cost, rate, cap):
    result = rules.compute_for_cost(cost_yen=cost, rate=Rate(*rate), cap_yen=cap, rounding=F1000)
    assert result.amount_yen % 1000 == 0 or result.amount_yen == cap


@given(recomputed=st.integers(min_value=0, max_value=10**9), decided=st.integers(min_value=0, max_value=10**9))
def test_settlement_never_above_decided(recomputed, decided):
    assert rules.settle_amount(recomputed_yen=recomputed, decided_yen=decided) <= decided
