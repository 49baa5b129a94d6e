"""Translators: a locale's gettext catalogue, with placeholders filled safely."""

from __future__ import annotations

import functools
import gettext
import io
from importlib import resources
from typing import NamedTuple

import attrs
from babel import Locale

from kamcore.errors import KamcoreError
from kamcore.kernel import validate_locale

__all__ = [
    "CATALOGUE_DOMAIN",
    "LANGUAGES",
    "NC_",
    "N_",
    "Label",
    "TranslationsMissingError",
    "Translator",
    "translator",
]

CATALOGUE_DOMAIN = "kamcore"
"""The gettext domain of kamcore's catalogues (``kamcore.po``, ``kamcore.mo``)."""

LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "it", "es")
"""The languages kamcore writes in: English (the source) and its translations."""


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark only"
    """Mark ``message`` for translation without translating it (yet).

    For texts defined at import time; translate them where they are shown.
    """
    return message


class Label(NamedTuple):
    """A short text and the context that tells a translator what it names."""

    context: str
    message: str


def NC_(context: str, message: str) -> Label:  # noqa: N802 - see N_
    """Mark a short ``message`` for translation in ``context`` (``"stage"``).

    One word can need two translations (a *proposal* stage, a *proposal*
    document): the context keeps them apart in the catalogue.
    """
    return Label(context, message)


@attrs.frozen
class Translator:
    """The sentences of one locale: call it with a template and its values.

    Attributes:
        locale: The locale asked for (its numbers and dates are formatted by
            Babel, whatever the language of its sentences).
        language: The language of its sentences: the locale's own if kamcore
            has a catalogue for it, else ``"en"``.

    Example:
        >>> _ = translator("de_DE")
        >>> _("Open opportunities: {count}", count=4)
        'Offene Verkaufschancen: 4'
        >>> scheduled = "Renewal scheduler, {day}: {n} alert raised"
        >>> _.ngettext(scheduled, scheduled.replace("alert", "alerts"), 2, day="7.12.")
        'Verlängerungsplaner, 7.12.: 2 Warnungen ausgelöst'
        >>> translator("pt_BR")("Open opportunities: {count}", count=4)
        'Open opportunities: 4'
    """

    locale: str
    language: str
    _catalogue: gettext.NullTranslations = attrs.field(repr=False, alias="catalogue")

    def __call__(self, message: str | Label, /, **values: object) -> str:
        """``message`` in this language, its ``{placeholders}`` filled in."""
        if isinstance(message, Label):
            return self.pgettext(message.context, message.message, **values)
        return self._fill(self._catalogue.gettext(message), values)

    def pgettext(self, context: str, message: str, /, **values: object) -> str:
        """``message`` in this language, as meant in ``context``."""
        return self._fill(self._catalogue.pgettext(context, message), values)

    def ngettext(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """The form of ``singular``/``plural`` for ``n`` in this language.

        ``{n}`` in the template is ``n``; other placeholders come from ``values``.
        """
        template = self._catalogue.ngettext(singular, plural, n)
        return self._fill(template, {"n": n, **values})

    def _fill(self, template: str, values: dict[str, object]) -> str:
        if not values:
            return template
        try:
            return template.format_map(values)
        except (KeyError, IndexError, ValueError) as error:
            msg = (
                f"the {self.language!r} sentence {template!r} does not fit its "
                f"values {sorted(values)}: {error!r}"
            )
            raise TranslationsMissingError(msg) from error


def translator(locale: str) -> Translator:
    """The translator for ``locale`` (``"de_DE"``, ``"fr"``).

    Kept per locale: a translator is immutable, so a report may ask for one
    per line at no cost.

    Raises:
        ValidationError: if Babel does not know ``locale``.
        TranslationsMissingError: if the package's compiled catalogues are
            missing (a source checkout that was not installed).
    """
    return _translator_for(validate_locale(locale))


@functools.lru_cache(maxsize=256)
def _translator_for(locale: str) -> Translator:
    """The translator of a known locale, made once (see :func:`translator`)."""
    language = Locale.parse(locale).language
    if language not in LANGUAGES[1:]:
        return Translator(locale, "en", gettext.NullTranslations())
    return Translator(locale, language, _catalogue(language))


class TranslationsMissingError(KamcoreError, RuntimeError):
    """A catalogue is not installed, or one of its sentences does not fit."""


@functools.cache
def _catalogue(language: str) -> gettext.GNUTranslations:
    path = resources.files(__package__).joinpath(
        "locale", language, "LC_MESSAGES", f"{CATALOGUE_DOMAIN}.mo"
    )
    try:
        # Package data, read on first use: never at import time.
        compiled = path.read_bytes()
    except FileNotFoundError:
        msg = (
            f"kamcore's {language!r} catalogue is not compiled ({CATALOGUE_DOMAIN}.mo "
            "is made from the .po file when the package is built): install kamcore "
            "(`pip install .` or `pip install -e .`) instead of running the sources"
        )
        raise TranslationsMissingError(msg) from None
    return gettext.GNUTranslations(io.BytesIO(compiled))
