"""Every code example in the docs and the README runs, so the docs cannot rot.

Each ```python block of a page runs in order in one namespace per page, so a page
reads like a notebook. Docstring examples (``>>>``) in the package run as doctests.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import kamcore

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([*ROOT.joinpath("docs").glob("*.md"), ROOT / "README.md"])
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def python_blocks(page: Path) -> list[str]:
    return BLOCK.findall(page.read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_examples_run(page: Path) -> None:
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for number, block in enumerate(python_blocks(page), start=1):
        code = compile(block, f"{page.name} block {number}", "exec")
        exec(code, namespace)  # noqa: S102 - running our own documentation examples


def test_every_docs_page_has_an_example() -> None:
    pages = [p for p in PAGES if p.parent.name == "docs" and p.name != "index.md"]
    assert pages, "no docs pages found"
    assert [p.name for p in pages if not python_blocks(p)] == []


MODULES = sorted(
    info.name for info in pkgutil.walk_packages(kamcore.__path__, prefix="kamcore.")
)


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_run(module_name: str) -> None:
    module = importlib.import_module(module_name)
    result = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    assert result.failed == 0
