"""Demo data of the member registry from the reference (7th meeting packet, <令和8年1月27日現在>).

Idempotent: lookups by name with update_or_create; organisations matched by exact name, so
that rows another loader created first (e.g. a subsidy recipient) are completed, not duplicated.
Approval dates are demo assumptions: steering members from the first platform meeting
(R4.9.14), general members from the opening of applications (R6.4.1), and the latest
approval on R8.1.27, the date of the reference's list.
"""

import csv
import datetime

from members import services
from members.models import ActivityField, GeneralType, Municipality, Organization, SteeringCategory
from members.selectors import registry_lookups_changed
from platform_portal.audit import Actor

# The prefecture's official order of its 19 municipalities, with readings.
MUNICIPALITIES = [
    ("鳥取市", "とっとりし"),
    ("米子市", "よなごし"),
    ("倉吉市", "くらよしし"),
    ("境港市", "さかいみなとし"),
    ("岩美町", "いわみちょう"),
    ("若桜町", "わかさちょう"),
    ("智頭町", "ちづちょう"),
    ("八頭町", "やずちょう"),
    ("三朝町", "みささちょう"),
    ("湯梨浜町", "ゆりはまちょう"),
    ("琴浦町", "ことうらちょう"),
    ("北栄町", "ほくえいちょう"),
    ("日吉津村", "ひえづそん"),
    ("大山町", "だいせんちょう"),
    ("南部町", "なんぶちょう"),
    ("伯耆町", "ほうきちょう"),
    ("日南町", "にちなんちょう"),
    ("日野町", "ひのちょう"),
    ("江府町", "こうふちょう"),
]
STEERING_CATEGORIES = ["民間支援機関等", "社会福祉法人", "行政"]
GENERAL_TYPES = ["福祉サービス事業所", "ピアサポート・当事者団体", "支援機関", "医療機関", "市町村社協", "その他"]
ACTIVITY_FIELDS = [
    "ひきこもり",
    "ヤングケアラー",
    "こども食堂",
    "居場所",
    "ピアサポート",
    "再犯防止",
    "権利擁護",
    "不登校",
    "子育て支援",
    "障がい",
    "生活困窮",
    "相談支援",
]

# Readings (よみがな, without the legal form) for 五十音 order.
KANA = {
    "NPO法人鳥取青少年ピアサポート": "とっとりせいしょうねんぴあさぽーと",
    "N.K.Cナーシングコアコーポレーション合同会社": "えぬけーしーなーしんぐこあこーぽれーしょん",
    "労働者協同組合ワーカーズコープセンター事業団さんいんみらい事業所": "わーかーずこーぷせんたーじぎょうだんさんいんみらいじぎょうしょ",
    "社会福祉法人鳥取いのちの電話": "とっとりいのちのでんわ",
    "鳥取県地域生活定着支援センター": "とっとりけんちいきせいかつていちゃくしえんせんたー",
    "一般社団法人鳥取県母子寡婦福祉連合会": "とっとりけんぼしかふふくしれんごうかい",
    "鳥取県民生児童委員協議会": "とっとりけんみんせいじどういいんきょうぎかい",
    "鳥取県児童福祉入所施設協議会": "とっとりけんじどうふくしにゅうしょしせつきょうぎかい",
    "鳥取県居住支援協議会": "とっとりけんきょじゅうしえんきょうぎかい",
    "鳥取県弁護士会": "とっとりけんべんごしかい",
    "日本司法支援センター鳥取地方事務所(法テラス鳥取)": "にほんしほうしえんせんたーとっとりちほうじむしょ",
    "鳥取県商工会議所連合会": "とっとりけんしょうこうかいぎしょれんごうかい",
    "社会福祉法人鳥取県社会福祉協議会": "とっとりけんしゃかいふくしきょうぎかい",
    "鳥取県教育委員会": "とっとりけんきょういくいいんかい",
    "鳥取県(事務局: 孤独・孤立対策課)": "とっとりけん",
    "NPO法人はるひな": "はるひな",
    "NPO法人あかり広場": "あかりひろば",
    "合同会社あいいろ": "あいいろ",
    "TRIGGER(株)": "とりがー",
    "産前産後ケアハウスはぐはぐ合同会社": "さんぜんさんごけあはうすはぐはぐ",
    "(株)コモングラウンド": "こもんぐらうんど",
    "(社福)養和会": "ようわかい",
    "鳥取県精神障害者家族会連合会": "とっとりけんせいしんしょうがいしゃかぞくかいれんごうかい",
    "NPO法人ピアサポートつむぎ": "ぴあさぽーとつむぎ",
    "特定非営利活動法人西部ろうあ仲間サロン会": "せいぶろうあなかまさろんかい",
    "元気になろうの会(不登校や学校が苦手な子と親が集う会)": "げんきになろうのかい",
    "困り感を抱える子を支援する親の会/らっきょうの花": "こまりかんをかかえるこをしえんするおやのかいらっきょうのはな",
    "発達障がい家族ネット": "はったつしょうがいかぞくねっと",
    "(一社)ひだまり": "ひだまり",
    "(一社)みもぎの会": "みもぎのかい",
    "Tottori Mama's": "とっとりままず",
    "(一社)成年後見ネットワーク倉吉": "せいねんこうけんねっとわーくくらよし",
    "(一社)鳥取県再犯抑止更生協会": "とっとりけんさいはんよくしこうせいきょうかい",
    "倉吉病院": "くらよしびょういん",
    "鳥取医療生活協同組合": "とっとりいりょうせいかつきょうどうくみあい",
    "倉吉市社協": "くらよしししゃきょう",
    "いき〇研究会": "いきまるけんきゅうかい",
    "NPO法人人と動物の共生センター": "ひととどうぶつのきょうせいせんたー",
    "米子フリースクール": "よなごふりーすくーる",
    "鳥取県公共図書館協議会": "とっとりけんこうきょうとしょかんきょうぎかい",
    "夢現の風": "ゆめうつつのかぜ",
    "株式会社Tri-Arrow": "とらいあろー",
    "フリースクールきょういく": "ふりーすくーるきょういく",
    "地域支え合い米子居い場所田園": "ちいきささえあいよなごいばしょでんえん",
    "フリースクール・S": "ふりーすくーるえす",
    "NPO法人明るい生活": "あかるいせいかつ",
}
KANA.update(dict(MUNICIPALITIES))

# A few obvious activity fields, so that the filter shows something in the demo.
FIELDS = {
    "NPO法人鳥取青少年ピアサポート": ["ひきこもり", "ピアサポート", "居場所"],
    "NPO法人ピアサポートつむぎ": ["ピアサポート"],
    "鳥取県精神障害者家族会連合会": ["ピアサポート", "障がい"],
    "元気になろうの会(不登校や学校が苦手な子と親が集う会)": ["不登校", "居場所"],
    "米子フリースクール": ["不登校", "居場所"],
    "フリースクールきょういく": ["不登校", "居場所"],
    "フリースクール・S": ["不登校", "居場所"],
    "地域支え合い米子居い場所田園": ["居場所"],
    "(一社)鳥取県再犯抑止更生協会": ["再犯防止"],
    "鳥取県地域生活定着支援センター": ["再犯防止", "相談支援"],
    "(一社)成年後見ネットワーク倉吉": ["権利擁護"],
    "鳥取県弁護士会": ["権利擁護", "相談支援"],
    "産前産後ケアハウスはぐはぐ合同会社": ["子育て支援"],
    "Tottori Mama's": ["子育て支援"],
    "社会福祉法人鳥取いのちの電話": ["相談支援"],
    "鳥取県居住支援協議会": ["生活困窮"],
}

TRACKED = [
    "tier",
    "steering_category_id",
    "general_type_id",
    "name_kana",
    "municipality_id",
    "status",
    "approved_on",
    "applied_on",
]
STEERING_SINCE = datetime.date(2022, 9, 14)
GENERAL_SINCE = datetime.date(2024, 4, 1)
AS_OF = datetime.date(2026, 1, 27)
LATEST = "NPO法人明るい生活"


def _lookups() -> None:
    for order, (name, kana) in enumerate(MUNICIPALITIES, start=1):
        Municipality.objects.update_or_create(name=name, defaults={"kana": kana, "order": order})
    for order, name in enumerate(STEERING_CATEGORIES, start=1):
        SteeringCategory.objects.update_or_create(name=name, defaults={"order": order})
    for order, name in enumerate(GENERAL_TYPES, start=1):
        GeneralType.objects.update_or_create(name=name, defaults={"order": order})
    for order, name in enumerate(ACTIVITY_FIELDS, start=1):
        ActivityField.objects.update_or_create(name=name, defaults={"order": order})
    registry_lookups_changed()


def load(*, actor: Actor, reference_dir, stdout) -> None:
    _lookups()
    categories = {c.name: c for c in SteeringCategory.objects.all()}
    types = {t.name: t for t in GeneralType.objects.all()}
    municipalities = {m.name: m for m in Municipality.objects.all()}
    fields = {f.name: f for f in ActivityField.objects.all()}
    existing = {o.name: o for o in Organization.objects.all()}
    created = completed = 0
    with open(reference_dir / "organizations.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["name"]
            steering = row["tier"] == "steering"
            organization = existing.get(name) or Organization(name=name)
            is_new = organization.pk is None
            before = {f: getattr(organization, f) for f in TRACKED}
            organization.tier = Organization.Tier.STEERING if steering else Organization.Tier.GENERAL
            organization.steering_category = categories[row["category"]] if steering else None
            organization.general_type = None if steering else types[row["category"]]
            organization.name_kana = organization.name_kana or KANA[name]
            organization.municipality = organization.municipality or municipalities.get(row["municipality"])
            if organization.status != Organization.Status.APPROVED or organization.approved_on is None:
                organization.status = Organization.Status.APPROVED
                if name == LATEST:
                    organization.approved_on = AS_OF
                else:
                    organization.approved_on = STEERING_SINCE if steering else GENERAL_SINCE
                organization.applied_on = organization.applied_on or organization.approved_on
            changed = [f for f in TRACKED if getattr(organization, f) != before[f]]
            if is_new or changed or not organization.name_key:
                # Through the service: name key, legal form, validation and one audit entry.
                services.organization_save(
                    actor=actor,
                    organization=organization,
                    changed_fields=changed,
                    activity_fields=[fields[f] for f in FIELDS.get(name, [])] if is_new or name in FIELDS else None,
                )
                created += is_new
                completed += not is_new
    stdout.write(f"members: {created} organisations created, {completed} completed")
