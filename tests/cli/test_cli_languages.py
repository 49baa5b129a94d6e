"""The demo in each of kamcore's languages, against golden files reviewed once.

``kamcore demo --locale LOCALE`` prints the whole weekly routine of the demo
portfolio; each language's output is kept in ``tests/cli/golden/``, read and
checked by a person once, and compared line for line since. To write them anew
after a deliberate change: ``KAMCORE_UPDATE_GOLDEN=1 pytest tests/cli/
test_cli_languages.py``, then review the difference before committing it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from cli.cli_support import AS_OF, run_main

GOLDEN = Path(__file__).parent / "golden"
LOCALES = {"en": "en_GB", "de": "de_DE", "fr": "fr_FR", "it": "it_IT", "es": "es_ES"}
UPDATE = os.environ.get("KAMCORE_UPDATE_GOLDEN") == "1"
#: The command the demo suggests, up to its subcommand: this interpreter's path.
PROGRAM = re.compile(
    r"^( +)\S.*? (?=(?:report|price|loyalty) [^\n]*--db <db>)", re.MULTILINE
)


def _demo(locale: str, folder: Path) -> str:
    database = folder / "portfolio.db"
    code, out, err = run_main(
        "demo", "--db", database, "--as-of", AS_OF, "--locale", locale
    )
    assert (code, err) == (0, ""), err
    # The database's place and the command's name differ from run to run.
    out = out.replace(str(database), "<db>").replace(str(folder), "<folder>")
    return PROGRAM.sub(r"\1kamcore ", out)


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _demo("en_GB", tmp_path_factory.mktemp("en"))


@pytest.mark.parametrize("language", LOCALES, ids=list(LOCALES))
def test_the_demo_reads_as_reviewed(
    language: str, english: str, tmp_path: Path
) -> None:
    printed = english if language == "en" else _demo(LOCALES[language], tmp_path)
    golden = GOLDEN / f"demo.{language}.txt"
    if UPDATE:
        golden.write_text(printed, encoding="utf-8")
    assert printed.splitlines() == golden.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("language", [lang for lang in LOCALES if lang != "en"])
def test_no_english_sentence_is_left_in_a_translated_demo(
    language: str, english: str
) -> None:
    # A line of the translation equal to the English line is a sentence left
    # untranslated, unless it holds no words at all (figures, names, ids).
    translated = (GOLDEN / f"demo.{language}.txt").read_text(encoding="utf-8")
    left = [
        line
        for line, original in zip(
            translated.splitlines(), english.splitlines(), strict=True
        )
        if line == original and _words(line)
    ]
    assert left == []


def _words(line: str) -> list[str]:
    """The words of ``line`` that are not data of the demo portfolio (nor a
    command to copy)."""
    if line.strip().startswith("kamcore "):
        return []
    data = {
        "ACME",
        "Industrial",
        "GmbH",
        "Borealis",
        "Energi",
        "AB",
        "Lumen",
        "Logistics",
        "BV",
        "Helvetia",
        "Wasser",
        "AG",
        "Fjord",
        "Marine",
        "AS",
        "Valvetta",
        "Partner",
        "m.rossi",
        "kamcore",
        "report",
        "price",
        "loyalty",
        "db",
        "folder",
        "acme",
        "valve",
        "dn50",
        "EUR",
        "CHF",
        "Silver",
        "Gold",
        "Member",
        "lumen",
        "borealis",
        "helvetia",
        "fjord",
    }
    return [w for w in re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ.]+", line) if w not in data]
