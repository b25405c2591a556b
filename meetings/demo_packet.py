"""Demo data of the 7th meeting's packet: the records its generated materials print, and the materials.

Everything here is stated in the reference packet (docs/reference-data/meeting7-packet.txt):
the programmes of R7 and R8 with their purpose lines, the council session of R7.10.30 with
its opinions and requests, the activity introduction of NPO法人人と動物の共生センター, the
municipal programmes table and the consultation window the council's opinions name. Phone
numbers and hours of windows are not in it, so the windows stay unconfirmed (no phone shown);
the one window the demo adds is marked 見本.
Runs after the subsidies and supporters loaders (idempotent: records are found by their names).
"""

import csv
import datetime
from pathlib import Path

from meetings.models import (
    ConsultationWindow,
    CouncilSession,
    Event,
    GeneratedKind,
    Material,
    Meeting,
    MeetingBody,
    MunicipalProgramme,
)
from meetings.services import meeting as services
from meetings.services import records as record_services
from members.models import Municipality, Organization, OrganizationActivity

R7, R8 = 2025, 2026
WORKSHOP_PURPOSE = "孤独・孤立に関わる取組を行っている団体同士の横のつながりを作り、相談支援の好事例の展開や顔の見える関係作りを目的として、「福祉をひらくワークショップ 2025」を開催。"
R7_INITIATIVES = [
    {
        "title": "「孤独・孤立対策官民連携プラットフォーム」によるワークショップの開催",
        "purpose": WORKSHOP_PURPOSE,
        "events": ["福祉をひらくワークショップ 2025 第1回", "福祉をひらくワークショップ 2025 第2回"],
    },
    {
        "title": "「孤独・孤立対策官民連携プラットフォーム」広報・交流経費補助",
        "purpose": "支援団体による孤独・孤立対策の取組推進、支援団体同士の連携・協働を進めていくため、プラットフォーム加入団体が行う孤独・孤立対策に関する交流活動等を支援。",
        "programs": [(R7, "publicity")],
        "outcome_note": "交流事業、身寄りのない方への支援の研修会に活用。",
    },
    {
        "title": "「とっとり孤独・孤立サポーター」",
        "purpose": "地域の中で孤独・孤立を抱える方に寄り添う支援・活動を行う「とっとり孤独・孤立サポーター」の養成や交流会を実施。",
        "events": [
            "とっとり孤独・孤立サポーター 共通研修",
            "とっとり孤独・孤立サポーター 基礎研修",
            "とっとり孤独・孤立サポーター交流会",
        ],
        "reports_supporters": True,
    },
    {
        "title": "孤独・孤立対策に向けたコミュニティの力を引き出す事業",
        "purpose": "老々介護など地域や支援機関との関わりが希薄な世帯に対して、地域コミュニティにおける支え合いのしくみや体制づくりが必要であるため、好事例を調査、情報共有。",
        "events": ["地域支え合いフォーラム"],
    },
    {
        "title": "当事者・家族等のピアサポート活動支援事業補助",
        "purpose": "県内のピアサポート団体に対し活動費の助成を行い、経費の問題から二の足を踏んでいる本人や家族による新規立上げの後押しや既存団体の活動の活性化を図る。",
        "programs": [(R7, "peer_support")],
    },
    {
        "title": "「ヤングケアラー支援フォーラム兼関係機関職員研修会」の開催",
        "purpose": "ヤングケアラーの早期発見・早期支援につなげる体制の構築を目的に開催。",
        "events": ["ヤングケアラー支援フォーラム兼関係機関職員研修会"],
    },
    {
        "title": "「ひきこもりを考えるフォーラム」の開催",
        "purpose": "ひきこもりに関する正しい理解の普及を目的に開催。",
        "events": ["ひきこもりを考えるフォーラム"],
    },
]
PF_GROUP = "孤独・孤立対策支援事業等 ※プラットフォーム事業に関する予算要求事業"
YC_GROUP = "ヤングケアラー支援推進事業 ※ヤングケアラー支援に関する予算要求事業"
NEW_GROUP = "（新規）身寄りのない方への支援事業 ※予算要求事業"
R8_INITIATIVES = [
    {
        "group": PF_GROUP,
        "title": "「孤独・孤立対策官民連携プラットフォーム」によるワークショップの開催",
        "purpose": "孤独・孤立に関わる取組を行っている団体同士の横のつながりを作り、相談支援の好事例の展開や顔の見える関係作りを目的として、ピアサポート、居場所づくり、人材育成などの各ワークショップを実施。",
    },
    {
        "group": PF_GROUP,
        "title": "「孤独・孤立対策官民連携プラットフォーム」広報・交流経費補助",
        "purpose": "支援団体による孤独・孤立対策の取組推進、支援団体同士の連携・協働を進めていくため、プラットフォーム加入団体が行う孤独・孤立対策に関する広報・交流活動に県として支援。",
        "programs": [(R8, "publicity")],
    },
    {
        "group": PF_GROUP,
        "title": "「とっとり孤独・孤立サポーター」",
        "purpose": "地域の中で孤独・孤立を抱える方に寄り添う支援・活動を行う「とっとり孤独・孤立サポーター」を養成。\nサポーターと地域活動団体、相談支援機関、市町村等関係者との交流を図る「サポーター交流会」を開催。",
    },
    {
        "group": PF_GROUP,
        "title": "「鳥取県市町村孤独・孤立解消支援事業補助金」",
        "purpose": "ひきこもり、ヤングケアラー、老老介護等に対するセーフティネットやつながりの構築等、県民が安心して暮らせる温もりのある支え愛社会づくりに資する市町村事業を支援。\n（拡充）「とっとり孤独・孤立サポーター」と連携して孤独・孤立対策に取り組む市町村を支援。",
        "programs": [(R8, "municipal")],
    },
    {
        "group": YC_GROUP,
        "title": "ヤングケアラー支援推進事業",
        "purpose": "（新規）ヤングケアラーコーディネーターの配置（ヤングケアラーの支援、市町村、学校、関係機関等の連携支援）\n（拡充）教育委員会と連携したヤングケアラー元当事者等による学校への出前授業\n（継続）ヤングケアラーの各支援機関による研修会の費用を補助",
        "programs": [(R8, "young_carer_training")],
    },
    {
        "group": NEW_GROUP,
        "title": "身寄りのない方への支援事業",
        "purpose": "少子高齢化、核家族化等の社会状況の変化に伴う単身者世帯の増加とともに、身寄りのない人への支援が必要となっており、市町村において苦慮するケースがあり課題となっている。\n今後、増加が見込まれる身寄りのない方が、これまでどおり住み慣れた地域において安心して生活していけるように専門家・関係団体の知見や地域住民の支え合い等を活用して、市町村による身寄りのない人を支える地域づくり・支援体制を推進していく。",
    },
]
COUNCIL = {
    "name": "令和7年度「孤独・孤立を防ぐ温もりのある支え愛社会づくり審議会」",
    "date": datetime.date(2025, 10, 30),
    "event": "令和7年度 孤独・孤立を防ぐ温もりのある支え愛社会づくり審議会",
    "opinions": [
        "県立ハローワークに生活困りごと相談窓口が設置されているが、ほとんど知られていない。本当に困っている当事者、家族はSOSを挙げられない。相談窓口の情報の周知やピアサポート団体との連携強化をしてほしい。",
        "孤独・孤立を防ぐ温もりのある支え愛社会づくり条例が制定され、制度だけではなく、社会・地域づくりとして、県民の意識変容が重要であり、地域、公民館などを巻き込むことが大事。相談支援が充実するだけでなく、相談に行けない、行くこと自体をためらう人たちが孤独・孤立に陥らないように、地域を変えないといけない。",
        "当事者・家族が相談窓口に行ったら終わり、あとは家族・当事者が頑張るのではなく、当事者等が受け入れられる地域社会となってほしい。当事者・家族も自分たちの話をすることで身を削っているが、それをしてでも地域を良くしたい。みんなが生きやすい社会になってほしい。",
    ],
    "requests": [
        {
            "title": "孤独・孤立の啓発・各種相談窓口の周知",
            "text": "望まない孤独・孤立を防ぐため、支援を求める声を上げやすい、声をかけやすい地域・社会に向けた住民啓発や各種相談窓口を地域の公民館、住民団体、地域協議会、自治会等への周知をお願いします。",
            "notes": "県孤独・孤立対策課ホームページに掲載している各種相談窓口の周知や相談窓口のチラシの配布をお願いします。\n相談窓口のチラシが必要である場合には、県孤独・孤立対策課にご連絡ください。",
        },
        {
            "title": "ピアサポート団体等との連携",
            "text": "地域のピアサポート団体等との連携を図りつつ、当事者・家族等への相談・伴走支援をお願いします。",
            "notes": "プラットフォーム団体のピアサポート団体のほか、県が把握しているピアサポート団体を情報提供させていただきます。\n併せて、地域で活動しているピアサポート団体等の把握をお願いします。",
        },
    ],
}
ACTIVITY_ORG = "NPO法人人と動物の共生センター"
ACTIVITY_DESCRIPTION = "孤独・孤立により、つながりが乏しいことで、動物に安息を求め、動物を集めてしまったり、繁殖制限を行わないと増えてしまうことを知らずに、気づいたらお世話が出来ない状態に発展してしまう(多頭飼育崩壊)ことがあります。解決には動物だけではなく、孤独に寄り添う支援をし、まず人を支え動物を適切に飼育できる環境を作る必要があります。当団体では行政や社会福祉関係の支援者や要支援者本人から相談を受けつけ、それぞれの問題解決のための支援を行っています。"
ACTIVITIES = [
    (
        datetime.date(2025, 10, 9),
        "プラットフォーム団体の交流を図るワークショップでゲストとして活動紹介",
        "福祉をひらくワークショップ 2025（エキパル倉吉 多目的ホール）",
    ),
    (
        datetime.date(2025, 12, 16),
        "人と動物の医療福祉を豊かにする研修会を日南病院など関係団体と一緒に開催",
        "米子コンベンションセンター 6階 第7会議室。対象：保健・医療・介護・福祉の専門職、動物愛護関係者、行政職員",
    ),
]
# The window the council's opinions name (no phone or hours in the reference, so unconfirmed),
# and one the demo adds from the member list, marked 見本 because the reference does not list it.
WINDOWS = [
    {"name": "生活困りごと相談窓口（県立ハローワーク）", "subject": "生活の困りごと", "order": 10, "is_sample": False},
    {"name": "社会福祉法人鳥取いのちの電話", "subject": "悩みごと・こころの相談", "order": 20, "is_sample": True},
]
LECTURES = {
    "ヤングケアラー支援フォーラム兼関係機関職員研修会": [
        (
            "講演：「ヤングケアラーを見逃さない、寄り添い支援のヒント～『ホントの大人』の必要性～」",
            "石川七恵",
            "沖縄県ヤングケアラー・コーディネーター",
        ),
        (
            "鳥取ケアラー会議：ヤングケアラー当事者及び元当事者より自身のケア体験や体験に基づく必要な支援等についてトーク",
            "",
            "",
        ),
        ("ワークショップ：「ヤングケアラーの人生のために今、私たちにできること」をテーマにグループトーク", "", ""),
    ],
    "ひきこもりを考えるフォーラム": [
        ("講演：「長期高齢化したひきこもりに周囲は何ができるか」", "ぼそっと池井多", ""),
        (
            "出張ひ老会：「ひきこもりと老いを考える会(ひ老会)」を開催。ひきこもり当事者や家族、支援者が参加し自身の体験や悩み等の意見交換を行った",
            "",
            "",
        ),
    ],
}
AGENDA_REPORT_1 = "令和7年度孤独・孤立対策事業の結果等について"
AGENDA_REPORT_2 = "一般団体会員の活動紹介について"
AGENDA_EXCHANGE = "令和8年度県・市町村孤独・孤立対策事業について"


def _programs(keys):
    from subsidies.models import Program

    return [Program.objects.get(fiscal_year=year, code=code) for year, code in keys]


def _initiatives(*, actor, fiscal_year: int, rows: list[dict]) -> None:
    for order, row in enumerate(rows, start=1):
        initiative = record_services.initiative_save(
            actor=actor,
            fiscal_year=fiscal_year,
            title=row["title"],
            group=row.get("group", ""),
            order=order * 10,
            label=row.get("label", ""),
            purpose=row["purpose"],
            outcome_note=row.get("outcome_note", ""),
            reports_supporters=row.get("reports_supporters", False),
            subsidy_programs=_programs(row.get("programs", [])),
        )
        Event.objects.filter(title__in=row.get("events", [])).update(initiative=initiative)


def _lectures() -> None:
    from meetings.models import ProgrammeItem

    for title, items in LECTURES.items():
        event = Event.objects.get(title=title)
        event.programme.all().delete()
        ProgrammeItem.objects.bulk_create(
            ProgrammeItem(event=event, order=i, title=t, speaker=s, affiliation=a)
            for i, (t, s, a) in enumerate(items, start=1)
        )


def _council(*, actor) -> CouncilSession:
    return record_services.council_session_save(
        actor=actor,
        name=COUNCIL["name"],
        date=COUNCIL["date"],
        event=Event.objects.filter(title=COUNCIL["event"]).first(),
        is_public=True,
        opinions=COUNCIL["opinions"],
        requests=COUNCIL["requests"],
    )


def _activity_org(*, actor) -> Organization:
    from members.services import organization_activities_changed, organization_save

    organization = Organization.objects.get(name=ACTIVITY_ORG)
    wanted = {"description": ACTIVITY_DESCRIPTION, "website": "https://human-animal.jp/"}
    changed = [name for name, value in wanted.items() if getattr(organization, name) != value]
    if changed:
        for name in changed:
            setattr(organization, name, wanted[name])
        organization_save(actor=actor, organization=organization, changed_fields=changed)
    if not organization.activities.exists():
        OrganizationActivity.objects.bulk_create(
            OrganizationActivity(organization=organization, date=d, title=t, text=x, order=i)
            for i, (d, t, x) in enumerate(ACTIVITIES, start=1)
        )
        organization_activities_changed(actor=actor, organization=organization, changed_rows=len(ACTIVITIES))
    return organization


def _municipal(*, reference_dir: Path) -> int:
    municipalities = {m.name: m for m in Municipality.objects.all()}
    with (reference_dir / "municipal_programs.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for order, row in enumerate(rows, start=1):
        name, _sep, area = row["municipality"].partition(" (")
        MunicipalProgramme.objects.update_or_create(
            municipality=municipalities[name],
            fiscal_year=2018 + int(row["fiscal_year"].removeprefix("R")),
            name=row["program"],
            defaults={"content": row["summary"], "area_note": area.removesuffix(")"), "order": order},
        )
    return len(rows)


def _windows() -> None:
    for row in WINDOWS:
        ConsultationWindow.objects.update_or_create(
            name=row["name"],
            defaults={
                "subject": row["subject"],
                "order": row["order"],
                "is_sample": row["is_sample"],
                "confirmed": False,
            },
        )


def _materials(*, actor, session: CouncilSession, organization: Organization) -> int:
    platform = MeetingBody.objects.get(slug="platform")
    meeting = Meeting.objects.get(body=platform, number=7)
    items = {item.title: item for item in meeting.agenda_items.all()}
    wanted = [
        {"kind": GeneratedKind.OVERVIEW, "title": "とっとり孤独・孤立対策官民連携プラットフォームの概要"},
        {"kind": GeneratedKind.REGISTRY, "title": "一般会員団体の加入状況（会員名簿）", "as_of": meeting.date},
        {
            "kind": GeneratedKind.RESULTS,
            "title": AGENDA_REPORT_1,
            "agenda_item": items[AGENDA_REPORT_1],
            "fiscal_year": R7,
        },
        {
            "kind": GeneratedKind.COUNCIL,
            "title": "令和7年度孤独・孤立に関する事業結果等について",
            "agenda_item": items[AGENDA_REPORT_1],
            "council_session": session,
        },
        {
            "kind": GeneratedKind.MEMBER_ACTIVITY,
            "title": AGENDA_REPORT_2,
            "agenda_item": items[AGENDA_REPORT_2],
            "organization": organization,
        },
        {
            "kind": GeneratedKind.NEXT_YEAR_PLAN,
            "title": "令和8年度県の孤独・孤立対策事業について",
            "agenda_item": items[AGENDA_EXCHANGE],
            "fiscal_year": R8,
        },
        {
            "kind": GeneratedKind.MUNICIPAL_PROGRAMMES,
            "title": "令和8年度市町村の孤独・孤立対策事業",
            "agenda_item": items[AGENDA_EXCHANGE],
            "fiscal_year": R7,
        },
    ]
    existing = {m.number: m for m in Material.objects.filter(meeting=meeting)}
    for number, data in enumerate(wanted, start=1):
        if number in existing:
            continue
        services.material_generate(actor=actor, meeting=meeting, number=number, is_public=True, **data)
    return len(wanted)


def load(*, actor, reference_dir: Path, stdout) -> None:
    _lectures()
    _initiatives(actor=actor, fiscal_year=R7, rows=R7_INITIATIVES)
    _initiatives(actor=actor, fiscal_year=R8, rows=R8_INITIATIVES)
    session = _council(actor=actor)
    organization = _activity_org(actor=actor)
    programmes = _municipal(reference_dir=reference_dir)
    _windows()
    materials = _materials(actor=actor, session=session, organization=organization)
    stdout.write(f"packet: {programmes} municipal programmes, {materials} generated materials of the 7th meeting")
