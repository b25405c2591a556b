"""Demo data: the platform profile and the public pages of the reference's platform (Tottori)."""

import datetime

from platform_portal import services
from platform_portal.audit import Actor

PROFILE = {
    "name": "とっとり孤独・孤立対策官民連携プラットフォーム",
    "short_name": "とっとり孤独・孤立対策PF",
    "jurisdiction": "鳥取県",
    "secretariat_name": "鳥取県 孤独・孤立対策課",
    "postal_code": "680-8570",
    "address": "鳥取県鳥取市東町一丁目220",
    "phone": "",
    "fax": "",
    "email": "",
    "supporter_programme_name": "とっとり孤独・孤立サポーター",
    # Every page then says the site runs on demo data (templates/base.html).
    "runs_on_demo_data": True,
}

HOME_BODY = """\
## プラットフォームの概要
孤独・孤立の問題については、行政による政策的な対処のみでは困難又はなじみづらい場合があり、一方で、NPO法人や社会福祉法人等の支援機関単独では対応が困難な実態もあることから、行政、民間支援機関等、多様な主体が幅広く参画し、官民一体で取組を推進します。

## 活動内容
孤独・孤立対策に関する普及・広報活動、孤独・孤立対策に取り組むNPO法人等の支援、孤独・孤立対策を分野横断的に推進するための県、市町村及びNPO等支援組織間の複合的・広域的な連携強化、関係機関の取組の情報共有及び課題や連携に関するワークショップ実施等の連携強化活動を行います。

## 幹事団体の機能
- PF活動の「企画」「検証」
- PF活動の「周知・発信」
- 県の孤独・孤立施策への提言
- 規定や幹事団体の決定
- 法15条に定める「孤独・孤立対策地域協議会」

## 一般団体の機能（令和6年4月1日募集開始）
- 連携した相談・支援の提供
- 連携事業の実施やフォーラムへの参加
- 分野横断的な情報共有
- 広報・交流活動の実施
- 市町村重層事業への参画

こども食堂、再犯防止、福祉団体、ピアサポート団体など幅広い支援機関を公募し、申し込みがあれば登録します。県孤独・孤立対策課が事務局となり、プラットフォーム全体の運営・企画、一般団体の募集を行っています。
"""

PRIVACY_BODY = """\
## 取得する個人情報
一般団体の加入申込み、イベントの参加申込み、サポーター名簿の管理のために、担当者の氏名、役職、電子メールアドレス、電話番号等を取得します。

## 会員団体ページのアカウント
会員団体の担当者のアカウントでは、次の情報を保管します。
- 電子メールアドレスとその確認の有無、パスワード（復元できない形に変換して保管）
- 担当する団体と役割（主担当者・担当者）、招待した人
- ログインの日時。ログインに失敗したときは、不正なログインを防ぐため、入力された電子メールアドレスと接続元のIPアドレス
- 団体ページでの操作（登録内容の変更の申出、担当者の招待、補助金の申請・修正・再申請・実績報告、書類の添付）の記録。記録には操作した人と、その人が代表した団体が残ります。
- 団体ページに関してお送りしたメール（招待、ログイン用のコード、パスワードの再設定を含む）。送信後14日間保管します。

補助金の申請書類と通知書は、補助金の事務に必要な期間保管します。担当者でなくなったときは、事務局にご連絡ください。アカウントと団体の結び付きを削除します。

## 利用目的
取得した個人情報は、プラットフォームの運営に関する連絡、加入審査、イベントの運営及びサポーター活動の調整のためにのみ利用し、それ以外の目的には利用しません。

## 公開する情報
団体名、団体種別、所在市町村、活動内容など、団体が公開に同意した団体の情報のみを公開します。担当者の個人情報は公開しません。

## 第三者への提供
法令に基づく場合及び本人の同意がある場合（サポーターが同意した場合の所在市町村への情報共有など）を除き、第三者に提供しません。

## 安全管理
個人情報は、アクセス権限を限定した事務局職員のみが取り扱い、操作の記録を残します。

## 開示・訂正・削除の請求
ご本人からの開示、訂正、利用停止、削除の請求には、事務局までご連絡ください。削除の請求があった場合は、集計上の人数を除き、記録から削除します。
"""

ACCESSIBILITY_BODY = """\
## 方針
本サイトは、高齢の方や障がいのある方を含む誰もが利用しやすいよう、日本産業規格 JIS X 8341-3:2016「高齢者・障害者等配慮設計指針－情報通信における機器，ソフトウェア及びサービス－第3部：ウェブコンテンツ」に対応することを目標とします。

## 目標とする適合レベル
JIS X 8341-3:2016 の適合レベルAAに準拠することを目標とします。

## 対象範囲
本サイトの公開ページ（団体名簿、会議、イベント、補助金、サポーターの各ページ及び各種申込みフォーム）、事務局の管理画面及び本サイトが生成するPDF文書を対象とします。

## 試験の方法と結果
公開ページと申込みフォーム（エラー表示時及び確認画面を含む）について、自動試験ツール axe-core（wcag2a、wcag2aa）で検証し、重大（serious）及び致命的（critical）な問題が0件であることを、変更のたびに自動テストで確認しています。キーボードのみでの操作、200%までの文字拡大についても確認しています。

## お問い合わせ
本サイトのアクセシビリティに関するご意見は、事務局までお寄せください。
"""


def load(*, actor: Actor, reference_dir, stdout) -> None:
    services.site_profile_update(actor=actor, **PROFILE)
    services.page_update(
        actor=actor,
        slug="home",
        title=PROFILE["name"],
        lead="孤独・孤立の問題に、行政、民間支援機関等の多様な主体が官民一体で取り組むためのプラットフォームです。",
        body=HOME_BODY,
    )
    services.page_update(actor=actor, slug="privacy", title="個人情報の取扱い", body=PRIVACY_BODY)
    services.page_update(actor=actor, slug="accessibility", title="ウェブアクセシビリティ方針", body=ACCESSIBILITY_BODY)
    _load_news()
    stdout.write("platform: profile, 3 pages and 2 sample news items")


# The reference has no news items: these are invented and say so (見本) in their titles.
DEMO_NEWS = [
    (
        "（見本）第7回プラットフォーム会議を開催しました",
        datetime.datetime(2026, 1, 27, 17, 0),
        "令和8年1月27日に第7回「とっとり孤独・孤立対策官民連携プラットフォーム」会議を開催しました。\n"
        "会議の次第と資料は「会議と資料」のページに掲載しています。\n"
        "（このお知らせはデモ用の見本です。）",
    ),
    (
        "（見本）補助金の募集を行っています",
        datetime.datetime(2026, 4, 15, 9, 0),
        "令和8年度の補助金の申請を受け付けています。制度の内容と締切は「補助金制度」のページをご覧ください。\n"
        "（このお知らせはデモ用の見本です。）",
    ),
]


def _load_news() -> None:
    from django.utils import timezone

    from platform_portal.models import NewsItem

    for title, published_at, body in DEMO_NEWS:
        NewsItem.objects.update_or_create(
            title=title,
            defaults={"published_at": timezone.make_aware(published_at), "body": body, "is_public": True},
        )
