"""Maintenance of the message catalogues, beautyvalley/locales/<lang>/LC_MESSAGES/beautyvalley.po.

    python -m beautyvalley.i18n_tools absorb
        move i18n.TEXTS_PENDING into the catalogues, then rewrite it in i18n.py as an empty dict
    python -m beautyvalley.i18n_tools absorb --from FILE [--name TEXTS] [--base FILE]
        add (or update) the entries of the dict literal NAME found in a Python file; with --base, a
        three-way merge: only the entries that differ from the same dict in the base file are written,
        and the keys the base has and FILE dropped are removed (e.g. the i18n.py of a branch that still
        has the TEXTS dict, against the merge base: `git show B:beautyvalley/i18n.py > b.py`)
    python -m beautyvalley.i18n_tools absorb --merge
        during a `git merge` that conflicts on i18n.py because one side still has the TEXTS dict: resolve
        i18n.py to the catalogue side's and absorb the other side's TEXTS three-way (as --from/--base with
        the two sides and their merge base); then `git add beautyvalley/i18n.py beautyvalley/locales`
    python -m beautyvalley.i18n_tools update POT
        add the message ids of a template (`pybabel extract`, see `make messages`) that the catalogues
        lack, untranslated; nothing is ever removed (keys built at run time, e.g. "kind." + code, are
        not in the template)
    python -m beautyvalley.i18n_tools stats
        messages per language (singular / plural / untranslated)

A dict entry has the shape the old i18n.TEXTS had: {"it": ..., "en": ..., "it_one": ..., "en_one": ...};
an entry with a "<lang>_one" text becomes a plural message (msgid = msgid_plural = the key,
msgstr[0] the singular, msgstr[1] the plural). New keys go after the last key of the same prefix
(the part before the first dot). Files are written unwrapped, in catalogue order, header kept.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

from beautyvalley import i18n

Entry = Mapping[str, str]
I18N_PY = Path(i18n.__file__)
PENDING = "TEXTS_PENDING"


def po_path(lang: str, locales: Path | None = None) -> Path:
    return (locales or i18n.LOCALES) / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def load(lang: str, locales: Path | None = None) -> Catalog:
    path = po_path(lang, locales)
    if not path.exists():
        return Catalog(locale=lang, domain=i18n.DOMAIN, project="Beauty Valley", version="1",
                       header_comment=f"# Beauty Valley messages ({i18n.LANGUAGE_NAMES[lang]}). Keys are the "
                                      "message ids; see README, Architecture.\n#",
                       creation_date=datetime.now(UTC), revision_date=datetime.now(UTC),
                       last_translator="Beauty Valley team", language_team=i18n.LANGUAGE_NAMES[lang], fuzzy=False)
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain=i18n.DOMAIN, abort_invalid=True)


def save(catalog: Catalog, lang: str, locales: Path | None = None) -> None:
    path = po_path(lang, locales)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=0, no_location=True)


def _key(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def _prefix(key: str) -> str:
    return key.split(".", 1)[0]


def _ordered(catalog: Catalog, new: Iterable[Message]) -> Catalog:
    """A copy of `catalog` (same header) with `new` messages replacing theirs in place, or inserted
    after the last message of the same prefix (at the end when there is none)."""
    messages = [m for m in catalog if m.id]
    by_key = {_key(m): m for m in new}
    out = [by_key.pop(_key(m), m) for m in messages]
    for key, message in by_key.items():
        at = max((i for i, m in enumerate(out) if _prefix(_key(m)) == _prefix(key)), default=len(out) - 1)
        out.insert(at + 1, message)
    fresh = Catalog(locale=catalog.locale, domain=catalog.domain, header_comment=catalog.header_comment, fuzzy=False)
    fresh.mime_headers = catalog.mime_headers
    for m in out:
        fresh[m.id] = m  # __setitem__ keeps the order of insertion
    return fresh


def message(key: str, entry: Entry, lang: str, comments: list[str] | None = None) -> Message:
    """The catalogue message of `key` in `lang` from an entry of the old TEXTS shape."""
    plural = any(k.endswith("_one") for k in entry)
    other = entry.get(lang, "")
    if plural:  # a language without its own singular keeps the plural text for both forms (as tn() did)
        return Message((key, key), (entry.get(f"{lang}_one", other), other), user_comments=comments or [])
    return Message(key, other, user_comments=comments or [])


def problems(entries: Mapping[str, Entry]) -> list[str]:
    return [f"{key}: no {lang!r} text" for key, e in entries.items() for lang in i18n.LANGS
            if not (e.get(lang) or "").strip()]


def absorb(entries: Mapping[str, Entry], locales: Path | None = None,
           comments: Mapping[str, list[str]] | None = None) -> int:
    """Add or update `entries` in every language's catalogue; returns how many entries."""
    bad = problems(entries)
    if bad:
        raise SystemExit("absorb: refused, fix these first:\n  " + "\n  ".join(bad))
    for lang in i18n.LANGS:
        catalog = load(lang, locales)
        new = [message(k, e, lang, (comments or {}).get(k)) for k, e in entries.items()]
        save(_ordered(catalog, new), lang, locales)
    i18n.reload()
    return len(entries)


def remove(keys: Iterable[str], locales: Path | None = None) -> None:
    """Delete `keys` from every language's catalogue."""
    drop = set(keys)
    for lang in i18n.LANGS:
        catalog = load(lang, locales)
        for message in [m for m in catalog if m.id and _key(m) in drop]:
            catalog.delete(message.id)
        save(catalog, lang, locales)
    i18n.reload()


def dict_literal(source: str, name: str) -> tuple[dict[str, dict[str, str]], ast.stmt | None]:
    """The dict literal assigned to `name` at module level in `source` (empty if absent), and its statement."""
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(t_, ast.Name) and t_.id == name for t_ in targets) and node.value is not None:
            return ast.literal_eval(node.value), node
    return {}, None


def section_comments(source: str, node: ast.stmt | None) -> dict[str, list[str]]:
    """The `# ...` comment lines inside the dict literal, attached to the key that follows them."""
    if node is None:
        return {}
    out: dict[str, list[str]] = {}
    pending: list[str] = []
    for line in source.splitlines()[node.lineno:node.end_lineno]:
        stripped = line.strip()
        if line.startswith("    #") and not line.startswith("     "):
            pending.append(stripped.lstrip("#").strip(" -"))
        elif pending and len(line) > 4 and line[4] in "'\"" and not line.startswith("     "):
            out[ast.literal_eval(stripped.split(":", 1)[0])] = pending
            pending = []
    return out


def empty_pending(path: Path = I18N_PY) -> None:
    """Rewrite `TEXTS_PENDING = {...}` in `path` as an empty dict (the rest of the file untouched)."""
    source = path.read_text(encoding="utf-8")
    _, node = dict_literal(source, PENDING)
    if node is None:
        raise SystemExit(f"absorb: no {PENDING} in {path}")
    lines = source.splitlines(keepends=True)
    lines[node.lineno - 1:node.end_lineno] = [f"{PENDING}: dict[str, dict[str, str]] = {{}}\n"]
    path.write_text("".join(lines), encoding="utf-8")


def absorb_three_way(source: str, name: str, base: str | None, locales: Path | None = None) -> tuple[int, list[str]]:
    """Absorb the dict `name` of `source`; with a `base` source, only the entries that differ from the
    base's, and the keys the base has but `source` dropped are removed. Returns (entries written, removed)."""
    entries, node = dict_literal(source, name)
    gone: list[str] = []
    if base is not None:
        base_entries, _ = dict_literal(base, name)
        gone = sorted(set(base_entries) - set(entries))
        if gone:
            remove(gone, locales)
        entries = {k: e for k, e in entries.items() if base_entries.get(k) != e}
    return absorb(entries, locales, comments=section_comments(source, node)), gone


def resolve_merge(repo: Path, locales: Path | None = None) -> tuple[int, list[str]]:
    """For a merge in progress in `repo` whose one side still has i18n.py's TEXTS dict: write the other
    (catalogue) side's i18n.py into the work tree and absorb the TEXTS side three-way."""
    rel = "beautyvalley/i18n.py"

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout

    base = git("merge-base", "HEAD", "MERGE_HEAD").strip()
    sides = {rev: git("show", f"{rev}:{rel}") for rev in ("HEAD", "MERGE_HEAD")}
    old = [rev for rev, src in sides.items() if dict_literal(src, "TEXTS")[1] is not None]
    if len(old) != 1:
        raise SystemExit("absorb --merge: expected one side of the merge with i18n.TEXTS and one without")
    new = "HEAD" if old[0] == "MERGE_HEAD" else "MERGE_HEAD"
    (repo / rel).write_text(sides[new], encoding="utf-8")
    return absorb_three_way(sides[old[0]], "TEXTS", git("show", f"{base}:{rel}"), locales)


def update(template: Path, locales: Path | None = None) -> list[str]:
    """Add the ids of `template` that the catalogues lack (untranslated); returns the keys added."""
    with template.open("rb") as f:
        pot = read_po(f)
    added: list[str] = []
    for lang in i18n.LANGS:
        catalog = load(lang, locales)
        have = {_key(m) for m in catalog if m.id}
        new = [Message(m.id, ("",) * catalog.num_plurals if isinstance(m.id, tuple) else "")
               for m in pot if m.id and _key(m) not in have]
        if new:
            save(_ordered(catalog, new), lang, locales)
        added = sorted({*added, *(_key(m) for m in new)})
    i18n.reload()
    return added


def stats(locales: Path | None = None) -> list[str]:
    lines = []
    for lang in i18n.LANGS:
        msgs = [m for m in load(lang, locales) if m.id]
        plural = sum(isinstance(m.id, tuple) for m in msgs)
        empty = sum(not all(m.string) if isinstance(m.string, tuple) else not m.string for m in msgs)
        lines.append(f"{lang}: {len(msgs)} messages ({len(msgs) - plural} singular, {plural} plural), "
                     f"{empty} untranslated")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m beautyvalley.i18n_tools", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    a = sub.add_parser("absorb", help=f"move i18n.{PENDING} (or a dict literal of a file) into the catalogues")
    a.add_argument("--from", dest="source", type=Path, help=f"a Python file (default: i18n.py's {PENDING}, emptied after)")
    a.add_argument("--name", default=None, help=f"the dict's name (default {PENDING}; TEXTS for an old i18n.py)")
    a.add_argument("--base", type=Path, help="three-way: only what differs from this file's dict of the same name")
    a.add_argument("--merge", action="store_true", help="resolve a git merge conflict on i18n.py (see above)")
    u = sub.add_parser("update", help="add the ids of a .pot template that the catalogues lack")
    u.add_argument("template", type=Path)
    sub.add_parser("stats", help="messages per language")
    args = parser.parse_args(argv)

    if args.command == "absorb" and args.merge:
        n, gone = resolve_merge(I18N_PY.parents[1])
        print(f"absorbed {n} entries of the TEXTS side, removed {len(gone)} it dropped ({', '.join(gone) or '-'}); "
              "now: git add beautyvalley/i18n.py beautyvalley/locales")
    elif args.command == "absorb":
        source_path = args.source or I18N_PY
        name = args.name or PENDING
        base = args.base.read_text(encoding="utf-8") if args.base else None
        n, gone = absorb_three_way(source_path.read_text(encoding="utf-8"), name, base)
        if gone:
            print(f"removed (in the base, dropped by {source_path.name}): {', '.join(gone)}")
        if args.source is None:
            empty_pending()
        print(f"absorbed {n} entries from {source_path.name}:{name}")
    elif args.command == "update":
        added = update(args.template)
        print(f"{len(added)} new keys, untranslated in every language: {', '.join(added) or '-'}")
    for line in stats():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
