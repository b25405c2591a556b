"""Browser checks of the platform's own pages: axe-core, no console errors, no CSP violations."""

import pytest

from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["/", "/privacy/", "/accessibility/"])
def test_public_pages_are_accessible(page, demo_data, path):
    response = page.goto(path)
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert_accessible(page, context=path)
