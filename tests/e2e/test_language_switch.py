"""The language switch in a real browser, for a visitor (whose public page carries no CSRF token, so that a shared
cache may keep it) and for a signed-in user (from the account menu): each click turns the page to the other
language and stays on it."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_a_visitor_and_a_member_switch_the_language(live_server, page, screenshot, cast):
    home = f"{live_server.url}/{cast.union.slug}/"
    response = page.goto(home)
    assert "public" in response.headers["cache-control"]
    assert not [c for c in page.context.cookies() if c["name"] == "csrftoken"]
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == home
    expect(page.locator("#mainnav").get_by_role("link", name="Sign in")).to_be_visible()
    screenshot(page, "language-switch-visitor-en")
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", cast.staff.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/{cast.union.slug}/app/")
    page.locator(".user-menu").click()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == f"{live_server.url}/{cast.union.slug}/app/"
    page.locator(".user-menu").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    screenshot(page, "language-switch-member-en")
