"""Browser checks of the public record pages: axe-core (wcag2a/aa)."""

import datetime

import pytest
from django.urls import reverse

from meetings.models import CouncilSession
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_pages_are_accessible(page, demo_data):
    session = CouncilSession.objects.get(date=datetime.date(2025, 10, 30))
    for url in [
        reverse("records:municipal_programme_list"),
        reverse("records:consultation_window_list"),
        reverse("records:council_list"),
        session.get_absolute_url(),
    ]:
        response = page.goto(url)
        assert response.status == 200
        assert page.locator("h1").count() == 1
        assert_accessible(page, context=url)
