"""Build hook: compile kamcore's message catalogues (.po) into the .mo files it reads.

Runs on every build of the package, editable installs included, so the wheel
ships ``kamcore/i18n/locale/<lang>/LC_MESSAGES/kamcore.mo`` for each ``.po``
in the sources. The ``.mo`` files are build products, never kept in the
repository (``.gitignore``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogues(BuildHookInterface):  # type: ignore[type-arg]
    """Compile each ``.po`` catalogue next to itself, and ship the result."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        locale = Path(self.root, "src", "kamcore", "i18n", "locale")
        for source in sorted(locale.glob("*/LC_MESSAGES/*.po")):
            with source.open("rb") as stored:
                catalogue = read_po(stored)
            compiled = source.with_suffix(".mo")
            with compiled.open("wb") as written:
                # Fuzzy translations are not used: a test fails on any.
                write_mo(written, catalogue, use_fuzzy=False)
            build_data["artifacts"].append(str(compiled.relative_to(self.root)))
