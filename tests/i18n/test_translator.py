"""A translator fills its sentence or says which sentence does not fit."""

from __future__ import annotations

import gettext

import pytest

from kamcore.errors import ValidationError
from kamcore.i18n import TranslationsMissingError, Translator, translator


class _Misfit(gettext.NullTranslations):
    """A catalogue whose translation names a placeholder the code never fills."""

    def gettext(self, message: str) -> str:
        return "Offene Verkaufschancen: {anzahl}"


def test_a_translation_that_does_not_fit_its_values_is_refused_by_name() -> None:
    _ = Translator("de_DE", "de", catalogue=_Misfit())
    with pytest.raises(TranslationsMissingError) as caught:
        _("Open opportunities: {count}", count=4)
    assert str(caught.value) == (
        "the 'de' sentence 'Offene Verkaufschancen: {anzahl}' does not fit its "
        "values ['count']: KeyError('anzahl')"
    )


def test_an_unknown_locale_is_refused_before_anything_is_kept() -> None:
    with pytest.raises(ValidationError):
        translator("xx_XX")
    with pytest.raises(ValidationError):
        translator(["de_DE"])  # type: ignore[arg-type]


def test_a_locale_gets_the_same_translator_every_time() -> None:
    assert translator("de_DE") is translator("de_DE")
    assert translator("de_DE") is not translator("de_AT")
