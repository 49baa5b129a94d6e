"""The SQL adapters are an extra: kamcore works without SQLAlchemy installed."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# Runs in a fresh interpreter where importing SQLAlchemy fails, as it does
# where the ``kamcore[sql]`` extra is not installed.
_WITHOUT_SQLALCHEMY = textwrap.dedent(
    """
    import importlib, pkgutil, sys

    class NoSqlAlchemy:
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] == "sqlalchemy":
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, NoSqlAlchemy())
    import kamcore

    for info in pkgutil.walk_packages(kamcore.__path__, prefix="kamcore."):
        if not info.name.startswith("kamcore.adapters.sql"):
            importlib.import_module(info.name)
    try:
        import kamcore.adapters.sql
    except ImportError as error:
        print(error)
    """
)


def test_everything_but_the_sql_adapters_imports_without_sqlalchemy() -> None:
    run = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", _WITHOUT_SQLALCHEMY],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == (
        "kamcore.adapters.sql needs SQLAlchemy 2: install the extra with "
        "`pip install 'kamcore[sql]'` (or 'kamcore[postgres]' for PostgreSQL)"
    )
