"""The ``kamcore`` command line (``python -m kamcore`` runs the same).

Every command is a small module beside this one: ``demo``, ``import``,
``report``, ``renewals``, ``price``, ``loyalty``, ``db upgrade`` and ``schema``.
The command line is a host application like any other: it builds the adapters
(the SQL unit of work, a clock for ``--as-of``, the outbox notifier) and calls
the services. See ``docs/cli.md``.

A command's module (``_report_command``) holds its options and imports only
what parsing needs; what the command does (``_report_run``) is imported when
it runs. So ``kamcore --help``, a usage error or ``kamcore schema`` do not load
the services, the SQL adapters or NumPy. :class:`PortfolioDocument` and
:func:`portfolio_schema` are likewise imported when first asked for.

.. versionadded:: 0.1
"""

from typing import TYPE_CHECKING

from kamcore.cli._app import main
from kamcore.cli._common import ExitCode

if TYPE_CHECKING:
    from kamcore.cli._portfolio import PortfolioDocument
    from kamcore.cli._schema import portfolio_schema

__all__ = ["ExitCode", "PortfolioDocument", "main", "portfolio_schema"]


def __getattr__(name: str) -> object:
    # The import document and its schema need the serialization converter
    # and every entity: loaded when first used, not by every command.
    if name == "PortfolioDocument":
        from kamcore.cli._portfolio import PortfolioDocument  # noqa: PLC0415

        return PortfolioDocument
    if name == "portfolio_schema":
        from kamcore.cli._schema import portfolio_schema  # noqa: PLC0415

        return portfolio_schema
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
