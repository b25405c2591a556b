"""Name keys for duplicate detection and search, phone and receipt numbers (pure functions)."""

import pytest

from members import rules


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("特定非営利活動法人はるひな", "NPO法人はるひな"),
        ("ＮＰＯ法人はるひな", "NPO法人 はるひな"),
        ("NPO法人はるひな", "はるひな"),
        ("一般社団法人ひだまり", "(一社)ひだまり"),
        ("（一社）ひだまり", "(一社)ひだまり"),
        ("一般社団法人　ひだまり", "ひだまり"),
        ("社会福祉法人養和会", "(社福)養和会"),
        ("株式会社コモングラウンド", "(株)コモングラウンド"),
        ("㈱コモングラウンド", "(株)コモングラウンド"),
        ("TRIGGER株式会社", "TRIGGER(株)"),
        ("ＴＲＩＧＧＥＲ（株）", "trigger"),
        ("公益財団法人テスト", "(公財)テスト"),
        ("合同会社あいいろ", "あいいろ"),
        ("株式会社Tri-Arrow", "tri arrow"),
        ("Tottori Mama's", "ＴｏｔｔｏｒｉＭａｍａ’ｓ"),
    ],
)
def test_name_key_folds_width_spaces_and_legal_forms(a, b):
    assert rules.name_key(a) == rules.name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("NPO法人はるひな", "NPO法人あかり広場"),
        ("鳥取市", "米子市"),
        ("倉吉市社協", "倉吉市"),
    ],
)
def test_name_key_keeps_different_groups_apart(a, b):
    assert rules.name_key(a) != rules.name_key(b)


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("TRIGGER(株)", "株式会社"),
        ("（一社）ひだまり", "一般社団法人"),
        ("NPO法人明るい生活", "特定非営利活動法人"),
        ("(社福)養和会", "社会福祉法人"),
        ("社会福祉法人鳥取いのちの電話", "社会福祉法人"),
        ("産前産後ケアハウスはぐはぐ合同会社", "合同会社"),
        ("倉吉病院", ""),
    ],
)
def test_legal_form_of(name, form):
    assert rules.legal_form_of(name) == form


@pytest.mark.parametrize(
    ("value", "expected"),
    [("ピアサポート", "ぴあさぽーと"), ("ﾋﾟｱ ｻﾎﾟｰﾄ", "ぴあさぽーと"), ("とっとり　けん", "とっとりけん")],
)
def test_kana_key(value, expected):
    assert rules.kana_key(value) == expected


@pytest.mark.parametrize(
    ("value", "normalized", "valid"),
    [
        ("０８５７－２６－７０００", "0857-26-7000", True),
        ("0857 26 7000", "0857267000", True),
        ("090ー1234ー5678", "090-1234-5678", True),
        ("+81-857-26-7000", "+81-857-26-7000", True),
        ("12345", "12345", False),
        ("0857-26-7000 内線12", "0857-26-7000内線12", False),
    ],
)
def test_phone(value, normalized, valid):
    assert rules.normalize_phone(value) == normalized
    assert rules.is_valid_phone(normalized) is valid


def test_email_key_folds_full_width_and_case():
    assert rules.email_key("Ｉｎｆｏ＠Ｅｘａｍｐｌｅ．ｊｐ ") == "info@example.jp"


def test_receipt_number_round_trip():
    assert rules.receipt_number(2026, 12) == "M-2026-0012"
    assert rules.parse_receipt_sequence("M-2026-0012") == 12
