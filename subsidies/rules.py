"""Subsidy amounts as pure functions of integer yen (docs/house-style.md R3, docs/subsidy-rules.md).

No ORM, no request, no settings, no clock: services gather the inputs and pass them in, and
the decisions store the result (a snapshot) together with the rule version that produced it.

The rule (version "2025.1"):

    eligible cost = Σ eligible expense lines − Σ income lines of the kinds the programme deducts
                    (never below 0)
    by rate       = eligible cost × numerator ÷ denominator, rounded down to whole yen
    rounded       = by rate rounded down to the programme's rounding unit (floor_1 / floor_1000)
    amount        = min(rounded, cap, amount requested when it is lower)

Rule versions are never edited in place: a change of rule adds a new function and a new key
in RULE_VERSIONS, and old decisions keep naming the version that computed them.
"""

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

from platform_portal.lib.money import format_yen

# Named rounding policies (docs/house-style.md R3): 1 yen or 千円未満切り捨て, always down.
FLOOR_1 = "floor_1"
FLOOR_1000 = "floor_1000"
ROUNDING_UNITS: dict[str, int] = {FLOOR_1: 1, FLOOR_1000: 1000}

LIMIT_RATE = "rate"
LIMIT_CAP = "cap"
LIMIT_REQUESTED = "requested"


class RuleError(ValueError):
    """Inputs the rule cannot compute with (a programming error, not user input)."""


@dataclass(frozen=True)
class Rate:
    """補助率 as an integer fraction, e.g. 2/3 or 9/10."""

    numerator: int
    denominator: int

    def __post_init__(self):
        if self.denominator <= 0 or self.numerator <= 0 or self.numerator > self.denominator:
            raise RuleError(f"invalid rate {self.numerator}/{self.denominator}")

    def __str__(self) -> str:
        return f"{self.numerator}/{self.denominator}"


@dataclass(frozen=True)
class Expense:
    """One expense line (費目, 内容, 金額); `eligible` False lines do not count (対象外経費)."""

    category: str
    amount_yen: int
    eligible: bool = True
    description: str = ""


@dataclass(frozen=True)
class Income:
    """One income line; `kind` decides whether the programme deducts it (参加費, 寄附金, 他の補助金…)."""

    kind: str
    amount_yen: int
    description: str = ""


@dataclass(frozen=True)
class Reason:
    """One step of the explanation, as a code and its parameters (rendered in the reader's language)."""

    code: str
    params: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return reason_text(self.code, self.params)


@dataclass(frozen=True)
class SubsidyResult:
    """The amount and how it was reached; `as_breakdown()` is what decisions store."""

    rule_version: str
    amount_yen: int
    total_expense_yen: int
    ineligible_expense_yen: int
    deducted_income_yen: int
    eligible_cost_yen: int
    numerator: int
    denominator: int
    by_rate_yen: int
    rounding: str
    rounded_yen: int
    cap_yen: int
    requested_yen: int | None
    limited_by: str
    reasons: tuple[Reason, ...]

    @property
    def rate(self) -> Rate:
        return Rate(self.numerator, self.denominator)

    @property
    def rounding_unit(self) -> int:
        return ROUNDING_UNITS[self.rounding]

    @property
    def reason_texts(self) -> list[str]:
        return [reason.text for reason in self.reasons]

    def as_breakdown(self) -> dict:
        """A JSON-ready snapshot of every figure and reason (stored with the decision)."""
        data = asdict(self)
        data["reasons"] = [{"code": r.code, "params": r.params} for r in self.reasons]
        return data


def reason_text(code: str, params: dict) -> str:
    """The sentence for one reason code (translated at display time, so snapshots stay language-free)."""
    p = {
        key: format_yen(value) if key.endswith("_yen") and isinstance(value, int) else value
        for key, value in params.items()
    }
    texts = {
        "expenses": _("Eligible expenses %(eligible_yen)s (total %(total_yen)s, not eligible %(ineligible_yen)s)."),
        "income_deducted": _("Income the programme deducts: %(income_yen)s."),
        "eligible_cost": _("Eligible cost: %(cost_yen)s."),
        "by_rate": _("Eligible cost × %(rate)s = %(by_rate_yen)s (fractions of a yen dropped)."),
        "rounded": _("Rounded down to a multiple of %(unit)s yen: %(rounded_yen)s."),
        "capped": _("Above the cap of %(cap_yen)s, so the cap applies."),
        "requested": _("The amount requested, %(requested_yen)s, is lower, so it applies."),
        "amount": _("Subsidy amount: %(amount_yen)s."),
    }
    template = texts.get(code)
    if template is None:
        return code
    if "unit" in p:
        p["unit"] = f"{p['unit']:,}"
    return template % p


def floor_rate(amount_yen: int, rate: Rate) -> int:
    """amount × numerator ÷ denominator, rounded down to whole yen, in integers only."""
    return amount_yen * rate.numerator // rate.denominator


def floor_to(amount_yen: int, rounding: str) -> int:
    """Round down by a named policy: floor_1 (1円未満切り捨て) or floor_1000 (千円未満切り捨て)."""
    try:
        unit = ROUNDING_UNITS[rounding]
    except KeyError:
        raise RuleError(f"unknown rounding policy {rounding!r}") from None
    return amount_yen - amount_yen % unit


def _check_yen(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleError(f"{name} must be int yen, got {type(value).__name__}")
    if value < 0:
        raise RuleError(f"{name} must not be negative")


def eligible_cost(
    expenses: Iterable[Expense], incomes: Iterable[Income], *, deducted_income_kinds: Iterable[str]
) -> tuple[int, int, int, int]:
    """(total, ineligible, deducted income, eligible cost): eligible lines minus deducted income, never below 0."""
    deducted_kinds = set(deducted_income_kinds)
    total = ineligible = income = 0
    for line in expenses:
        _check_yen("expense", line.amount_yen)
        total += line.amount_yen
        if not line.eligible:
            ineligible += line.amount_yen
    for income_line in incomes:
        _check_yen("income", income_line.amount_yen)
        if income_line.kind in deducted_kinds:
            income += income_line.amount_yen
    return total, ineligible, income, max(0, total - ineligible - income)


def _compute_2025_1(
    *,
    expenses: Iterable[Expense],
    incomes: Iterable[Income],
    deducted_income_kinds: Iterable[str],
    rate: Rate,
    cap_yen: int,
    rounding: str,
    requested_yen: int | None,
) -> SubsidyResult:
    _check_yen("cap", cap_yen)
    if requested_yen is not None:
        _check_yen("requested", requested_yen)
    total, ineligible, income, cost = eligible_cost(expenses, incomes, deducted_income_kinds=deducted_income_kinds)
    by_rate = floor_rate(cost, rate)
    rounded = floor_to(by_rate, rounding)
    amount, limited_by = rounded, LIMIT_RATE
    if cap_yen < amount:
        amount, limited_by = cap_yen, LIMIT_CAP
    if requested_yen is not None and requested_yen < amount:
        amount, limited_by = requested_yen, LIMIT_REQUESTED
    reasons = [
        Reason("expenses", {"eligible_yen": total - ineligible, "total_yen": total, "ineligible_yen": ineligible}),
    ]
    if income:
        reasons.append(Reason("income_deducted", {"income_yen": income}))
    reasons.append(Reason("eligible_cost", {"cost_yen": cost}))
    reasons.append(Reason("by_rate", {"rate": str(rate), "by_rate_yen": by_rate}))
    if ROUNDING_UNITS[rounding] > 1:
        reasons.append(Reason("rounded", {"unit": ROUNDING_UNITS[rounding], "rounded_yen": rounded}))
    if rounded > cap_yen:
        reasons.append(Reason("capped", {"cap_yen": cap_yen}))
    if limited_by == LIMIT_REQUESTED:
        reasons.append(Reason("requested", {"requested_yen": requested_yen}))
    reasons.append(Reason("amount", {"amount_yen": amount}))
    return SubsidyResult(
        rule_version="2025.1",
        amount_yen=amount,
        total_expense_yen=total,
        ineligible_expense_yen=ineligible,
        deducted_income_yen=income,
        eligible_cost_yen=cost,
        numerator=rate.numerator,
        denominator=rate.denominator,
        by_rate_yen=by_rate,
        rounding=rounding,
        rounded_yen=rounded,
        cap_yen=cap_yen,
        requested_yen=requested_yen,
        limited_by=limited_by,
        reasons=tuple(reasons),
    )


RULE_VERSIONS: dict[str, Callable[..., SubsidyResult]] = {"2025.1": _compute_2025_1}
CURRENT_RULE_VERSION = "2025.1"


def compute_subsidy(
    *,
    expenses: Iterable[Expense],
    incomes: Iterable[Income] = (),
    deducted_income_kinds: Iterable[str] = (),
    rate: Rate,
    cap_yen: int,
    rounding: str,
    requested_yen: int | None = None,
    rule_version: str = CURRENT_RULE_VERSION,
) -> SubsidyResult:
    """The subsidy amount (補助金額) for the given lines under the named rule version."""
    try:
        rule = RULE_VERSIONS[rule_version]
    except KeyError:
        raise RuleError(f"unknown rule version {rule_version!r}") from None
    return rule(
        expenses=list(expenses),
        incomes=list(incomes),
        deducted_income_kinds=tuple(deducted_income_kinds),
        rate=rate,
        cap_yen=cap_yen,
        rounding=rounding,
        requested_yen=requested_yen,
    )


def compute_for_cost(
    *, cost_yen: int, rate: Rate, cap_yen: int, rounding: str, rule_version: str = CURRENT_RULE_VERSION
) -> SubsidyResult:
    """The amount for a single eligible cost (the simulator, the worked tables)."""
    return compute_subsidy(
        expenses=[Expense(category="", amount_yen=cost_yen)],
        rate=rate,
        cap_yen=cap_yen,
        rounding=rounding,
        rule_version=rule_version,
    )


def settle_amount(*, recomputed_yen: int, decided_yen: int) -> int:
    """額の確定: the recomputed amount from actual expenses, never above the decided amount."""
    _check_yen("recomputed", recomputed_yen)
    _check_yen("decided", decided_yen)
    return min(recomputed_yen, decided_yen)


def cost_for_full_cap(*, rate: Rate, cap_yen: int) -> int:
    """The smallest eligible cost that reaches the cap (shown as 'the cap is reached from … yen')."""
    # ceil(cap × d / n) in integers: the smallest cost with cost × n // d >= cap.
    return -(-cap_yen * rate.denominator // rate.numerator)
