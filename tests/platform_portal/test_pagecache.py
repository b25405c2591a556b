"""The public page cache: exact invalidation, no other visitor's session, token or language, ETag/304."""

import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from platform_portal import pagecache


def _generation() -> int:
    return pagecache.generation()


# ------------------------------------------------------------------ the content generation


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "members_organization" ("name") VALUES (%s)', "members_organization"),
        ('UPDATE "meetings_event" SET "title" = %s', "meetings_event"),
        ('DELETE FROM "subsidies_program" WHERE id = 1', "subsidies_program"),
        ("  insert or replace into x_y values (1)", "x_y"),
        ('TRUNCATE "a_b", "c_d"', "a_b"),
        ('SELECT * FROM "members_organization"', None),
        ('SELECT "x" FROM "y" WHERE "z" = \'UPDATE a\'', None),
        ('SAVEPOINT "s1"', None),
    ],
)
def test_written_table(sql, table):
    assert pagecache.written_table(sql) == table


@pytest.mark.django_db
def test_every_kind_of_write_moves_the_generation():
    from members.models import Municipality

    before = _generation()
    municipality = Municipality.objects.create(name="見本町", order=99)  # save()
    after_create = _generation()
    assert after_create > before
    Municipality.objects.filter(pk=municipality.pk).update(kana="みほんちょう")  # QuerySet.update: no signal
    after_update = _generation()
    assert after_update > after_create
    Municipality.objects.bulk_create([Municipality(name="見本村", order=100)])  # bulk_create: no signal
    after_bulk = _generation()
    assert after_bulk > after_update
    with connection.cursor() as cursor:  # raw SQL, as a migration or a script would write
        cursor.execute("UPDATE members_municipality SET kana = %s WHERE name = %s", ["みほんそん", "見本村"])
    assert _generation() > after_bulk


@pytest.mark.django_db
def test_reads_and_session_writes_leave_the_generation_alone(client):
    from django.contrib.sessions.backends.db import SessionStore

    from members.models import Municipality

    before = _generation()
    list(Municipality.objects.all())
    store = SessionStore()
    store["x"] = 1
    store.save()  # sessions are no public page's content
    assert _generation() == before


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_the_generation_moves_once_after_commit():
    from members.models import Municipality

    before = _generation()
    with transaction.atomic():
        Municipality.objects.create(name="見本町", order=99)
        Municipality.objects.create(name="見本村", order=100)
        # Not yet: another server must not store the old content under a new generation.
        assert _generation() == before
    assert _generation() == before + 1
    with pytest.raises(RuntimeError), transaction.atomic():
        Municipality.objects.create(name="見本市", order=101)
        raise RuntimeError
    assert _generation() == before + 1  # rolled back: nothing changed


# ------------------------------------------------------------------ every public page shows an edit at once


def _edit_page(slug):
    def edit(marker):
        from platform_portal.models import Page
        from platform_portal.services import page_update

        page = Page.objects.get(slug=slug)
        page_update(actor=None, slug=slug, title=page.title, lead=marker, body=page.body)

    return edit


def _edit_organization(marker):
    from members.models import Organization

    organization = Organization.objects.get(pk=_organization_pk())
    organization.name = marker
    organization.save()


def _organization_pk():
    from members.selectors import registry_get

    registry = registry_get()
    return next(org.pk for group in registry.general for org in group.organizations)


def _edit_meeting_venue(marker):
    from meetings.models import Meeting

    Meeting.objects.filter(body__slug="platform", number=7).update(summary=marker)  # a QuerySet.update path


def _edit_agenda_item(marker):
    from meetings.models import AgendaItem

    item = AgendaItem.objects.filter(meeting__body__slug="platform", meeting__number=7).order_by("pk").first()
    item.title = marker
    item.save()


def _edit_working_group(marker):
    from meetings.models import MeetingBody

    MeetingBody.objects.filter(slug="support-without-relatives").update(name=marker)


def _edit_event(marker):
    from meetings.models import Event

    Event.objects.filter(pk=_event_pk()).update(title=marker)


def _event_pk():
    from meetings.models import Event

    return Event.objects.order_by("pk").first().pk


def _edit_upcoming_event(marker):
    from django.utils import timezone

    from meetings.models import Event
    from meetings.selectors import event as selectors

    upcoming = selectors.event_list_upcoming(today=timezone.localdate()).filter(start_date__isnull=False).first()
    Event.objects.filter(pk=upcoming.pk).update(title=marker)


def _edit_program(marker):
    from subsidies.models import Program

    Program.objects.update(name=marker)


def _edit_municipality(marker):
    from members.models import Municipality

    Municipality.objects.filter(pk=Municipality.objects.order_by("order", "name").first().pk).update(name=marker)


def _edit_site_profile(marker):
    from platform_portal.models import SiteProfile

    SiteProfile.objects.update(secretariat_name=marker)


PAGES = [
    ("/", _edit_page("home")),
    ("/privacy/", _edit_page("privacy")),
    ("/accessibility/", _edit_page("accessibility")),
    ("/members/", _edit_organization),
    ("/members/?q=", _edit_municipality),
    ("members_detail", _edit_organization),
    ("/members/export.csv", _edit_organization),
    ("/meetings/", _edit_meeting_venue),
    ("meeting_detail", _edit_agenda_item),
    ("/meetings/working-groups/", _edit_working_group),
    ("/meetings/working-groups/support-without-relatives/", _edit_working_group),
    ("/events/", _edit_event),
    ("event_detail", _edit_event),
    ("/events/feed.ics", _edit_upcoming_event),
    ("/subsidies/", _edit_program),
    ("/subsidies/simulator/", _edit_program),
    ("/supporters/", _edit_municipality),
    ("/privacy/", _edit_site_profile),
]


def _url(name):
    from meetings.models import Meeting

    if name == "members_detail":
        return reverse("members:organization_detail", args=[_organization_pk()])
    if name == "meeting_detail":
        return reverse("meetings:meeting_detail", args=[Meeting.objects.get(body__slug="platform", number=7).pk])
    if name == "event_detail":
        return reverse("events:event_detail", args=[_event_pk()])
    return name


def _text(response) -> str:
    content = response.content
    if response["Content-Type"].startswith("text/csv"):
        for encoding in ("utf-8-sig", "cp932"):
            try:
                return content.decode(encoding)
            except UnicodeDecodeError:
                continue
    return content.decode()


@pytest.mark.django_db
def test_every_public_page_shows_an_edit_on_the_next_request(client, demo_data):
    for number, (name, edit) in enumerate(PAGES):
        url = _url(name)
        first = client.get(url)
        assert first.status_code == 200, url
        again = client.get(url)
        assert again["ETag"] == first["ETag"], f"{url} is served from the cache"
        marker = f"見本編集{number:02d}"
        assert marker not in _text(again)
        edit(marker)
        after = client.get(url)
        assert after.status_code == 200, url
        assert marker in _text(after), f"{url} does not show the edit"
        assert after["ETag"] != first["ETag"]


@pytest.mark.django_db
def test_an_admin_edit_shows_on_the_next_request(secretariat, demo_data):
    from platform_portal.models import Page

    visitor = Client()
    assert "管理画面から見本" not in visitor.get("/").content.decode()
    page = Page.objects.get(slug="home")
    staff = Client()
    staff.force_login(secretariat)
    url = reverse("admin:platform_portal_page_change", args=[page.pk])
    form = staff.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["lead"] = "管理画面から見本の編集"
    response = staff.post(url, data)
    assert response.status_code == 302, getattr(response, "context", {}) and response.context["adminform"].form.errors
    assert "管理画面から見本の編集" in visitor.get("/").content.decode()


# ------------------------------------------------------------------ who may be served what


@pytest.mark.django_db
def test_a_cached_page_carries_no_session_no_other_token_and_no_other_language(demo_data):
    first, second = Client(), Client()
    one = first.get("/events/")
    two = second.get("/events/")  # served from the cache
    assert one["ETag"].split("-")[0] == two["ETag"].split("-")[0]
    for response, client in ((one, first), (two, second)):
        assert "sessionid" not in response.cookies
        # The language switcher's token is the visitor's own: it unmasks to their own cookie.
        from django.middleware.csrf import _unmask_cipher_token

        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', response.content.decode())
        assert tokens
        secret = client.cookies["csrftoken"].value
        assert {_unmask_cipher_token(token) for token in tokens} == {secret}
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert pagecache.CSRF_PLACEHOLDER.decode() not in two.content.decode()

    english = Client()
    english.cookies["django_language"] = "en"
    assert '<html lang="en">' in english.get("/events/").content.decode()
    assert '<html lang="ja">' in Client().get("/events/").content.decode()
    assert '<html lang="en">' in english.get("/events/").content.decode()


@pytest.mark.django_db
def test_logged_in_pages_are_never_stored_nor_served_from_the_cache(secretariat, demo_data):
    staff = Client()
    staff.force_login(secretariat)
    staff_page = staff.get("/meetings/")
    assert "ETag" not in staff_page
    assert "no-store" in staff_page["Cache-Control"]
    anonymous = Client().get("/meetings/")
    assert anonymous["Cache-Control"] == "no-cache"
    assert b"sessionid" not in anonymous.serialize_headers()
    # A staff page is never what an anonymous visitor receives, and the other way round.
    assert "no-store" in staff.get("/meetings/")["Cache-Control"]


@pytest.mark.django_db
def test_a_visitor_with_a_session_is_not_served_from_the_cache(demo_data):
    anonymous = Client()
    anonymous.get("/")
    with_session = Client()
    with_session.cookies["sessionid"] = "nonexistent"
    response = with_session.get("/")
    assert response.status_code == 200
    assert "ETag" not in response


@pytest.mark.django_db
def test_etag_and_304(demo_data):
    client = Client()
    first = client.get("/supporters/")
    etag = first["ETag"]
    assert first["Cache-Control"] == "no-cache"
    assert "Cookie" in first["Vary"]
    not_modified = client.get("/supporters/", HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    _edit_municipality("見本市町村")
    changed = client.get("/supporters/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert "見本市町村" in changed.content.decode()


@pytest.mark.django_db
def test_the_cache_can_be_switched_off(settings, demo_data):
    settings.PAGE_CACHE_ENABLED = False
    response = Client().get("/supporters/")
    assert response.status_code == 200
    assert "ETag" not in response


@pytest.mark.django_db
def test_a_broken_cache_serves_pages_uncached(monkeypatch, demo_data):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    from platform_portal import selectors

    monkeypatch.setattr(pagecache, "generation", broken)
    monkeypatch.setattr(selectors, "generation", broken)  # the platform profile is read from the database
    response = Client().get("/supporters/")
    assert response.status_code == 200
    assert "ETag" not in response


def test_every_public_html_view_opts_in():
    """New public pages must opt in: every public, argument-free page view is cached."""
    from django.urls import resolve

    for path in ["/", "/privacy/", "/accessibility/", "/members/", "/meetings/", "/meetings/working-groups/"]:
        assert getattr(resolve(path).func, "public_cache", False) or _wrapped_cached(resolve(path).func), path
    for path in ["/events/", "/events/feed.ics", "/subsidies/", "/subsidies/simulator/", "/supporters/"]:
        assert _wrapped_cached(resolve(path).func), path


def _wrapped_cached(func) -> bool:
    while func is not None:
        if getattr(func, "public_cache", False):
            return True
        func = getattr(func, "__wrapped__", None)
    return False


@pytest.mark.django_db
def test_navigation_rendered_once_still_marks_the_current_page_in_each_language(demo_data):
    def current_links(client, path):
        html = client.get(path).content.decode()
        nav = html[html.index('<nav class="navbar') : html.index("</nav>")]
        return re.findall(r'<a class="nav-link" href="([^"]+)" aria-current="page">([^<]+)</a>', nav)

    japanese, english = Client(), Client()
    english.cookies["django_language"] = "en"
    assert current_links(japanese, "/events/") == [("/events/", "イベント")]
    assert current_links(english, "/events/") == [("/events/", "Events")]
    assert current_links(japanese, "/members/") == [("/members/", "会員団体")]
    assert current_links(japanese, "/privacy/") == []
    assert current_links(english, "/members/") == [("/members/", "Members")]


def test_the_generation_through_redis():
    """With Django's RedisCache the generation is read through one reused client (skipped without Redis)."""
    import socket

    from django.core.cache import caches
    from django.test import override_settings

    with socket.socket() as probe:
        probe.settimeout(0.5)
        if probe.connect_ex(("127.0.0.1", 6379)) != 0:
            pytest.skip("no Redis on 127.0.0.1:6379")
    redis = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/11",
            "KEY_PREFIX": "test-pagecache",
        }
    }
    with override_settings(CACHES=redis):  # only this key is touched, never the whole database
        caches["default"].delete(pagecache.GENERATION_KEY)
        first = pagecache.generation()
        assert first == pagecache.generation()
        pagecache.bump_generation()
        assert pagecache.generation() == first + 1
        caches["default"].delete(pagecache.GENERATION_KEY)  # emptied: a new generation, never an old one
        assert pagecache.generation() > first + 1
        caches["default"].delete(pagecache.GENERATION_KEY)
