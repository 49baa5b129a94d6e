"""Text the commands print for people: renewal runs, memberships, prices.

Money, dates and percentages are formatted with Babel for the locale given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from babel.dates import format_date

from kamcore.accounts import Client
from kamcore.contracts import AlertKind, RenewalAlert, TermEnd
from kamcore.kernel import ClientId
from kamcore.loyalty import MembershipReport
from kamcore.pricing import AdHocReport
from kamcore.services import RenewalRun

__all__ = [
    "ad_hoc_text",
    "alerts_text",
    "day",
    "membership_text",
    "renewal_run_text",
    "spreadsheet_safe",
]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet takes for the start of a formula (OWASP, CSV injection)."""
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell a spreadsheet will not run as a formula: text starting with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    single quote (``'=HYPERLINK(...)``), as OWASP advises. Numbers, such as
    ``-12.50``, and every other value are left as they are.

    Example:
        >>> spreadsheet_safe("=1+2"), spreadsheet_safe("-12.50"), spreadsheet_safe("-x")
        ("'=1+2", '-12.50', "'-x")
    """
    if (
        isinstance(value, str)
        and value.startswith(_FORMULA_START)
        and not _NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def day(value: dt.date, locale: str) -> str:
    """A date as people of ``locale`` write it (``23 Nov 2026``)."""
    return format_date(value, "medium", locale=locale)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _alert_line(
    alert: RenewalAlert, names: Mapping[ClientId, str], as_of: dt.date, locale: str
) -> str:
    if alert.kind is AlertKind.NOTICE_DEADLINE:
        what = f"notice deadline {day(alert.deadline, locale)}"
    elif alert.last_term_end is not None and alert.terms > 1:
        what = (
            f"{alert.terms} terms ended unannounced, "
            f"{day(alert.term_end, locale)} to {day(alert.last_term_end, locale)}"
        )
    elif alert.kind is AlertKind.LATE:
        what = f"term ended {day(alert.term_end, locale)}"
    else:
        what = f"term ends {day(alert.term_end, locale)}"
    days = (alert.deadline - as_of).days
    when = f"in {_plural(days, 'day')}" if days >= 0 else f"{-days} days ago"
    return (
        f"  {alert.contract} {names.get(alert.client, alert.client)}: "
        f"{alert.kind.value.replace('_', ' ')} alert, {what} ({when}), "
        f"to {alert.recipient}"
    )


def _outcome_runs(
    term_ends: Sequence[TermEnd],
) -> list[tuple[TermEnd, TermEnd, int]]:
    """Consecutive term ends of one contract with one outcome, as (first, last,
    count): a contract caught up over many terms reads as one line, not one a
    term."""
    runs: list[tuple[TermEnd, TermEnd, int]] = []
    for term in term_ends:
        if runs:
            first, _, count = runs[-1]
            if (first.contract, first.outcome) == (term.contract, term.outcome):
                runs[-1] = (first, term, count + 1)
                continue
        runs.append((term, term, 1))
    return runs


def renewal_run_text(
    run: RenewalRun, clients: Sequence[Client], locale: str
) -> list[str]:
    """What one run of the renewal scheduler did, in lines."""
    names = {client.id: client.name for client in clients}
    lines = [
        f"Renewal scheduler, {day(run.as_of, locale)}: "
        f"{_plural(len(run.raised), 'alert')} raised"
    ]
    lines += [_alert_line(alert, names, run.as_of, locale) for alert in run.raised]
    for first, last, count in _outcome_runs(run.term_ends):
        who = f"  {first.contract} {names.get(first.client, first.client)}"
        if count == 1:
            lines.append(
                f"{who}: {first.outcome.value} "
                f"(term ended {day(first.term_end, locale)})"
            )
        else:
            lines.append(
                f"{who}: {first.outcome.value} {count} times (terms ended "
                f"{day(first.term_end, locale)} to {day(last.term_end, locale)})"
            )
    lines += [
        f"  {skipped.contract}: {_plural(len(skipped.alerts), 'alert')} held back "
        f"({skipped.reason.value.replace('_', ' ')})"
        for skipped in run.skipped
    ]
    return lines


def alerts_text(
    alerts: Sequence[RenewalAlert],
    clients: Sequence[Client],
    as_of: dt.date,
    locale: str,
) -> list[str]:
    """The alerts still waiting for a first action, oldest first."""
    names = {client.id: client.name for client in clients}
    waiting = [alert for alert in alerts if alert.first_action is None]
    lines = [f"Alerts without a first action: {len(waiting)}"]
    for alert in waiting:
        age = (as_of - alert.raised_on).days
        lines.append(
            f"{_alert_line(alert, names, as_of, locale)}; raised "
            f"{day(alert.raised_on, locale)}, {_plural(age, 'day')} ago"
        )
    return lines


def _period_end(end: dt.date | None, locale: str) -> str:
    return "" if end is None else f"; the period ends {day(end, locale)}"


def membership_text(
    client: Client, programme_name: str, report: MembershipReport, locale: str
) -> list[str]:
    """One member's tier, points and what to spend, in lines."""
    standing = report.standing
    tier = standing.tier.name + (" (set by hand)" if standing.overridden else "")
    lines = [
        f"{client.name} ({client.id}), {programme_name}: {tier}",
        f"  qualifying spend {standing.spend.format(locale)} on "
        f"{day(report.as_of, locale)}{_period_end(standing.period.end, locale)}",
        f"  points: {report.balance:,} usable, {report.pending:,} pending, "
        f"{report.held:,} reserved; redeemable now {report.redeemable:,} "
        f"({report.redeemable_value.format(locale)})",
    ]
    if standing.next_tier is not None and standing.to_next is not None:
        lines.append(
            f"  {standing.to_next.format(locale)} more to reach "
            f"{standing.next_tier.name} now"
        )
    for target in report.targets:
        by = f" by {day(target.by, locale)}" if target.by is not None else ""
        need = (
            "secured"
            if target.needed.is_zero()
            else f"spend {target.needed.format(locale)}{by}"
        )
        lines.append(f"  to hold {target.tier.name} next period: {need}")
    lines += [
        f"  {lot.remaining:,} points expire on {day(lot.expires_on, locale)}"
        for lot in report.expiring
        if lot.expires_on is not None
    ]
    return lines


def ad_hoc_text(
    report: AdHocReport, clients: Sequence[Client], locale: str
) -> list[str]:
    """Ad-hoc discounts per account, and the price-list items to replace them."""
    names = {client.id: client.name for client in clients}
    period = report.period
    assert period.start is not None  # noqa: S101 - an ad-hoc report's period is closed
    assert period.end is not None  # noqa: S101
    lines = [
        f"Ad-hoc discounts, {day(period.start, locale)} to {day(period.end, locale)}: "
        f"{_plural(len(report.accounts), 'account')}"
    ]
    lines += [
        f"  {names.get(account.client, account.client)}: "
        f"{account.total.format(locale)} on "
        f"{_plural(account.invoice_count, 'invoice')}"
        for account in report.accounts
    ]
    for proposal in report.proposals:
        item = proposal.proposed_item
        price = item.unit_price.format(locale) if item.unit_price else "?"
        lines.append(
            f"  proposal: put {proposal.product} at {price} in the price list of "
            f"{names.get(proposal.client, proposal.client)} "
            f"(discounted by hand on {_plural(proposal.occurrences, 'invoice')})"
        )
    return lines
