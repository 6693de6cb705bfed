"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Where no Chromium exists they are skipped, with the reason; where the tools are required (CI sets
LIENHIEP_REQUIRE_TOOLS=1, tests/tools.py) a missing browser stops the run. Screenshots go to
test-artifacts/screenshots/."""

import os
import shutil
from pathlib import Path

import pytest

from tests import tools

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    if tools.REQUIRED:
        raise pytest.UsageError("Browser tests are required here but no Chromium was found (apt-get install chromium)")
    skip = pytest.mark.skip(reason="no Chromium on this machine (apt-get install chromium to run browser tests)")
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        # Every page we look at fits the screen's width: nothing (a menu, a table) pushes it sideways.
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{name}: the page is {widths[0]} px wide on a {widths[1]} px screen"
        return path

    return take


@pytest.fixture(autouse=True)
def _empty_cache(transactional_db):
    """Browser tests commit: empty the database cache (rate limits, used TOTP codes) between them."""
    from django.core.cache import cache

    cache.clear()
