"""The account 360 and the client portal as text, for a reader in a locale.

Labels are English; every date, amount, count and percentage is formatted with
Babel for the locale given. Event summaries are locale-neutral by design (they
are data too), so each line shows the event's date and amount in the reader's
format beside its summary. The portal's text reads only fields of the portal
records, which carry nothing outside the allow-list.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from babel.dates import format_date
from babel.numbers import format_decimal

from kamcore.kernel import Money, validate_locale

if TYPE_CHECKING:
    from kamcore.views._account360 import Account360
    from kamcore.views._portal_records import (
        ClientPortal,
        PortalContract,
        PortalInvoice,
        PortalLoyalty,
        PortalProposal,
    )

__all__ = ["render_account_360", "render_client_portal"]

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


# -- the client portal ----------------------------------------------------------------


def _day(day: dt.date, locale: str) -> str:
    return format_date(day, "medium", locale=locale)


def _word(member: enum.Enum) -> str:
    """An enum's value as words: ``renewal_in_progress`` -> ``renewal in progress``."""
    return str(member.value).replace("_", " ")


def _contract_lines(contract: PortalContract, locale: str) -> list[str]:
    terms = contract.current
    renewal = ""
    # Once the client gave notice, the renewal terms no longer apply: the
    # notice line below says when the contract ends instead.
    if contract.termination_received_on is None:
        renewal = "; renews automatically" if terms.auto_renew else ""
        if terms.notice_deadline is not None:
            renewal += f"; notice by {_day(terms.notice_deadline, locale)}"
    lines = [
        f"  {contract.id}  {contract.title}: {_word(contract.status)}, "
        f"{_day(contract.start, locale)} to {_day(contract.end, locale)}; "
        f"{terms.value.format(locale)} per term{renewal}"
    ]
    if contract.termination_received_on is not None:
        ends = contract.termination_effective_end
        lines.append(
            f"    notice of termination received "
            f"{_day(contract.termination_received_on, locale)}"
            + ("" if ends is None else f", ends {_day(ends, locale)}")
        )
    lines.extend(
        f"    version {_count(version.number, locale)} signed "
        f"{_day(version.signed_on, locale)} by {version.signed_by}, from "
        f"{_day(version.effective_from, locale)}: {version.value.format(locale)}"
        for version in contract.signed_versions
    )
    return lines


def _proposal_lines(proposal: PortalProposal, locale: str) -> list[str]:
    valid = (
        ""
        if proposal.valid_until is None
        else f", valid until {_day(proposal.valid_until, locale)}"
    )
    lines = [
        f"  {proposal.id}  {_word(proposal.purpose)}: {_word(proposal.status)}, "
        f"sent {_day(proposal.sent_on, locale)}{valid}; total "
        f"{proposal.total.format(locale)}"
    ]
    lines.extend(
        f"    revision {_count(revision.number, locale)}, prices of "
        f"{_day(revision.pricing_date, locale)}: {revision.total.format(locale)}"
        for revision in proposal.revisions
    )
    return lines


def _invoice_lines(invoice: PortalInvoice, locale: str) -> list[str]:
    state = _word(invoice.state)
    if invoice.days_overdue:
        state += f" ({_count(invoice.days_overdue, locale)} days)"
    lines = [
        f"  {invoice.id}  issued {_day(invoice.issue_date, locale)}, due "
        f"{_day(invoice.due_date, locale)}: {state}; total "
        f"{invoice.total.format(locale)}, credited "
        f"{invoice.credited.format(locale)}, paid {invoice.paid.format(locale)}, "
        f"balance {invoice.balance.format(locale)}"
    ]
    if invoice.redemptions:
        lines.append(f"    lines total {invoice.lines_total.format(locale)}")
    lines.extend(
        f"    {r.description}: {format_decimal(r.points, locale=locale)} points "
        f"at {r.rate.format(locale)}: {(-r.amount).format(locale)}"
        for r in invoice.redemptions
    )
    lines.extend(
        f"    payment {p.id} received {_day(p.received_on, locale)}: "
        f"{p.amount.format(locale)}" + (f" ({p.reference})" if p.reference else "")
        for p in invoice.payments
    )
    lines.extend(
        f"    credit note {c.id} issued {_day(c.issued_on, locale)}: "
        f"{c.amount.format(locale)}"
        for c in invoice.credit_notes
    )
    return lines


def _loyalty_line(standing: PortalLoyalty, locale: str) -> str:
    extra = (
        ""
        if standing.extra_discount.value == 0
        else f", extra discount {standing.extra_discount.format(locale)}"
    )
    return (
        f"  {standing.programme}: {standing.tier_name} ({standing.benefits}{extra}); "
        f"{format_decimal(standing.points, locale=locale)} points "
        f"({format_decimal(standing.pending_points, locale=locale)} pending), worth "
        f"{standing.points_value.format(locale)}"
    )


def render_client_portal(portal: ClientPortal, locale: str) -> str:
    """``portal`` as lines of text for ``locale``.

    Raises:
        ValidationError: an unknown locale.
    """
    validate_locale(locale, subject="ClientPortal.report")
    lines = [
        f"Client portal: {portal.name} ({portal.client}), as of "
        f"{format_date(portal.as_of, 'long', locale=locale)}",
        "",
        f"Contracts ({_count(len(portal.contracts), locale)}):",
    ]
    for contract in portal.contracts:
        lines += _contract_lines(contract, locale)
    lines.append(f"Proposals ({_count(len(portal.proposals), locale)}):")
    for proposal in portal.proposals:
        lines += _proposal_lines(proposal, locale)
    lines.append(f"Invoices ({_count(len(portal.invoices), locale)}):")
    for invoice in portal.invoices:
        lines += _invoice_lines(invoice, locale)
    lines.append(f"Loyalty ({_count(len(portal.loyalty), locale)}):")
    lines.extend(_loyalty_line(standing, locale) for standing in portal.loyalty)
    return "\n".join(lines)
