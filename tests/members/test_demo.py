"""The demo loader: the reference's 65 organisations, idempotent, completing rows made by other loaders."""

from io import StringIO

import pytest
from django.core.management import call_command

from members.models import GeneralType, Municipality, Organization, SteeringCategory
from tests.members.factories import GeneralTypeFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_load_demo_is_idempotent_and_completes_minimal_rows():
    # Another app's loader created a bare row by exact name before ours runs.
    bare = OrganizationFactory(
        name="NPO法人はるひな",
        name_kana="",
        general_type=GeneralTypeFactory(name="仮"),
        status="pending",
        approved_on=None,
    )
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    assert Organization.objects.count() == 65
    bare.refresh_from_db()
    assert (bare.general_type.name, bare.name_kana, bare.status) == ("福祉サービス事業所", "はるひな", "approved")
    assert list(Municipality.objects.values_list("name", flat=True)[:4]) == ["鳥取市", "米子市", "倉吉市", "境港市"]
    assert Municipality.objects.count() == 19
    assert list(SteeringCategory.objects.values_list("name", flat=True)) == ["民間支援機関等", "社会福祉法人", "行政"]
    assert list(GeneralType.objects.exclude(name="仮").values_list("name", flat=True)) == [
        "福祉サービス事業所",
        "ピアサポート・当事者団体",
        "支援機関",
        "医療機関",
        "市町村社協",
        "その他",
    ]
    assert not Organization.objects.filter(name_kana="").exists()
    assert not Organization.objects.filter(name_key="").exists()
