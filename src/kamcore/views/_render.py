"""The account 360 as text, for a reader in a locale.

Labels are English; every date, amount and count is formatted with Babel for
the locale given. Event summaries are locale-neutral by design (they are data
too), so each line shows the event's date and amount in the reader's format
beside its summary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from babel.dates import format_date
from babel.numbers import format_decimal

from kamcore.kernel import Money, validate_locale

if TYPE_CHECKING:
    from kamcore.views._account360 import Account360

__all__ = ["render_account_360"]

_LABEL_WIDTH = max(len("credit note issued"), len("opportunity changed")) + 2


def _money(amounts: tuple[Money, ...], locale: str) -> str:
    return " + ".join(amount.format(locale) for amount in amounts)


def _count(value: int, locale: str) -> str:
    return format_decimal(value, locale=locale)


def render_account_360(view: Account360, locale: str) -> str:
    """``view`` as lines of text for ``locale``.

    Raises:
        ValidationError: an unknown locale.
    """
    validate_locale(locale, subject="Account360.render")
    summary = view.summary
    lines = [
        f"Account 360: {summary.name} ({summary.client}), as of "
        f"{format_date(summary.as_of, 'long', locale=locale)}",
        f"Invoices: {_count(summary.open_invoices, locale)} open, "
        f"{_count(summary.overdue_invoices, locale)} overdue; owed "
        f"{_money(summary.open_balance, locale)} (overdue "
        f"{_money(summary.overdue_total, locale)})",
        f"Open tickets: {_count(summary.open_tickets, locale)}; contracts in "
        f"force: {_count(len(summary.contracts_in_force), locale)}; open "
        f"opportunities: {_count(len(summary.open_opportunities), locale)}",
    ]
    for standing in summary.loyalty:
        overridden = ", set by the account manager" if standing.overridden else ""
        lines.append(
            f"Loyalty: {standing.tier_name} in {standing.programme_name}"
            f"{overridden}; "
            f"{format_decimal(standing.points, locale=locale)} points "
            f"({format_decimal(standing.pending, locale=locale)} pending)"
        )
    lines.append("")
    lines.append(f"History ({_count(len(view.events), locale)} events):")
    for event in view.events:
        day = format_date(event.on, "medium", locale=locale)
        amount = "" if event.amount is None else f"  [{event.amount.format(locale)}]"
        lines.append(
            f"  {day}  {event.kind.label:<{_LABEL_WIDTH}}{event.summary}{amount}"
        )
    return "\n".join(lines)
