"""Demo data: the reference's subsidy programmes for R7 and R8 and the R7 applications it reports.

The reference (7th meeting packet) says: two general members used the publicity and exchange
subsidy (an exchange event and a training on support for people without relatives), and seven
continuing peer-support groups were supported. The amounts, budgets, windows and rounding are
not in the document: they are illustrative, and the rounding is configurable per programme.

Organisations are looked up by their exact name in docs/reference-data/organizations.csv and
created as minimal approved rows only when missing, so this loader also works on its own; the
members loader finds and completes the same rows by name.
"""

import csv
import datetime
from pathlib import Path

from members.models import GeneralType, Municipality, Organization, SteeringCategory
from platform_portal.audit import Actor
from subsidies import services
from subsidies.models import Application, IncomeKind, Program, ProgramTier

D = datetime.date
ACTOR = "load_demo"

PROGRAMS = {
    "publicity": {
        "name": "孤独・孤立対策官民連携プラットフォーム広報・交流経費補助",
        "applicant_description": "プラットフォーム加入団体",
        "description": "支援団体による孤独・孤立対策の取組推進、支援団体同士の連携・協働を進めていくため、プラットフォーム加入団体が行う孤独・孤立対策に関する広報・交流活動を支援します。",
        "required_documents": "交付申請書\n事業計画書\n収支予算書\n団体の概要がわかる資料",
        "rounding": "floor_1000",
        "deducted_income_kinds": [IncomeKind.PARTICIPANT_FEES, IncomeKind.OTHER_GRANTS],
        "number_prefix": "孤立広報",
        "short_name": "広報・交流経費補助",
        "order": 10,
    },
    "peer_support": {
        "name": "当事者・家族等のピアサポート活動支援事業補助",
        "applicant_description": "県内のピアサポート団体",
        "description": "県内のピアサポート団体に対し活動費の助成を行い、経費の問題から二の足を踏んでいる本人や家族による新規立上げの後押しや既存団体の活動の活性化を図ります。",
        "required_documents": "交付申請書\n事業計画書\n収支予算書\n前年度の活動実績（継続の団体）",
        "rounding": "floor_1000",
        "deducted_income_kinds": [IncomeKind.OTHER_GRANTS],
        "number_prefix": "孤立ピア",
        "short_name": "ピアサポート活動支援",
        "order": 20,
        "general_types": ["ピアサポート・当事者団体"],
        "steering_categories": ["民間支援機関等"],
    },
    "municipal": {
        "name": "鳥取県市町村孤独・孤立解消支援事業補助金",
        "applicant_description": "市町村",
        "description": "ひきこもり、ヤングケアラー、老老介護等に対するセーフティネットやつながりの構築等、県民が安心して暮らせる温もりのある支え愛社会づくりに資する市町村事業を支援します。（拡充）「とっとり孤独・孤立サポーター」と連携して孤独・孤立対策に取り組む市町村を支援します。",
        "required_documents": "交付申請書\n事業計画書\n収支予算書",
        "rounding": "floor_1000",
        "deducted_income_kinds": [IncomeKind.OTHER_GRANTS, IncomeKind.PARTICIPANT_FEES],
        "number_prefix": "孤立市町村",
        "short_name": "市町村孤独・孤立解消",
        "order": 30,
        "steering_categories": ["行政"],
        "municipalities_only": True,
    },
    "young_carer_training": {
        "name": "ヤングケアラー支援機関研修会費用補助",
        "applicant_description": "プラットフォーム団体、民生・児童委員、地域包括支援センター等",
        "description": "ヤングケアラーの各支援機関による研修会の費用を補助します。",
        "required_documents": "交付申請書\n研修会の実施計画\n収支予算書",
        "rounding": "floor_1",
        "deducted_income_kinds": [IncomeKind.PARTICIPANT_FEES],
        "number_prefix": "孤立YC",
        "short_name": "ヤングケアラー研修会",
        "order": 40,
    },
}
CSV_PROGRAM_CODES = {
    "孤独・孤立対策官民連携プラットフォーム広報・交流経費補助": "publicity",
    "当事者・家族等のピアサポート活動支援事業補助": "peer_support",
    "鳥取県市町村孤独・孤立解消支援事業補助金": "municipal",
    "ヤングケアラー支援機関研修会費用補助": "young_carer_training",
}
TIER_LABELS = {"standard": "", "new": "新規", "continuing": "継続", "supporter_linked": "サポーター連携"}
BUDGETS = {
    (2025, "publicity"): 1_000_000,
    (2025, "peer_support"): 3_000_000,
    (2026, "publicity"): 1_000_000,
    (2026, "peer_support"): 3_500_000,
    (2026, "municipal"): 10_000_000,
    (2026, "young_carer_training"): 800_000,
}


def _window(year: int, code: str) -> tuple[datetime.date, datetime.date]:
    if code == "peer_support":
        return D(year, 4, 15), D(year, 6, 30)
    return D(year, 4, 15), D(year + 1, 1, 30)


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_programs(*, reference_dir: Path) -> int:
    """Programmes and tiers from subsidy_programs.csv (national grants, paid to governments, are left out)."""
    count = 0
    for row in _read_csv(reference_dir / "subsidy_programs.csv"):
        code = CSV_PROGRAM_CODES.get(row["program"])
        if code is None:
            continue
        spec = PROGRAMS[code]
        for label in row["fiscal_years"].split(";"):
            year = 2018 + int(label.strip().removeprefix("R"))
            opens_on, closes_on = _window(year, code)
            program, _created = Program.objects.update_or_create(
                fiscal_year=year,
                code=code,
                defaults={
                    "name": spec["name"],
                    "applicant_description": spec["applicant_description"],
                    "description": spec["description"],
                    "required_documents": spec["required_documents"],
                    "rounding": spec["rounding"],
                    "deducted_income_kinds": [str(kind) for kind in spec["deducted_income_kinds"]],
                    "number_prefix": spec["number_prefix"],
                    "short_name": spec["short_name"],
                    "order": spec["order"],
                    "municipalities_only": spec.get("municipalities_only", False),
                    "opens_on": opens_on,
                    "closes_on": closes_on,
                    "budget_yen": BUDGETS[(year, code)],
                },
            )
            program.eligible_general_types.set(
                [GeneralType.objects.get_or_create(name=name)[0] for name in spec.get("general_types", [])]
            )
            program.eligible_steering_categories.set(
                [SteeringCategory.objects.get_or_create(name=name)[0] for name in spec.get("steering_categories", [])]
            )
            ProgramTier.objects.update_or_create(
                program=program,
                code=row["tier"],
                defaults={
                    "label": TIER_LABELS.get(row["tier"], row["tier"]),
                    "rate_numerator": int(row["rate_numerator"]),
                    "rate_denominator": int(row["rate_denominator"]),
                    "cap_yen": int(row["cap_yen"]),
                    "order": list(TIER_LABELS).index(row["tier"]) if row["tier"] in TIER_LABELS else 9,
                },
            )
            count += 1
    return count


def _organization(name: str, *, reference: dict[str, dict]) -> Organization:
    """The member organisation with this exact name; a minimal approved row if the members loader has not run."""
    existing = Organization.objects.filter(name=name).order_by("pk").first()
    if existing is not None:
        return existing
    row = reference[name]
    fields = {"tier": row["tier"], "status": Organization.Status.APPROVED, "approved_on": D(2024, 4, 1)}
    if row["tier"] == Organization.Tier.STEERING:
        fields["steering_category"] = SteeringCategory.objects.get_or_create(name=row["category"])[0]
    else:
        fields["general_type"] = GeneralType.objects.get_or_create(name=row["category"])[0]
    if row.get("municipality"):
        fields["municipality"] = Municipality.objects.get_or_create(name=row["municipality"])[0]
    return Organization.objects.create(name=name, **fields)


def _lines(*items: tuple[str, str, int]) -> list[dict]:
    return [
        {"category": category, "description": description, "amount_yen": amount}
        for category, description, amount in items
    ]


# (organisation, title, purpose, planned expenses, planned income, actual expenses, actual income)
R7_PUBLICITY = [
    (
        "(一社)成年後見ネットワーク倉吉",
        "身寄りのない方への支援に関する研修会",
        "身寄りのない方の入院・入所や死後事務に関わる支援者向けの研修会を開催し、支援機関の連携を深める。",
        _lines(
            ("honoraria", "講師謝金", 100_000),
            ("rental", "会場使用料", 30_000),
            ("supplies", "資料印刷", 25_000),
            ("supplies", "広報チラシ印刷", 40_000),
        ),
        [{"kind": "participant_fees", "description": "資料代", "amount_yen": 15_000}],
        _lines(
            ("honoraria", "講師謝金", 100_000),
            ("rental", "会場使用料", 28_500),
            ("supplies", "資料印刷", 22_000),
            ("supplies", "広報チラシ印刷", 40_000),
        ),
        [{"kind": "participant_fees", "description": "資料代", "amount_yen": 12_000}],
    ),
    (
        "地域支え合い米子居い場所田園",
        "地域の居場所づくり団体の交流事業",
        "西部圏域の居場所・サロン運営団体が集まる交流会を開き、運営の工夫や課題を共有する。",
        _lines(
            ("rental", "会場使用料", 45_000),
            ("honoraria", "講師謝金", 60_000),
            ("supplies", "交流会資料印刷", 48_000),
            ("services", "広報（チラシ郵送）", 120_000),
        ),
        [],
        _lines(
            ("rental", "会場使用料", 45_000),
            ("honoraria", "講師謝金", 80_000),
            ("supplies", "交流会資料印刷", 65_000),
            ("services", "広報（チラシ郵送）", 140_000),
        ),
        [],
    ),
]

# (organisation, planned eligible cost, actual eligible cost); all continuing groups (継続 1/2).
R7_PEER_SUPPORT = [
    ("鳥取県精神障害者家族会連合会", 620_000, 598_000),
    ("NPO法人ピアサポートつむぎ", 1_200_000, 1_150_000),
    ("特定非営利活動法人西部ろうあ仲間サロン会", 365_000, 365_000),
    ("元気になろうの会(不登校や学校が苦手な子と親が集う会)", 180_000, 172_400),
    ("困り感を抱える子を支援する親の会/らっきょうの花", 240_000, 240_000),
    ("発達障がい家族ネット", 303_333, 310_000),
    ("NPO法人鳥取青少年ピアサポート", 800_000, 786_000),
]


def _full_lifecycle(
    application: Application,
    *,
    submitted_on,
    decided_on,
    reported_on,
    settled_on,
    paid_on,
    actual_expenses,
    actual_incomes,
) -> None:
    services.application_submit(actor=ACTOR, application=application, submitted_on=submitted_on)
    services.application_decide(actor=ACTOR, application=application, decided_on=decided_on)
    services.application_report(
        actor=ACTOR, application=application, reported_on=reported_on, expenses=actual_expenses, incomes=actual_incomes
    )
    services.application_settle(actor=ACTOR, application=application, settled_on=settled_on)
    services.application_pay(actor=ACTOR, application=application, paid_on=paid_on)


def _create(
    program: Program,
    tier_code: str,
    organization: Organization,
    *,
    title: str,
    purpose: str,
    start,
    end,
    expenses,
    incomes,
):
    existing = Application.objects.filter(program=program, organization=organization, title=title).first()
    if existing is not None:
        _mark_sample(existing)
        return None
    application = services.application_create(
        actor=ACTOR,
        program=program,
        tier=program.tiers.get(code=tier_code),
        organization=organization,
        title=title,
        purpose=purpose,
        period_start=start,
        period_end=end,
        expenses=expenses,
        incomes=incomes,
    )
    _mark_sample(application)
    return application


def _mark_sample(application: Application) -> None:
    """The reference names no recipients and no amounts: every demo application is invented (見本)."""
    if not application.is_sample:
        Application.objects.filter(pk=application.pk).update(is_sample=True)
        application.is_sample = True


def load_applications(*, reference_dir: Path) -> int:
    reference = {row["name"]: row for row in _read_csv(reference_dir / "organizations.csv")}
    created = 0
    publicity = Program.objects.get(fiscal_year=2025, code="publicity")
    for index, (name, title, purpose, expenses, incomes, actual, actual_income) in enumerate(R7_PUBLICITY):
        application = _create(
            publicity,
            "standard",
            _organization(name, reference=reference),
            title=title,
            purpose=purpose,
            start=D(2025, 7, 1),
            end=D(2026, 2, 28),
            expenses=expenses,
            incomes=incomes,
        )
        if application is None:
            continue
        _full_lifecycle(
            application,
            submitted_on=D(2025, 6, 2 + index),
            decided_on=D(2025, 6, 20),
            reported_on=D(2026, 3, 10),
            settled_on=D(2026, 3, 19),
            paid_on=D(2026, 3, 27),
            actual_expenses=actual,
            actual_incomes=actual_income,
        )
        created += 1
    peer = Program.objects.get(fiscal_year=2025, code="peer_support")
    for index, (name, planned, actual) in enumerate(R7_PEER_SUPPORT):
        application = _create(
            peer,
            "continuing",
            _organization(name, reference=reference),
            title="ピアサポート活動（継続）",
            purpose="当事者・家族によるピアサポート活動（定例会、個別相談、交流会）を継続して実施する。",
            start=D(2025, 4, 1),
            end=D(2026, 3, 31),
            expenses=_lines(
                ("honoraria", "ピアサポーター謝金", planned // 2),
                ("rental", "会場使用料", planned // 4),
                ("supplies", "通信・印刷費", planned - planned // 2 - planned // 4),
            ),
            incomes=[],
        )
        if application is None:
            continue
        _full_lifecycle(
            application,
            submitted_on=D(2025, 5, 12 + index),
            decided_on=D(2025, 7, 1),
            reported_on=D(2026, 3, 12),
            settled_on=D(2026, 3, 23),
            paid_on=D(2026, 3, 30),
            actual_expenses=_lines(
                ("honoraria", "ピアサポーター謝金", actual // 2),
                ("rental", "会場使用料", actual // 4),
                ("supplies", "通信・印刷費", actual - actual // 2 - actual // 4),
            ),
            actual_incomes=[],
        )
        created += 1
    # One R8 application waiting for the secretariat, so the back office shows work to do.
    publicity_r8 = Program.objects.get(fiscal_year=2026, code="publicity")
    application = _create(
        publicity_r8,
        "standard",
        _organization("NPO法人はるひな", reference=reference),
        title="福祉サービス事業所の交流・広報事業",
        purpose="事業所間の交流会と、孤独・孤立の相談先を紹介するリーフレットの作成。",
        start=D(2026, 9, 1),
        end=D(2027, 2, 28),
        expenses=_lines(
            ("rental", "会場使用料", 36_000),
            ("supplies", "リーフレット印刷", 150_000),
            ("honoraria", "講師謝金", 50_000),
        ),
        incomes=[],
    )
    if application is not None:
        services.application_submit(actor=ACTOR, application=application, submitted_on=D(2026, 7, 15))
        created += 1
    return created


def load(*, actor: Actor, reference_dir: Path, stdout) -> None:
    programs = load_programs(reference_dir=reference_dir)
    applications = load_applications(reference_dir=reference_dir)
    stdout.write(f"subsidies: {programs} programme tiers, {applications} new applications")
