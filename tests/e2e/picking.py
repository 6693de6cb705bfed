"""Choosing in a type-ahead picker (lienhiep.core.widgets) the way a person does: click the search box, type a few
letters, click the match. One helper for every browser test that fills such a field."""

from playwright.sync_api import Page, expect


def pick(page: Page, field: str, typed: str, option: str) -> None:
    """In the picker of the field named `field`, type `typed` (the endpoint answers from the second letter) and
    click the match whose text holds `option`."""
    control = page.locator(f"#id_{field}-ts-control")
    control.click()
    control.press_sequentially(typed, delay=50)
    match = page.locator(f"#id_{field}-ts-dropdown .option", has_text=option).first
    expect(match).to_be_visible()
    match.click()
    page.keyboard.press("Escape")
