"""Account 360: one client's whole history as of a date, and where it stands.

What a key account manager opens before a client visit (seed: "open the
client's record — full history"): every order, invoice, payment, credit note,
ticket, activity, contract step, opportunity change, proposal revision and
loyalty movement, on one timeline (ordering rule: :mod:`kamcore.views._events`),
under a summary of where the account stands on the date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from kamcore.accounts import InvoiceState
from kamcore.contracts import IN_FORCE
from kamcore.kernel import ClientId, ContractId, Money, OpportunityId
from kamcore.opportunities import Outcome
from kamcore.views._account_events import (
    activity_events,
    invoice_events,
    order_events,
    ticket_events,
)
from kamcore.views._deal_events import (
    contract_events,
    opportunity_events,
    proposal_events,
)
from kamcore.views._events import AsOf, EventKind, HistoryEvent
from kamcore.views._loyalty_events import (
    LoyaltyStanding,
    loyalty_events,
    loyalty_standing,
)
from kamcore.views._plain import Plain, plain
from kamcore.views._records import ClientRecords
from kamcore.views._render import render_account_360
from kamcore.views._states import (
    contract_status_on,
    opportunity_outcome,
    ticket_open,
)

__all__ = ["Account360", "AccountSummary", "build_account_360"]

Row = dict[str, Plain | dict[str, Plain]]


def _totals(amounts: Iterable[Money], currency: str) -> tuple[Money, ...]:
    """One sum per currency: the client's first (zero when nothing), then the
    others by code. kamcore never converts between currencies."""
    sums: dict[str, Money] = {currency: Money.zero(currency)}
    for amount in amounts:
        code = amount.currency
        sums[code] = sums.get(code, Money.zero(code)) + amount
    others = sorted(code for code in sums if code != currency)
    return (sums[currency], *(sums[code] for code in others))


def _by_currency(amounts: tuple[Money, ...]) -> dict[str, Plain]:
    return {amount.currency: plain(amount) for amount in amounts}


@attrs.frozen(kw_only=True)
class AccountSummary:
    """Where the account stands on the as-of date.

    Attributes:
        client: The client.
        name: Its name.
        as_of: The date.
        open_invoices: Invoices still owed on (open or overdue).
        overdue_invoices: Those of them past their due date.
        open_balance: What is owed on open and overdue invoices, one amount
            per currency (the client's first).
        overdue_total: What is owed on overdue invoices, the same way.
        open_tickets: Tickets open at the end of the date.
        contracts_in_force: Contracts active, renewing or renewed on the date.
        open_opportunities: Opportunities created and not yet won or lost.
        loyalty: Each membership's standing (none before enrolment).
    """

    client: ClientId
    name: str
    as_of: dt.date
    open_invoices: int
    overdue_invoices: int
    open_balance: tuple[Money, ...]
    overdue_total: tuple[Money, ...]
    open_tickets: int
    contracts_in_force: tuple[ContractId, ...]
    open_opportunities: tuple[OpportunityId, ...]
    loyalty: tuple[LoyaltyStanding, ...]

    def row(self) -> dict[str, object]:
        """The summary as plain values; amounts by currency code."""
        return {
            "client": self.client,
            "name": self.name,
            "as_of": self.as_of.isoformat(),
            "open_invoices": self.open_invoices,
            "overdue_invoices": self.overdue_invoices,
            "open_balance": _by_currency(self.open_balance),
            "overdue_total": _by_currency(self.overdue_total),
            "open_tickets": self.open_tickets,
            "contracts_in_force": list(self.contracts_in_force),
            "open_opportunities": list(self.open_opportunities),
            "loyalty": [standing.row() for standing in self.loyalty],
        }


@attrs.frozen(kw_only=True)
class Account360:
    """A client's history as of a date, oldest first, and its summary.

    Attributes:
        summary: Where the account stands.
        events: Every event in the view, in the order of the module rule.
    """

    summary: AccountSummary
    events: tuple[HistoryEvent, ...]

    def of_kind(self, *kinds: EventKind) -> tuple[HistoryEvent, ...]:
        """The events of the given kinds, in order."""
        return tuple(event for event in self.events if event.kind in kinds)

    def rows(self) -> list[Row]:
        """One plain row per event, for a DataFrame or JSON."""
        return [event.row() for event in self.events]

    def report(self, locale: str) -> str:
        """The view as text for a reader in ``locale``: in its language, dates,
        amounts and counts formatted with Babel.

        Raises:
            ValidationError: an unknown locale.
        """
        return render_account_360(self, locale)


def build_account_360(
    records: ClientRecords, *, as_of: dt.date, timezone: dt.tzinfo = dt.UTC
) -> Account360:
    """The account 360 of ``records.client`` as of a date.

    Args:
        records: Everything recorded about the client (its own records only).
        as_of: The last business date the view includes.
        timezone: The business timezone: an instant belongs to its date there.

    Raises:
        ValidationError: ``as_of`` is not a date or ``timezone`` not a tzinfo.
    """
    cut = AsOf(as_of, timezone)
    events: list[HistoryEvent] = []
    for order in records.orders:
        events += order_events(order, cut)
    for invoice in records.invoices:
        events += invoice_events(invoice, cut)
    for ticket in records.tickets:
        events += ticket_events(ticket, cut)
    for activity in records.activities:
        events += activity_events(activity, cut)
    for contract in records.contracts:
        events += contract_events(contract, cut)
    for opportunity in records.opportunities:
        events += opportunity_events(opportunity, cut)
    for proposal in records.proposals:
        events += proposal_events(proposal, cut)
    standings: list[LoyaltyStanding] = []
    for membership in sorted(records.memberships, key=lambda m: m.id):
        programme = records.programme(membership.programme)
        events += loyalty_events(membership, programme, cut)
        standing = loyalty_standing(membership, programme, cut)
        if standing is not None:
            standings.append(standing)
    events.sort(key=lambda event: event.sort_key)
    return Account360(
        summary=_summary(records, cut, tuple(standings)),
        events=tuple(events),
    )


def _summary(
    records: ClientRecords, cut: AsOf, loyalty: tuple[LoyaltyStanding, ...]
) -> AccountSummary:
    day = cut.day
    owed = [
        invoice
        for invoice in records.invoices
        if invoice.state(day) in (InvoiceState.OPEN, InvoiceState.OVERDUE)
    ]
    overdue = [i for i in owed if i.state(day) is InvoiceState.OVERDUE]
    currency = records.client.currency
    in_force = sorted(
        contract.id
        for contract in records.contracts
        if any(cut.includes(v.recorded_at) for v in contract.versions)
        and contract_status_on(contract, day) in IN_FORCE
    )
    open_deals = sorted(
        deal.id
        for deal in records.opportunities
        if cut.includes(deal.created_at)
        and opportunity_outcome(deal, cut) is Outcome.OPEN
    )
    return AccountSummary(
        client=records.client.id,
        name=records.client.name,
        as_of=day,
        open_invoices=len(owed),
        overdue_invoices=len(overdue),
        open_balance=_totals((i.balance(day) for i in owed), currency),
        overdue_total=_totals((i.balance(day) for i in overdue), currency),
        open_tickets=sum(1 for ticket in records.tickets if ticket_open(ticket, cut)),
        contracts_in_force=tuple(in_force),
        open_opportunities=tuple(open_deals),
        loyalty=loyalty,
    )
