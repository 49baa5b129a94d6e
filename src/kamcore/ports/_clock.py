"""Where "now" and "today" come from."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

__all__ = ["Clock"]


class Clock(Protocol):
    """The only source of the current time in kamcore.

    ``now`` is a timezone-aware instant. ``today`` is the business date: the
    date of ``now`` in the business's timezone, which is what "expires in 60
    days" counts from.
    """

    def now(self) -> dt.datetime:
        """The current instant, timezone-aware."""
        ...

    def today(self) -> dt.date:
        """Today's date in the business's timezone."""
        ...
