"""Every message code the desk returns is a message of the catalogues (both languages, same placeholders)."""
from __future__ import annotations

import re
import string
from pathlib import Path

from beautyvalley import i18n
from beautyvalley.desk import messages

DESK = Path(__file__).resolve().parent.parent / "beautyvalley" / "desk"
CODE = re.compile(r"""["']((?:upload|publish|auth|correction|staff)\.(?!lock|toml)[a-z_]+)["']""")  # not file names


def used_codes() -> set[str]:
    return {m.group(1) for p in DESK.glob("*.py") if p.name != "messages.py" for m in CODE.finditer(p.read_text())}


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_code_used_has_both_languages():
    used = used_codes()
    assert len(used) >= 15, used  # the scan finds the codes
    entries = i18n.entries()
    missing = sorted(used - set(entries))
    assert not missing, missing
    for code in used:
        entry = entries[code]
        assert entry.get("it") and entry.get("en"), code
        assert fields(entry["it"]) == fields(entry["en"]), code


def test_text_formats_in_the_language():
    assert messages.text("upload.too_large", "it", limit_mb=20) == "Il file supera il limite di 20 MB."
    assert messages.text("upload.too_large", "en", limit_mb=20) == "The file is larger than the 20 MB limit."
    assert messages.text("no.such.code", "en") == "no.such.code"
