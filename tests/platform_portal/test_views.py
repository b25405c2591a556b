"""The platform's own pages and the Japanese error pages (403, 404, 429, 500)."""

import pytest
from django.test import Client
from django.urls import reverse

from platform_portal.models import Page

JAPANESE_TITLES = {
    403: "アクセスできません",
    404: "ページが見つかりません",
    429: "リクエストが多すぎます",
    500: "サーバーエラー",
}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["page_home", "page_privacy", "page_accessibility"])
def test_public_pages_render_their_stored_text(client, demo_data, url_name, django_assert_max_num_queries):
    slug = "home" if url_name == "page_home" else url_name.removeprefix("page_")
    page = Page.objects.get(slug=slug)
    # The home page also gathers the next meeting, events, subsidy calls, minutes, figures and news
    # (tests/platform_portal/test_statistics.py pins it flat from 10 to 500 rows).
    with django_assert_max_num_queries(13 if url_name == "page_home" else 3):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="ja">' in body
    assert body.count("<h1") == 1
    assert page.title in body
    assert 'href="#main"' in body


@pytest.mark.django_db
def test_missing_page_is_404(client):
    assert client.get(reverse("page_privacy")).status_code == 404


@pytest.mark.django_db
def test_stored_text_is_shown_literally(client, demo_data, secretariat):
    from platform_portal.services import page_update

    page_update(actor=secretariat, slug="privacy", title="<script>alert(1)</script>", body="## 見出し\n- <b>項目</b>")
    body = client.get(reverse("page_privacy")).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;b&gt;項目&lt;/b&gt;" in body


@pytest.mark.django_db
def test_accept_language_is_ignored_and_the_switcher_chooses_english(client, demo_data):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="ja">' in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get("/")
    assert '<html lang="en">' in response.content.decode()
    assert "Skip to main content" in response.content.decode()


@pytest.mark.django_db
def test_footer_shows_the_secretariat_contact(client, demo_data):
    from platform_portal.selectors import site_profile_get

    profile = site_profile_get()
    body = client.get("/").content.decode()
    assert profile.secretariat_name in body
    assert profile.address in body


@pytest.mark.django_db
def test_healthz(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def _assert_japanese_error(response, status: int) -> None:
    assert response.status_code == status
    body = response.content.decode()
    assert '<html lang="ja">' in body
    assert JAPANESE_TITLES[status] in body


@pytest.mark.django_db
def test_404_page_is_japanese(client, demo_data):
    _assert_japanese_error(client.get("/no-such-page/"), 404)


@pytest.mark.django_db
def test_403_page_is_japanese(official_client, demo_data):
    _assert_japanese_error(official_client.get(reverse("admin:platform_portal_page_add")), 403)


@pytest.mark.django_db
def test_429_page_is_japanese(client, demo_data):
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "x", "password": "wrong-password"})
    response = client.post(reverse("admin:login"), {"username": "x", "password": "wrong-password"})
    _assert_japanese_error(response, 429)


@pytest.mark.django_db
def test_ratelimited_view_answers_429(rf, demo_data):
    from platform_portal.views import ratelimited

    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = ratelimited(request)
    _assert_japanese_error(response, 429)
    assert response["Retry-After"] == "900"


@pytest.mark.urls("tests.platform_portal.urls_synthetic")
@pytest.mark.django_db
def test_500_page_is_japanese_even_when_the_database_is_broken(monkeypatch):
    from platform_portal import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(selectors, "site_profile_get", broken)
    _assert_japanese_error(Client(raise_request_exception=False).get("/__test__/boom/"), 500)


@pytest.mark.django_db
def test_public_pages_have_unique_titles(client, demo_data):
    import re

    titles = []
    for url_name in ["page_home", "page_privacy", "page_accessibility"]:
        body = client.get(reverse(url_name)).content.decode()
        titles.append(re.search(r"<title>(.*?)</title>", body, flags=re.S).group(1).strip())
    assert len(set(titles)) == 3, titles
