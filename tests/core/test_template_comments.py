"""A Django template comment `{# ... #}` ends on its own line; one that runs on is printed on the page as text."""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "lienhiep"


def test_every_short_comment_closes_on_its_line():
    templates = [p for p in PACKAGE.rglob("templates/**/*") if p.suffix in (".html", ".txt", ".xml")]
    assert len(templates) > 100
    open_ended = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in templates
        for number, line in enumerate(path.read_text().splitlines(), 1)
        for opening in re.finditer(r"\{#", line)
        if "#}" not in line[opening.end() :]
    ]
    assert open_ended == []
