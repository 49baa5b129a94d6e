"""The catalogue tool (``tools/catalogues.py``), loaded for the tests."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from types import ModuleType

from babel.messages.catalog import Catalog

ROOT = Path(__file__).resolve().parents[2]


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "catalogues", ROOT / "tools" / "catalogues.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


catalogues = _tool()


@functools.cache
def extracted() -> Catalog:
    """What the sources mark today, extracted once per test process."""
    catalogue: Catalog = catalogues.extract()
    return catalogue
