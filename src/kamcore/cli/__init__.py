"""The ``kamcore`` command line (``python -m kamcore`` runs the same).

Every command is a small module beside this one: ``demo``, ``import``,
``report``, ``renewals``, ``price``, ``loyalty``, ``db upgrade`` and ``schema``.
The command line is a host application like any other: it builds the adapters
(the SQL unit of work, a clock for ``--as-of``, the outbox notifier) and calls
the services. See ``docs/cli.md``.

.. versionadded:: 0.1
"""

from kamcore.cli._app import main
from kamcore.cli._common import ExitCode
from kamcore.cli._portfolio import PortfolioDocument
from kamcore.cli._schema import portfolio_schema

__all__ = ["ExitCode", "PortfolioDocument", "main", "portfolio_schema"]
