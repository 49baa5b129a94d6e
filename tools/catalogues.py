"""kamcore's message catalogues: extract the sentences, update every language.

Run from the repository's root after adding or changing a sentence::

    python tools/catalogues.py update

It extracts every marked sentence of ``src/kamcore`` (``_("...")``,
``_.ngettext("...", "...", n)``, ``_.pgettext("context", "...")``,
``N_("...")``, ``NC_("context", "...")``) into the template
``src/kamcore/i18n/locale/kamcore.pot`` and merges it into each language's
``<lang>/LC_MESSAGES/kamcore.po``: new sentences arrive untranslated, changed
ones fuzzy, and the tests fail until a translator has filled them in. The
``.mo`` files the package reads are compiled from the ``.po`` files when the
package is built (``hatch_build.py``); they are not kept in the repository.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "src" / "kamcore"
LOCALE = SOURCES / "i18n" / "locale"
TEMPLATE = LOCALE / "kamcore.pot"
TRANSLATIONS = ("de", "fr", "it", "es")

#: The calls that mark a sentence: a translator called (``_``), its plural
#: form (``ngettext``: singular and plural), with a context (``pgettext``),
#: and the mark-only ``N_`` and ``NC_`` (context, message).
KEYWORDS: dict[str, Any] = {
    "_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "N_": None,
    "NC_": ((1, "c"), 2),
}

#: Comments above a sentence starting with this reach the translator.
COMMENT_TAGS = ("Translators:",)


def extract() -> Catalog:
    """Every marked sentence of the sources, with where it is used."""
    template = Catalog(
        project="kamcore",
        msgid_bugs_address="",
        copyright_holder="kamcore developers",
        charset="utf-8",
    )
    found = extract_from_dir(
        str(SOURCES),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        where = (str(Path("kamcore") / filename), lineno)
        template.add(message, None, [where], auto_comments=comments, context=context)
    return template


def catalogue_path(language: str) -> Path:
    """Where the ``.po`` file of ``language`` lives."""
    return LOCALE / language / "LC_MESSAGES" / "kamcore.po"


def read(path: Path, language: str | None = None) -> Catalog:
    """The catalogue stored at ``path``."""
    with path.open("rb") as stored:
        return read_po(stored, locale=language)


def write(path: Path, catalogue: Catalog) -> None:
    """Store ``catalogue`` at ``path``, sorted, without line numbers' churn."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stored:
        write_po(stored, catalogue, width=88, sort_output=True, include_lineno=False)


def update() -> None:
    """Write the template, and merge it into every language's catalogue."""
    template = extract()
    write(TEMPLATE, template)
    for language in TRANSLATIONS:
        path = catalogue_path(language)
        if path.exists():
            catalogue = read(path, language)
        else:
            catalogue = Catalog(locale=language, project="kamcore", charset="utf-8")
        catalogue.update(template, update_header_comment=False)
        write(path, catalogue)


if __name__ == "__main__":
    if sys.argv[1:] != ["update"]:
        sys.exit("usage: python tools/catalogues.py update")
    update()
