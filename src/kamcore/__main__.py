"""``python -m kamcore``: the daily overdue check on the embedded sample portfolio.

Key accounts with overdue invoices are listed per account manager: in key account
management the manager intervenes personally instead of letting an automated
reminder go out. The full weekly routine arrives with the ``kamcore`` command.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence

from babel.dates import format_date

from kamcore import __version__
from kamcore._sample import SAMPLE_AS_OF, load_sample_portfolio
from kamcore.accounts import InvoiceState
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.errors import KamcoreError
from kamcore.kernel import validate_locale
from kamcore.ports import UnitOfWork

__all__ = ["main", "overdue_report"]


def overdue_report(uow: UnitOfWork, as_of: dt.date, locale: str) -> list[str]:
    """Lines of the daily overdue check as of ``as_of``, formatted for ``locale``."""
    lines = [f"Daily overdue check, {format_date(as_of, 'full', locale=locale)}"]
    with uow:
        key_accounts = {c.id: c for c in uow.clients.find(key_account=True)}
        overdue = [
            invoice
            for invoice in uow.invoices.outstanding(as_of=as_of)
            if invoice.client in key_accounts
            and invoice.state(as_of) is InvoiceState.OVERDUE
        ]
    if not overdue:
        lines.append("No key account has an overdue invoice.")
        return lines
    by_manager: dict[str, list[str]] = {}
    for invoice in overdue:
        client = key_accounts[invoice.client]
        by_manager.setdefault(str(client.account_manager), []).append(
            f"  {client.name}: {invoice.id} "
            f"{invoice.balance(as_of).format(locale)} due, "
            f"{_days(invoice.days_overdue(as_of))} overdue "
            "(automated reminder held back: call the client)"
        )
    for manager in sorted(by_manager):
        lines.append(f"{manager}:")
        lines.extend(by_manager[manager])
    return lines


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the check; exit code 0 on success, 2 on bad arguments."""
    parser = argparse.ArgumentParser(
        prog="python -m kamcore",
        description="Daily overdue check of key accounts on the sample portfolio.",
    )
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=SAMPLE_AS_OF,
        help="business date to check, YYYY-MM-DD (default: %(default)s)",
    )
    parser.add_argument(
        "--locale", default="en_GB", help="report locale (default: en_GB)"
    )
    parser.add_argument("--version", action="version", version=f"kamcore {__version__}")
    args = parser.parse_args(argv)
    try:
        locale = validate_locale(args.locale)
    except KamcoreError as error:
        parser.error(str(error))
    uow = InMemoryUnitOfWork(InMemoryStore())
    load_sample_portfolio(uow)
    print("\n".join(overdue_report(uow, args.as_of, locale)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
