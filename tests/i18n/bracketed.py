"""A catalogue that shows every message between « and », for the tests that
check each line a report writes is exactly one message."""

from __future__ import annotations

import functools
import gettext

import pytest

from kamcore.i18n import _translator  # the catalogue is replaced for the test


class Bracketed(gettext.NullTranslations):
    """Each message as it is, between « and »."""

    def gettext(self, message: str) -> str:
        return f"«{message}»"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return f"«{msgid1 if n == 1 else msgid2}»"

    def pgettext(self, context: str, message: str) -> str:
        return f"«{message}»"


def bracket_every_message(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every translator of the test read the :class:`Bracketed` catalogue.

    Translators are kept per locale: the test gets a cache of its own, so it
    neither reuses a translator made before nor leaves its own behind.
    """
    monkeypatch.setattr(_translator, "_catalogue", lambda language: Bracketed())
    fresh = functools.lru_cache(maxsize=256)(_translator._translator_for.__wrapped__)
    monkeypatch.setattr(_translator, "_translator_for", fresh)


def unmarked(lines: list[str]) -> list[str]:
    """The lines that are not one whole message (blank lines aside)."""
    return [
        line
        for line in lines
        if line and not (line.lstrip().startswith("«") and line.endswith("»"))
    ]
