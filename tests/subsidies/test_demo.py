"""The demo data matches the reference: two publicity groups and seven continuing peer-support groups in R7."""

import io

import pytest
from django.core.management import call_command

from subsidies.models import Application, Decision, Program, Settlement

pytestmark = pytest.mark.django_db


def test_demo_matches_the_reference_and_is_idempotent(media_root, settings):
    call_command("load_demo", stdout=io.StringIO())
    counts = (
        Program.objects.count(),
        Application.objects.count(),
        Decision.objects.count(),
        Settlement.objects.count(),
    )
    call_command("load_demo", stdout=io.StringIO())
    assert (
        Program.objects.count(),
        Application.objects.count(),
        Decision.objects.count(),
        Settlement.objects.count(),
    ) == counts
    assert set(Program.objects.filter(fiscal_year=2025).values_list("code", flat=True)) == {"publicity", "peer_support"}
    assert Program.objects.filter(fiscal_year=2026).count() == 4
    paid = Application.objects.filter(program__fiscal_year=2025, status=Application.Status.PAID)
    assert paid.filter(program__code="publicity").values("organization").distinct().count() == 2
    peer = paid.filter(program__code="peer_support")
    assert peer.count() == 7
    assert set(peer.values_list("tier__code", flat=True)) == {"continuing"}
    assert all(a.final_yen <= a.decided_yen for a in paid)
    assert all(d.notice for d in Decision.objects.all()) and all(s.notice for s in Settlement.objects.all())
    # The publicity group whose actual cost went past the plan is settled at its decided amount.
    assert paid.get(title="地域の居場所づくり団体の交流事業").final_yen == 182_000
    assert Application.objects.filter(status=Application.Status.SUBMITTED).count() == 1
    # The reference names no recipients and no amounts: every demo application is marked 見本.
    assert not Application.objects.filter(is_sample=False).exists()
