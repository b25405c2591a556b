"""The admin for daily work: home in work order, supporters' staff pages linked, tier chooser grouped,
results report dates not in the future."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_home_lists_the_work_in_its_order(secretariat_client):
    response = secretariat_client.get(reverse("admin:index"))
    labels = [app["app_label"] for app in response.context["app_list"]]
    portal = [
        label for label in labels if label in ("members", "meetings", "subsidies", "supporters", "platform_portal")
    ]
    assert portal == ["members", "meetings", "subsidies", "supporters", "platform_portal"]


def test_supporter_staff_pages_are_reachable_from_the_admin(secretariat_client):
    html = secretariat_client.get(reverse("admin:supporters_supporter_changelist")).content.decode()
    for name in ("supporters:supporter_roster", "supporters:supporter_totals", "supporters:supporter_share"):
        assert reverse(name) in html, name


def test_tier_chooser_is_grouped_by_fiscal_year_and_programme(secretariat_client):
    from tests.subsidies.factories import ProgramFactory, ProgramTierFactory

    old = ProgramFactory(fiscal_year=2024, name="見本補助金", short_name="見本")
    new = ProgramFactory(fiscal_year=2025, name="見本補助金", short_name="見本")
    ProgramTierFactory(program=old, code="new", label="新規")
    ProgramTierFactory(program=new, code="new", label="新規")
    html = secretariat_client.get(reverse("admin:subsidies_application_add")).content.decode()
    assert '<optgroup label="令和7年度 見本補助金">' in html
    assert '<optgroup label="令和6年度 見本補助金">' in html
    assert html.index("令和7年度 見本補助金") < html.index("令和6年度 見本補助金")
    assert "R7 見本（新規）" in html and "R6 見本（新規）" in html


def test_a_results_report_dated_in_the_future_is_refused(secretariat, media_root):
    from django.utils import timezone

    from subsidies import services
    from tests.members.factories import OrganizationFactory
    from tests.subsidies.factories import ProgramTierFactory

    tier = ProgramTierFactory()
    application = services.application_create(
        actor=secretariat,
        program=tier.program,
        tier=tier,
        organization=OrganizationFactory(),
        title="交流事業",
        purpose="見本",
        period_start=datetime.date(2025, 7, 1),
        period_end=datetime.date(2026, 2, 28),
        expenses=[{"category": "rental", "description": "会場", "amount_yen": 300_000}],
    )
    services.application_submit(actor=secretariat, application=application, submitted_on=datetime.date(2025, 6, 2))
    services.application_decide(actor=secretariat, application=application, decided_on=datetime.date(2025, 6, 20))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.application_report(
            actor=secretariat,
            application=application,
            reported_on=tomorrow,
            expenses=[{"category": "rental", "description": "会場", "amount_yen": 300_000}],
        )
    assert caught.value.code == "report_date_in_future"


def test_deletion_on_request_asks_first_and_says_what_is_kept(secretariat_client, secretariat):
    from supporters.models import Supporter
    from tests.supporters.factories import make_supporter

    person = make_supporter(actor=secretariat, name="見本 削除", roster_code="S9")
    url = reverse("admin:supporters_supporter_changelist")
    data = {"action": "delete_on_request", "_selected_action": [person.pk]}
    confirm = secretariat_client.post(url, data)
    assert confirm.status_code == 200
    assert "残るもの" in confirm.content.decode()
    assert Supporter.objects.filter(pk=person.pk).exists()
    secretariat_client.post(url, {**data, "confirm": "yes"})
    assert not Supporter.objects.filter(pk=person.pk).exists()


def test_a_refused_appointment_keeps_the_roster_filters(secretariat_client, secretariat):
    from tests.supporters.factories import make_supporter

    untrained = make_supporter(actor=secretariat, trained=False, roster_code="S8")
    response = secretariat_client.post(
        reverse("supporters:supporter_appoint"),
        {"supporters": [untrained.pk], "appointed_on": "令和8年1月27日", "filters": "status=in_training&q=見本"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("supporters:supporter_roster") + "?status=in_training&q=")
