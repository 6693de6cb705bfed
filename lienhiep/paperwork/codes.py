"""The codes printed on what the Union issues (certificates, official documents), which anyone may type to check
them: 12 characters from an alphabet without look-alikes, shown in groups of four."""

import secrets

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed without doubt
CODE_LENGTH = 12  # 32^12 ≈ 1.2e18 codes


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def clean_code(text: str) -> str:
    """What a person types or scans: spaces, dashes and case ignored."""
    return "".join(ch for ch in (text or "").upper() if ch.isascii() and ch.isalnum())[:40]


def display_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
