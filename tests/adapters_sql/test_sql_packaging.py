"""The SQL adapters and their Alembic branch are extras: kamcore works without
SQLAlchemy installed, and everything but the Alembic branch without Alembic."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

# Runs in a fresh interpreter where importing PACKAGE fails, as it does where
# its extra is not installed; every kamcore module but those of MODULE imports,
# and importing MODULE says which extra to install.
_WITHOUT = textwrap.dedent(
    """
    import importlib, pkgutil, sys

    PACKAGE, MODULE = sys.argv[1:]

    class Missing:
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] == PACKAGE:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, Missing())
    import kamcore

    for info in pkgutil.walk_packages(kamcore.__path__, prefix="kamcore."):
        if not info.name.startswith(MODULE):
            importlib.import_module(info.name)
    try:
        importlib.import_module(MODULE)
    except ImportError as error:
        print(error)
    """
)


@pytest.mark.parametrize(
    ("package", "module", "message"),
    [
        (
            "sqlalchemy",
            "kamcore.adapters.sql",
            "kamcore.adapters.sql needs SQLAlchemy 2: install the extra with "
            "`pip install 'kamcore[sql]'` (or 'kamcore[postgres]' for PostgreSQL)",
        ),
        (
            "alembic",
            "kamcore.adapters.sql.alembic",
            "kamcore.adapters.sql.alembic needs Alembic: install the extra with "
            "`pip install 'kamcore[alembic]'`",
        ),
    ],
    ids=["sqlalchemy", "alembic"],
)
def test_everything_but_an_extras_module_imports_without_it(
    package: str, module: str, message: str
) -> None:
    run = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", _WITHOUT, package, module],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == message
