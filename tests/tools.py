"""Programs some tests need beside Python (Chromium, LibreOffice, poppler, gettext). Where one is missing, those
tests are skipped with the reason and the package to install; where the tools are required (CI sets
LIENHIEP_REQUIRE_TOOLS=1), a missing program stops the run instead, so that no check is silently lost."""

import os
import shutil

import pytest

REQUIRED = os.environ.get("LIENHIEP_REQUIRE_TOOLS") == "1"


def missing(command: str, package: str) -> bool:
    """Whether `command` is missing here (an error where the tools are required)."""
    if shutil.which(command):
        return False
    if REQUIRED:
        raise pytest.UsageError(f"{command} is required here but missing (apt-get install {package})")
    return True


def needs(command: str, package: str) -> pytest.MarkDecorator:
    """Mark for tests that run `command`: skipped with the reason where it is missing (an error where required)."""
    return pytest.mark.skipif(
        missing(command, package), reason=f"{command} is not installed (apt-get install {package})"
    )
