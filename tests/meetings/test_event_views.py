"""Public event pages, the sign-up flow with its confirm step, the iCal feed and staff check-in."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse

from meetings.models import Event, EventSignup
from meetings.services import event as services
from platform_portal.selectors import site_profile_get
from tests.meetings.event_factories import EventFactory
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

FORM = {
    "name": "鳥取 花子",
    "kana": "とっとり はなこ",
    "email": "hanako@example.jp",
    "phone": "０８５７－００－１２３４",
    "affiliation": "NPO法人テスト",
    "attendance": "venue",
    "message": "",
}


def test_event_list_shows_upcoming_and_past_by_fiscal_year(client):
    EventFactory(title="R7のワークショップ", start_date=datetime.date(2025, 10, 9), participants_total=29)
    EventFactory(title="R6のフォーラム", start_date=datetime.date(2025, 3, 31))
    EventFactory(title="非公開の会議", is_public=False)
    EventFactory(open_for_signup=True, title="これからの研修")
    response = client.get(reverse("events:event_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("これからの研修") < html.index("R7のワークショップ") < html.index("R6のフォーラム")
    assert "令和7年度" in html and "令和6年度" in html and "非公開の会議" not in html
    filtered = client.get(reverse("events:event_list"), {"year": 2024}).content.decode()
    assert "R6のフォーラム" in filtered and "R7のワークショップ" not in filtered
    assert client.get(reverse("events:event_list"), {"year": "1999"}).status_code == 404
    assert client.get(reverse("events:event_list"), {"year": "abc"}).status_code == 404


def test_event_detail_shows_results_and_planned_period(client):
    held = EventFactory(
        title="ヤングケアラー支援フォーラム",
        participants_total=71,
        participants_venue=38,
        participants_online=33,
        format=Event.Format.HYBRID,
    )
    html = client.get(held.get_absolute_url()).content.decode()
    assert 'id="participants-total">71' in html and ": 38" in html and ": 33" in html
    planned = EventFactory(
        title="交流会",
        start_date=None,
        planned_from=datetime.date(2026, 2, 1),
        planned_until=datetime.date(2026, 3, 31),
        planned_label="2～3月",
        status=Event.Status.PLANNED,
    )
    html = client.get(planned.get_absolute_url()).content.decode()
    assert "2～3月" in html and "令和7年度" in html


@pytest.mark.parametrize(
    ("venue", "fmt", "shown"),
    [
        ("", Event.Format.VENUE, '<dd class="col-sm-9">—</dd>'),
        ("", Event.Format.ONLINE, '<dd class="col-sm-9">オンライン</dd>'),
        ("倉吉未来中心", Event.Format.HYBRID, "倉吉未来中心 (会場・オンライン併用)"),
    ],
)
def test_event_venue_without_a_place_is_not_shown_as_a_dash_with_a_format(client, venue, fmt, shown):
    event = EventFactory(venue=venue, format=fmt)
    html = client.get(event.get_absolute_url()).content.decode()
    assert shown in html
    assert "— (" not in html


@pytest.mark.parametrize(("approximate", "shown"), [(True, "約120人"), (False, "120人")])
def test_event_detail_shows_about_only_for_an_approximate_recording_count(client, approximate, shown):
    event = EventFactory(participants_total=64, recording_requests=120, recording_requests_approximate=approximate)
    html = client.get(event.get_absolute_url()).content.decode()
    assert f'id="recording-requests">{shown}<' in html


def test_non_public_event_is_404(client):
    event = EventFactory(is_public=False)
    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(reverse("events:event_signup", args=[event.pk])).status_code == 404


def test_signup_goes_through_the_confirm_step(client, django_capture_on_commit_callbacks):
    event = EventFactory(open_for_signup=True)
    url = reverse("events:event_signup", args=[event.pk])
    form_page = client.get(url)
    assert form_page["Cache-Control"] == "no-store"
    assert reverse("page_privacy") in form_page.content.decode()
    confirm = client.post(url, FORM)
    assert confirm.status_code == 200
    assert "events/event_signup_confirm.html" in [t.name for t in confirm.templates]
    assert not EventSignup.objects.exists()
    shown = confirm.content.decode()
    assert "0857-00-1234" in shown and "０８５７" not in shown  # the value as it will be stored
    assert "会場参加" in shown
    back = client.post(url, {**FORM, "back": "1"})
    assert "events/event_signup_form.html" in [t.name for t in back.templates]
    assert 'value="鳥取 花子"' in back.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {**FORM, "confirm": "1"})
    signup = EventSignup.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("events:event_signup_detail", args=[signup.token])
    assert "hanako" not in done["Location"]  # no personal data in URLs
    assert signup.phone == "0857-00-1234"
    run_tasks()
    assert len(mail.outbox) == 1
    assert str(signup.token) in mail.outbox[0].body
    detail = client.get(done["Location"])
    assert detail["Cache-Control"] == "no-store"
    assert "鳥取 花子" in detail.content.decode()


def test_invalid_signup_rerenders_with_errors(client):
    event = EventFactory(open_for_signup=True)
    response = client.post(
        reverse("events:event_signup", args=[event.pk]), {**FORM, "email": "not-an-email", "name": "名前\u202e"}
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("name", "forbidden_characters")
    assert response.context["form"].has_error("email")
    assert not EventSignup.objects.exists()


def test_full_event_puts_people_on_the_waiting_list_and_duplicate_is_refused(client):
    event = EventFactory(open_for_signup=True, capacity=1)
    url = reverse("events:event_signup", args=[event.pk])
    client.post(url, {**FORM, "confirm": "1"})
    client.post(url, {**FORM, "email": "second@example.jp", "confirm": "1"})
    assert list(EventSignup.objects.values_list("status", flat=True)) == ["confirmed", "waitlisted"]
    again = client.post(url, {**FORM, "confirm": "1"})
    assert again.status_code == 200
    assert again.context["form"].has_error("__all__", "already_signed_up")
    assert "1 / 1" not in client.get(event.get_absolute_url()).content.decode()


def test_signup_post_is_rate_limited(client, settings):
    event = EventFactory(open_for_signup=True)
    url = reverse("events:event_signup", args=[event.pk])
    statuses = [client.post(url, {**FORM, "email": f"p{n}@example.jp"}).status_code for n in range(31)]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429


def test_cancel_through_the_token_page(client):
    event = EventFactory(open_for_signup=True, capacity=1)
    first = services.event_signup_create(event_id=event.pk, name="一", email="a@example.jp")
    second = services.event_signup_create(event_id=event.pk, name="二", email="b@example.jp")
    url = reverse("events:event_signup_cancel", args=[first.token])
    assert client.get(url).status_code == 405
    client.post(url)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("cancelled", "confirmed")
    page = client.get(reverse("events:event_signup_detail", args=[first.token])).content.decode()
    assert "取消し済み" in page and "中止" not in page  # 中止 is what an event called off is
    assert "取消しの際に使います" not in page and 'aria-current="step"' not in page


def test_feed_lists_upcoming_public_events_as_text_calendar(client):
    EventFactory(open_for_signup=True, title="これからの研修, 第1回")
    EventFactory(title="終わったフォーラム")
    response = client.get(reverse("events:event_feed"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert "これからの研修\\, 第1回" in text.replace("\r\n ", "")
    assert "終わったフォーラム" not in text
    profile = site_profile_get()
    assert f"X-WR-CALNAME:{profile.short_name or profile.name} イベント\r\n" in text


def test_checkin_page_access(secretariat, official, django_user_model):
    event = EventFactory(open_for_signup=True)
    url = reverse("events:event_checkin", args=[event.pk])
    assert Client().get(url).status_code == 302  # to the login page
    outsider = django_user_model.objects.create_user(username="outsider", password="x" * 12)
    expected = {official: 403, secretariat: 200, outsider: 404}
    for user, status in expected.items():
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_checkin_post_checks_in_and_counts_follow(secretariat_client, secretariat):
    event = EventFactory(open_for_signup=True, capacity=2)
    signup = services.event_signup_create(event_id=event.pk, name="受付 太郎", email="t@example.jp")
    url = reverse("events:event_checkin", args=[event.pk])
    response = secretariat_client.post(url, {"signup": signup.pk, "checked_in": "on"})
    assert response.status_code == 302
    signup.refresh_from_db()
    event.refresh_from_db()
    assert signup.checked_in_at is not None
    assert event.participants_total == 1
    page = secretariat_client.get(url)
    assert page["Cache-Control"] == "no-store"
    other = EventFactory(open_for_signup=True)
    assert (
        secretariat_client.post(
            reverse("events:event_checkin", args=[other.pk]), {"signup": signup.pk, "checked_in": "on"}
        ).status_code
        == 404
    )


def _bulk_events(n):
    today = datetime.date.today()
    Event.objects.bulk_create(
        Event(
            title=f"イベント{i}",
            kind=Event.Kind.FORUM,
            start_date=today - datetime.timedelta(days=i * 3 - 600),
            status=Event.Status.PLANNED if i % 2 else Event.Status.HELD,
            venue="会場",
            participants_total=i,
        )
        for i in range(n)
    )


@pytest.mark.parametrize("rows", [10, 500])
def test_event_list_query_count_is_flat(client, django_assert_max_num_queries, rows):
    _bulk_events(rows)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("events:event_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [10, 500])
def test_admin_changelists_query_count_is_flat(secretariat_client, django_assert_max_num_queries, rows):
    _bulk_events(rows)
    event = Event.objects.first()
    EventSignup.objects.bulk_create(
        EventSignup(event=event, name=f"人{i}", email=f"p{i}@example.jp", status="confirmed") for i in range(rows)
    )
    for name in ("admin:meetings_event_changelist", "admin:meetings_eventsignup_changelist"):
        with django_assert_max_num_queries(14):
            assert secretariat_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("rows", [10, 500])
def test_checkin_page_query_count_is_flat(secretariat_client, django_assert_max_num_queries, rows):
    event = EventFactory(open_for_signup=True, capacity=rows)
    EventSignup.objects.bulk_create(
        EventSignup(event=event, name=f"人{i}", email=f"p{i}@example.jp", status="confirmed") for i in range(rows)
    )
    with django_assert_max_num_queries(12):
        assert secretariat_client.get(reverse("events:event_checkin", args=[event.pk])).status_code == 200


def test_admin_check_in_action(secretariat_client):
    event = EventFactory(open_for_signup=True)
    signup = services.event_signup_create(event_id=event.pk, name="受付 次郎", email="j@example.jp")
    response = secretariat_client.post(
        reverse("admin:meetings_eventsignup_changelist"), {"action": "check_in", "_selected_action": [signup.pk]}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.participants_total == 1


def test_official_cannot_use_checkin_permission():
    assert not Permission.objects.filter(codename="checkin_eventsignup", group__name="official").exists()


def test_closed_signup_shows_no_confirm_step(client):
    event = EventFactory(open_for_signup=True, application_deadline=datetime.date(2000, 1, 1))
    response = client.post(reverse("events:event_signup", args=[event.pk]), {**FORM, "confirm": "1"})
    assert response.status_code == 200
    assert "events/event_signup_form.html" in [t.name for t in response.templates]
    assert response.context["signup_open"] is False
    assert not EventSignup.objects.exists()
