"""Prints the figure for the release note at the end of a run: how many hostile inputs were tried."""

import sys


def pytest_terminal_summary(terminalreporter):
    parts = []
    for module, attribute, label in [
        ("tests.hostile.test_corpus", "TRIED", "files × endpoints"),
        ("tests.hostile.test_text_payloads", "INJECTED", "text columns holding a script"),
        ("tests.hostile.test_text_payloads", "ECHOED", "search/filter echoes"),
        ("tests.hostile.test_form_limits", "TRIED", "form field values"),
        ("tests.hostile.test_parameters", "TRIED", "page × query parameter × value requests"),
        ("tests.hostile.test_form_characters", "TRIED", "hidden characters in forms"),
    ]:
        found = getattr(sys.modules.get(module), attribute, None)
        if found:
            parts.append((len(found), label))
    if parts:
        total = sum(n for n, _label in parts)
        detail = ", ".join(f"{n} {label}" for n, label in parts)
        terminalreporter.write_line(f"hostile inputs tried: {total} ({detail})")
