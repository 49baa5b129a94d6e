"""The layering rules of docs/architecture.md, enforced on the source.

* the domain (kernel, errors, accounts, pricing, contracts, loyalty, metrics) and
  the ports never import an adapter or the test kit;
* ports import no adapter;
* services (the workflows run through the ports) import no adapter or test kit;
* only the clock adapter may read the system clock; nothing reads the
  environment or opens files at import time in the domain;
* no package imports another package's underscore module: what packages share
  is on the sharing package's face (its ``__init__`` and ``__all__``);
* an optional integration (SQLAlchemy, Alembic) is imported only by the
  package its extra is for.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "kamcore"
DOMAIN = [
    "kernel",
    "i18n",
    "accounts",
    "pricing",
    "contracts",
    "proposals",
    "opportunities",
    "loyalty",
    "metrics",
    "views",
    "plot",
    "dask",
    "ports",
]
FORBIDDEN_FOR_DOMAIN = ("kamcore.adapters", "kamcore.testing", "kamcore.serialization")
CLOCK_READS = {"now", "today", "utcnow", "time", "monotonic"}
IO_CALLS = {"open", "getenv"}


def modules_of(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py"))


def imported_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


DOMAIN_FILES = [p for package in DOMAIN for p in modules_of(package)] + [
    SRC / "errors.py"
]


@pytest.mark.parametrize("path", DOMAIN_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_domain_never_imports_adapters_or_test_kit(path: Path) -> None:
    bad = sorted(
        name for name in imported_names(path) if name.startswith(FORBIDDEN_FOR_DOMAIN)
    )
    assert bad == []


@pytest.mark.parametrize("path", DOMAIN_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_domain_never_reads_the_clock_or_the_environment(path: Path) -> None:
    offending: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else getattr(func, "id", "")
            )
            if name in CLOCK_READS | IO_CALLS:
                offending.append(f"{name}() at line {node.lineno}")
        if isinstance(node, ast.Attribute) and node.attr == "environ":
            offending.append(f"environ at line {node.lineno}")
    assert offending == []


SERVICE_FILES = modules_of("services")


@pytest.mark.parametrize("path", SERVICE_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_services_never_import_adapters_or_test_kit(path: Path) -> None:
    bad = sorted(
        name
        for name in imported_names(path)
        if name.startswith(("kamcore.adapters", "kamcore.testing"))
    )
    assert bad == []


def test_the_domain_list_covers_every_package() -> None:
    packages = {
        p.name for p in SRC.iterdir() if p.is_dir() and not p.name.startswith("_")
    }
    outside_domain = {
        "adapters",
        "cli",
        "testing",
        "serialization",
        "services",
        "__pycache__",
    }
    assert packages - outside_domain == set(DOMAIN)


ALL_FILES = sorted(SRC.rglob("*.py"))


def private_imports_from_elsewhere(names: set[str], package: str) -> list[str]:
    """The underscore modules of other packages among ``names``.

    ``kamcore.kernel._money`` belongs to the package ``kamcore.kernel``: only
    modules of that package (or of its subpackages) may import it.
    """
    found: list[str] = []
    for name in names:
        parts = name.split(".")
        for depth, part in enumerate(parts):
            if part.startswith("_") and not part.startswith("__"):
                owner = ".".join(parts[:depth])
                if package != owner and not package.startswith(owner + "."):
                    found.append(name)
                break
    return sorted(found)


def package_of(path: Path) -> str:
    return ".".join(path.relative_to(SRC.parent).parent.parts)


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_package_imports_another_packages_private_module(path: Path) -> None:
    assert private_imports_from_elsewhere(imported_names(path), package_of(path)) == []


def test_the_private_import_rule_catches_a_reach_into_the_kernel() -> None:
    # The rule must be able to fail: a pricing module importing the kernel's
    # money module is what it exists to catch; its own modules are fine.
    names = {"kamcore.kernel._money", "kamcore.pricing._lists", "kamcore.kernel"}
    package = package_of(SRC / "pricing" / "_index.py")
    assert package == "kamcore.pricing"
    assert private_imports_from_elsewhere(names, package) == ["kamcore.kernel._money"]
    assert private_imports_from_elsewhere(names, "kamcore.kernel") == [
        "kamcore.pricing._lists"
    ]


#: Optional integrations, and the only packages that may import them: the
#: rest of kamcore imports without the extra installed.
EXTRAS = {
    "alembic": ("kamcore.adapters.sql.alembic",),
    "sqlalchemy": ("kamcore.adapters.sql", "kamcore.cli"),
}


def imports_outside_their_extra(names: set[str], package: str) -> list[str]:
    found = []
    for name in sorted(names):
        allowed = EXTRAS.get(name.split(".")[0])
        if allowed is not None and not any(
            package == owner or package.startswith(owner + ".") for owner in allowed
        ):
            found.append(name)
    return found


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_an_optional_integration_is_imported_only_behind_its_extra(path: Path) -> None:
    assert imports_outside_their_extra(imported_names(path), package_of(path)) == []


def test_the_extras_rule_catches_alembic_in_the_sql_adapter() -> None:
    names = {"alembic.op", "sqlalchemy"}
    assert imports_outside_their_extra(names, "kamcore.adapters.sql") == ["alembic.op"]
    assert imports_outside_their_extra(names, "kamcore.adapters.sql.alembic") == []
    assert imports_outside_their_extra(names, "kamcore.pricing") == [
        "alembic.op",
        "sqlalchemy",
    ]
