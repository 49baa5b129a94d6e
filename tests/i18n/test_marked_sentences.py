"""Every sentence the code hands to a translator reaches the catalogues.

Babel's extractor reads the sources as tokens; this test reads them as Python
(:mod:`ast`) and finds every call of a translator or a marker with literal
text -- ``_("...")``, ``_.ngettext("...", "...", n)``, ``_.pgettext("c",
"...")``, ``N_("...")``, ``NC_("c", "...")``, ``translator(locale)("...")`` and any
``translate(...)`` -- and
requires each in the template, plural and context included. A sentence the
extractor misses would be printed in English in every language: this is the
test that catches the whole class, whatever the cause.
"""

from __future__ import annotations

import ast
from pathlib import Path

from i18n.catalogue_support import extracted

SOURCES = Path(__file__).resolve().parents[2] / "src" / "kamcore"
TRANSLATING = {"_", "N_", "NC_", "ngettext", "pgettext", "translate"}

Key = tuple[str | None, str | tuple[str, str]]


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call) and _name(node.func) == "translator":
        return "_"  # translator(locale)("...")
    return None


def _literal(node: ast.expr) -> str | None:
    return (
        node.value
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        else None
    )


def _marked(path: Path) -> list[tuple[Key, int]]:
    found: list[tuple[Key, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or _name(node.func) not in TRANSLATING:
            continue
        texts = [_literal(argument) for argument in node.args]
        name = _name(node.func)
        if name == "ngettext" and len(texts) >= 2 and texts[0] and texts[1]:
            found.append(((None, (texts[0], texts[1])), node.lineno))
        elif name in ("pgettext", "NC_") and len(texts) >= 2 and texts[0] and texts[1]:
            found.append(((texts[0], texts[1]), node.lineno))
        elif name in ("_", "N_", "translate") and texts and texts[0]:
            found.append(((None, texts[0]), node.lineno))
    return found


def _extracted() -> set[Key]:
    keys: set[Key] = set()
    for message in extracted():
        if not message.id:
            continue
        if isinstance(message.id, str):
            keys.add((message.context, message.id))
        else:
            keys.add((message.context, (message.id[0], message.id[1])))
    return keys


def test_every_literal_sentence_handed_to_a_translator_is_extracted() -> None:
    extracted = _extracted()
    missed = [
        f"{path.relative_to(SOURCES)}:{line}: {key}"
        for path in sorted(SOURCES.rglob("*.py"))
        for key, line in _marked(path)
        if key not in extracted
    ]
    assert missed == []


def test_the_scan_finds_the_sentences_it_is_meant_to() -> None:
    # The scan itself must be able to fail: it sees a plural and a context.
    keys = {key for key, _ in _marked(SOURCES / "services" / "_routine.py")}
    assert (None, "Open opportunities: {count}") in keys
    assert ("opportunity stage", "proposal") in keys
    assert any(isinstance(ident, tuple) for _, ident in keys)
