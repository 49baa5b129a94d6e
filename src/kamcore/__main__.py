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

from kamcore import __version__
from kamcore._sample import SAMPLE_AS_OF, load_sample_portfolio
from kamcore.adapters.clock import FixedClock
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.adapters.notifiers import RecordingNotifier
from kamcore.adapters.reminders import RecordingReminderControl
from kamcore.errors import KamcoreError
from kamcore.kernel import validate_locale
from kamcore.services import daily_overdue_check

__all__ = ["main"]


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
    noon = dt.datetime.combine(args.as_of, dt.time(12), tzinfo=dt.UTC)
    check = daily_overdue_check(
        uow,
        RecordingReminderControl(),
        RecordingNotifier(),
        FixedClock(noon),
        default_locale=locale,
    )
    print(check.report(locale))
    return 0


if __name__ == "__main__":
    sys.exit(main())
