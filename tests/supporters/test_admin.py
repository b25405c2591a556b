"""The admin screens of events and supporters open for the secretariat and are read-only for officials."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from platform_portal.models import AuditLogEntry
from supporters.models import Appointment, Supporter
from tests.meetings.event_factories import EventFactory
from tests.members.factories import MunicipalityFactory
from tests.supporters.factories import make_supporter

pytestmark = pytest.mark.django_db


def test_admin_screens_open(secretariat, official):
    person = make_supporter(actor=secretariat)
    event = EventFactory()
    pages = [
        reverse("admin:meetings_event_changelist"),
        reverse("admin:meetings_event_add"),
        reverse("admin:meetings_event_change", args=[event.pk]),
        reverse("admin:meetings_eventsignup_changelist"),
        reverse("admin:supporters_supporter_changelist"),
        reverse("admin:supporters_supporter_add"),
        reverse("admin:supporters_supporter_change", args=[person.pk]),
        reverse("admin:supporters_supporter_import"),
        reverse("admin:supporters_trainingcourse_changelist"),
        reverse("admin:supporters_appointment_changelist"),
    ]
    staff = Client()
    staff.force_login(secretariat)
    for url in pages:
        assert staff.get(url).status_code == 200, url
    viewer = Client()
    viewer.force_login(official)
    assert viewer.get(reverse("admin:supporters_supporter_import")).status_code == 403
    assert viewer.get(reverse("admin:supporters_supporter_add")).status_code == 403


def test_admin_add_goes_through_the_service(secretariat_client):
    municipality = MunicipalityFactory(name="米子市")
    response = secretariat_client.post(
        reverse("admin:supporters_supporter_add"),
        {
            "roster_code": "",
            "name": "管理 花子",
            "kana": "かんり はなこ",
            "municipality": municipality.pk,
            "email": "",
            "phone": "",
            "address": "",
            "affiliation": "",
            "notes": "",
            "trainings-TOTAL_FORMS": "0",
            "trainings-INITIAL_FORMS": "0",
            "trainings-MIN_NUM_FORMS": "0",
            "trainings-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person = Supporter.objects.get()
    assert person.roster_code == "S00001" and person.status == Supporter.Status.IN_TRAINING
    entry = AuditLogEntry.objects.get(action="supporters.supporter.created")
    assert "管理 花子" not in str(entry.data)


def test_admin_appoint_action_refuses_untrained(secretariat_client, secretariat):
    person = make_supporter(actor=secretariat, trained=False)
    secretariat_client.post(
        reverse("admin:supporters_supporter_changelist"), {"action": "appoint_today", "_selected_action": [person.pk]}
    )
    assert not Appointment.objects.exists()
    trained = make_supporter(actor=secretariat, name="修了 者", kana="しゅうりょう")
    secretariat_client.post(
        reverse("admin:supporters_supporter_changelist"), {"action": "appoint_today", "_selected_action": [trained.pk]}
    )
    trained.refresh_from_db()
    assert trained.appointment is not None
    assert trained.appointment.fiscal_year >= datetime.date(2025, 4, 1).year
