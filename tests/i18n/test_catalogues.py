"""kamcore's catalogues: every sentence translated, in every language, and they fit.

The template is what the sources mark today (a sentence added without running
``tools/catalogues.py update`` fails here), every language has every sentence
translated (no empty or fuzzy entry, every plural form), each translation
keeps the placeholders of its English sentence, and the installed ``.mo``
files say what the ``.po`` files say.
"""

from __future__ import annotations

import gettext
import io
import string
from importlib import resources

import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural

from i18n.catalogue_support import catalogues, extracted
from kamcore.i18n import LANGUAGES, translator

TRANSLATIONS = LANGUAGES[1:]


def _key(message: Message) -> tuple[str | None, str]:
    first = message.id if isinstance(message.id, str) else message.id[0]
    return message.context, first


def _messages(catalogue: Catalog) -> dict[tuple[str | None, str], Message]:
    return {_key(m): m for m in catalogue if m.id}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.fixture(scope="module")
def template() -> Catalog:
    catalogue: Catalog = catalogues.read(catalogues.TEMPLATE)
    return catalogue


def test_the_template_holds_exactly_what_the_sources_mark(template: Catalog) -> None:
    marked = _messages(extracted())
    stored = _messages(template)
    assert sorted(set(marked) - set(stored), key=str) == []  # run the update
    assert sorted(set(stored) - set(marked), key=str) == []
    plural_forms = {k: m.id for k, m in marked.items()}
    assert {k: m.id for k, m in stored.items()} == plural_forms


def test_the_template_has_sentences(template: Catalog) -> None:
    assert len(_messages(template)) > 10


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_sentence_is_translated_and_nothing_is_fuzzy(
    template: Catalog, language: str
) -> None:
    catalogue = catalogues.read(catalogues.catalogue_path(language), language)
    wanted = _messages(template)
    found = _messages(catalogue)
    assert sorted(set(wanted) - set(found), key=str) == []
    forms = get_plural(language).num_plurals
    untranslated = []
    for key, message in found.items():
        strings = (
            message.string if isinstance(message.string, tuple) else (message.string,)
        )
        if (
            message.fuzzy
            or not all(strings)
            or (message.pluralizable and len(strings) != forms)
        ):
            untranslated.append(key)
    assert untranslated == []
    assert sorted(set(found) - set(wanted), key=str) == []  # obsolete entries


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_each_translation_keeps_its_sentences_placeholders(
    template: Catalog, language: str
) -> None:
    catalogue = catalogues.read(catalogues.catalogue_path(language), language)
    misfits: list[object] = []
    for key, message in _messages(catalogue).items():
        if isinstance(message.id, str):
            if _fields(str(message.string)) != _fields(message.id):
                misfits.append((key, message.string))
            continue
        wanted = _fields(message.id[1])
        forms = message.string if isinstance(message.string, tuple) else ()
        for form in forms:
            # A form for exactly one may name the count in words ("ein Tag").
            if _fields(form) - {"n"} != wanted - {"n"} or not _fields(form) <= wanted:
                misfits.append((key, form))
    assert misfits == []


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_the_plural_rule_is_the_languages_own(language: str) -> None:
    catalogue = catalogues.read(catalogues.catalogue_path(language), language)
    rule = get_plural(language)
    assert catalogue.plural_forms == rule.plural_forms
    assert catalogue.locale == Locale.parse(language)


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_the_installed_catalogue_says_what_the_po_file_says(language: str) -> None:
    catalogue = catalogues.read(catalogues.catalogue_path(language), language)
    compiled = resources.files("kamcore.i18n").joinpath(
        "locale", language, "LC_MESSAGES", "kamcore.mo"
    )
    installed = gettext.GNUTranslations(io.BytesIO(compiled.read_bytes()))
    rule = gettext.c2py(get_plural(language).plural_expr)
    stale: list[object] = []
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            for n in (1, 2, 5):
                said = installed.ngettext(message.id[0], message.id[1], n)
                if said != message.string[rule(n)]:
                    stale.append((message.id, n, said))
        elif message.context:
            said = installed.pgettext(message.context, message.id)
            if said != message.string:
                stale.append((message.id, said))
        elif installed.gettext(message.id) != message.string:
            stale.append((message.id, installed.gettext(message.id)))
    # Stale: the package was built from older .po files; reinstall it.
    assert stale == []


def test_a_locale_reads_its_languages_catalogue_or_english() -> None:
    assert (translator("de_CH").language, translator("fr").language) == ("de", "fr")
    assert (translator("pt_BR").language, translator("en_GB").language) == ("en", "en")
    sentence = "Open opportunities: {count}"
    assert translator("pt_BR")(sentence, count=4) == "Open opportunities: 4"
