"""The sentences a person reads, in their language.

Every report, notification and page kamcore writes for a person is written in
English in the source, and translated through GNU gettext catalogues shipped
with the package: German, French, Italian and Spanish (:data:`LANGUAGES`). The
recipient's locale chooses (``"de_CH"`` reads the German catalogue); a locale
of another language reads English, its numbers, amounts and dates still
formatted for that locale by Babel. Plurals follow each language's own rule,
from its catalogue.

In code, a sentence is a template with named placeholders::

    _ = translator(locale)
    _("Open opportunities: {count}", count=len(opportunities))
    _.ngettext("{n} account", "{n} accounts", len(accounts))

Constant texts defined at import time are marked with :func:`N_` (or, for a
short label that needs its context, :func:`NC_`) and translated where they
are shown: ``_(TITLE)``.

See ``docs/translations.md`` for the catalogues and how to add a sentence.
"""

from kamcore.i18n._translator import (
    LANGUAGES,
    N_,
    NC_,
    Label,
    TranslationsMissingError,
    Translator,
    translator,
)

__all__ = [
    "LANGUAGES",
    "NC_",
    "N_",
    "Label",
    "TranslationsMissingError",
    "Translator",
    "translator",
]
