"""A person sees only their own groups' records (issue 14): every member URL, taken from the URL
conf (not a hand list), answers 404 to a member of another group, GET and POST alike."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from members import services as member_services
from members.models import ContactPerson, Membership, Organization
from subsidies import services
from tests.members.factories import OrganizationFactory
from tests.pdf_samples import plain_pdf
from tests.platform_portal.urlwalk import walk_urls
from tests.subsidies.factories import ProgramTierFactory

PARAM = re.compile(r"<(?:[^>:]+:)?([^>]+)>")
# Records that belong to a group; the walk fills them from the victim group.
GROUP_RECORDS = {"pk", "attachment_id"}


def _member_entries():
    entries = [entry for entry in walk_urls() if (entry.name or "").startswith("member:")]
    assert len(entries) >= 13
    return entries


def _group(secretariat, name, email):
    organization = OrganizationFactory(name=name, status=Organization.Status.PENDING, approved_on=None)
    ContactPerson.objects.create(organization=organization, name="担当", email=email, is_primary=True)
    member_services.organization_approve(actor=secretariat, organization=organization)
    return Membership.objects.select_related("user").get(organization=organization)


@pytest.fixture
def victim_records(db, secretariat, media_root):
    victim = _group(secretariat, "被害の会", "victim@example.jp")
    tier = ProgramTierFactory(program__opens_on=datetime.date(2000, 1, 1), program__closes_on=datetime.date(2099, 1, 1))
    application = services.application_create(
        actor=secretariat,
        program=tier.program,
        tier=tier,
        organization=victim.organization,
        title="秘密の事業",
        purpose="p",
        period_start=datetime.date(2025, 7, 1),
        period_end=datetime.date(2025, 8, 1),
        expenses=[{"category": "rental", "description": "会場", "amount_yen": 30000}],
    )
    attachment = services.attachment_add(
        actor=secretariat,
        application=application,
        title="領収書",
        uploaded=SimpleUploadedFile("r.pdf", plain_pdf(), content_type="application/pdf"),
    )
    services.application_submit(actor=secretariat, application=application, submitted_on=datetime.date(2025, 6, 1))
    services.application_decide(actor=secretariat, application=application)
    services.application_report(
        actor=secretariat,
        application=application,
        expenses=[{"category": "rental", "description": "会場", "amount_yen": 30000}],
    )
    services.application_settle(actor=secretariat, application=application)
    return {
        "organization_id": victim.organization_id,
        "pk": application.pk,
        "attachment_id": attachment.pk,
        "program_id": tier.program_id,
        "material_id": 1,
    }


def _path(route: str, values: dict) -> str:
    return "/" + PARAM.sub(lambda m: str(values[m.group(1)]), route)


def test_every_member_url_answers_404_for_another_groups_records(client, secretariat, victim_records, capsys):
    intruder = _group(secretariat, "よその会", "intruder@example.jp")
    client.force_login(intruder.user)
    checked, failures = 0, []
    for entry in _member_entries():
        params = set(PARAM.findall(entry.route))
        variants = []
        if "organization_id" in params:
            variants.append(victim_records)  # the other group's page and records
            if params & GROUP_RECORDS:
                # Their own group in the URL, the other group's record id.
                variants.append({**victim_records, "organization_id": intruder.organization_id})
        for values in variants:
            path = _path(entry.route, values)
            for method in ("get", "post"):
                status = getattr(client, method)(path).status_code
                checked += 1
                # 405: the view does not take this method at all, for anyone; it says nothing about the record.
                if status != 404 and status != 405:
                    failures.append(f"{method.upper()} {path} ({entry.name}) -> {status}")
    with capsys.disabled():
        print(f"\nmember URL walk: {checked} requests for another group's records, {len(failures)} answered")
    assert failures == []
    assert checked >= 40


def test_the_owner_reaches_the_same_urls(client, secretariat, victim_records):
    """The same walk as the owner answers (so the 404s above are about the group, not broken URLs)."""
    owner = Membership.objects.get(organization_id=victim_records["organization_id"]).user
    client.force_login(owner)
    for entry in _member_entries():
        params = set(PARAM.findall(entry.route))
        if "organization_id" not in params or "material_id" in params:
            continue
        status = client.get(_path(entry.route, victim_records)).status_code
        assert status in (200, 302, 405), f"{entry.name} -> {status}"
