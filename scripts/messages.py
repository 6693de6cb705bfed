"""Update the Vietnamese catalogues: extract messages, reuse known translations, report what is left, compile.

Each app with a `locale/` folder keeps its own catalogue (lienhiep/<app>/locale/vi/LC_MESSAGES/django.po);
everything else goes to lienhiep/locale. Usage:

    uv run python scripts/messages.py                 # every catalogue
    uv run python scripts/messages.py outreach        # only lienhiep/outreach
    uv run python scripts/messages.py outreach --fill vi.json   # also apply {"English msgid": "Vietnamese"}
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lienhiep"


def catalogues() -> list[Path]:
    return sorted(PACKAGE.glob("**/locale*/vi/LC_MESSAGES/django.po"))


def extract(where: Path) -> None:
    # -P: the app's folder is not put on sys.path, where its rules.py would hide the `rules` package
    command = [sys.executable, "-P", "-m", "django", "makemessages", "-l", "vi", "--no-location", "--no-obsolete"]
    if where == ROOT:
        command += ["-i", ".venv/*", "-i", "scripts/*", "-i", "tests/*", "-i", "bench/*"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lienhiep.settings", "PYTHONPATH": str(ROOT)}
    subprocess.run(command, cwd=where, env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("apps", nargs="*", help="app folders under lienhiep/ (default: the whole project)")
    parser.add_argument("--fill", type=Path, help='JSON object {"msgid": "bản dịch"} to apply')
    args = parser.parse_args()
    known: dict[tuple, str] = {}  # read before extracting: a message that moves keeps its translation
    for path in catalogues():
        for entry in polib.pofile(str(path)):
            if entry.translated() and "fuzzy" not in entry.flags:
                known.setdefault((entry.msgctxt, entry.msgid), (entry.msgstr, entry.msgstr_plural))
    for where in [PACKAGE / app for app in args.apps] or [ROOT]:
        extract(where)
    extra = json.loads(args.fill.read_text(encoding="utf-8")) if args.fill else {}
    chosen = [p for p in catalogues() if not args.apps or any(p.is_relative_to(PACKAGE / a) for a in args.apps)]
    left = 0
    for path in chosen:
        po = polib.pofile(str(path))
        before = str(po)
        for entry in po:
            if entry.msgid in extra and entry.msgid_plural:  # Vietnamese has one plural form
                entry.msgstr_plural = {0: extra[entry.msgid]}
            elif entry.msgid in extra:
                entry.msgstr = extra[entry.msgid]
            elif not entry.translated() and (entry.msgctxt, entry.msgid) in known:
                entry.msgstr, entry.msgstr_plural = known[(entry.msgctxt, entry.msgid)]
            else:
                continue
            if "fuzzy" in entry.flags:  # a guess by msgmerge, now replaced by a real translation
                entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        if str(po) != before:
            po.save()
        po.save_as_mofile(str(path.with_suffix(".mo")))
        missing = [e.msgid for e in po if not e.translated() and not e.obsolete]
        left += len(missing)
        print(f"{path.relative_to(ROOT)}: {len(po)} messages, {len(missing)} untranslated")
        for msgid in missing:
            print(f"  {msgid!r}")
    sys.exit(1 if left else 0)


if __name__ == "__main__":
    main()
