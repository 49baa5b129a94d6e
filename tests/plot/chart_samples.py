"""A small fixed portfolio for the chart tests, with its figures by hand.

As of Monday 2026-11-16 (last complete month October 2026):

* acme (EUR) net invoiced: 2,000.00 in Jan 2026, 3,000.00 in Jun 2026 less
  250.00 credited in Jul 2026 (-250.00 in July), 1,500.00 in Oct 2026;
  last 12 months 6,250.00. Orders 10,000.00 in Sep, 7,000.00 in Oct (-30 %).
* bolt (EUR): 4,000.00 in Oct 2026. Orders 5,000.00 in Sep and Oct (0 %).
* euro (USD): 900.50 in Mar 2026. Orders 2,000.00 in Sep, 1,000.00 in Oct.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kamcore.accounts import Client, CreditNote, Invoice, LineItem, Order
from kamcore.kernel import (
    ClientGroupId,
    ClientId,
    ContractId,
    CreditNoteId,
    DateRange,
    InvoiceId,
    ManagerId,
    MembershipId,
    Money,
    OrderId,
    ProductId,
)
from kamcore.loyalty import (
    MembershipReport,
    Tier,
    TierBenefits,
    TierStanding,
    TierTarget,
)
from kamcore.metrics import (
    AccountSelection,
    ExpiringContract,
    ExpiringContracts,
    PortfolioState,
    ResolvedSelection,
)

AS_OF = dt.date(2026, 11, 16)
DACH = ClientGroupId("dach")
NAMES = {
    ClientId("acme"): "Acme GmbH",
    ClientId("bolt"): "Bolt AG",
    ClientId("euro"): "Euro Inc",
}


def client(name: str, currency: str = "EUR") -> Client:
    return Client(
        id=ClientId(name),
        name=NAMES[ClientId(name)],
        currency=currency,
        locale="en_GB",
        key_account=True,
        account_manager=ManagerId("m.rossi"),
        groups=frozenset({DACH}),
    )


def _line(amount: str, currency: str) -> tuple[LineItem, ...]:
    return (
        LineItem(
            product=ProductId("valve"),
            quantity=Decimal(1),
            unit_price=Money(amount, currency),
        ),
    )


def invoice(
    number: str,
    owner: str,
    issued: dt.date,
    amount: str,
    *,
    currency: str = "EUR",
    notes: tuple[CreditNote, ...] = (),
) -> Invoice:
    return Invoice(
        id=InvoiceId(number),
        client=ClientId(owner),
        issue_date=issued,
        due_date=issued + dt.timedelta(days=30),
        currency=currency,
        lines=_line(amount, currency),
        credit_notes=notes,
    )


def order(
    number: str, owner: str, placed: dt.date, amount: str, currency: str = "EUR"
) -> Order:
    return Order(
        id=OrderId(number),
        client=ClientId(owner),
        order_date=placed,
        currency=currency,
        lines=_line(amount, currency),
    )


def selection(*names: str) -> ResolvedSelection:
    clients = [client(n, "USD" if n == "euro" else "EUR") for n in names]
    return AccountSelection.group(DACH).resolve(clients)


def build_state() -> PortfolioState:
    refund = CreditNote(
        id=CreditNoteId("cn-1"),
        issued_on=dt.date(2026, 7, 3),
        amount=Money("250.00", "EUR"),
        reason="damaged valves",
    )
    state = PortfolioState()
    for item in (
        invoice("i-1", "acme", dt.date(2026, 1, 12), "2000.00"),
        invoice("i-2", "acme", dt.date(2026, 6, 2), "3000.00", notes=(refund,)),
        invoice("i-3", "acme", dt.date(2026, 10, 30), "1500.00"),
        invoice("i-4", "bolt", dt.date(2026, 10, 1), "4000.00"),
        invoice("i-5", "euro", dt.date(2026, 3, 9), "900.50", currency="USD"),
        invoice("i-6", "acme", dt.date(2026, 11, 2), "777.00"),  # running month
    ):
        state.add_invoice(item)
    for placed in (
        order("o-1", "acme", dt.date(2026, 9, 3), "10000.00"),
        order("o-2", "acme", dt.date(2026, 10, 7), "7000.00"),
        order("o-3", "bolt", dt.date(2026, 9, 10), "5000.00"),
        order("o-4", "bolt", dt.date(2026, 10, 1), "5000.00"),
        order("o-5", "euro", dt.date(2026, 9, 1), "2000.00", "USD"),
        order("o-6", "euro", dt.date(2026, 10, 1), "1000.00", "USD"),
    ):
        state.add_order(placed)
    return state


def expiring() -> ExpiringContracts:
    """Two contracts: one in its grace period, one ending in 55 days."""
    return ExpiringContracts(
        as_of=AS_OF,
        within_days=60,
        lines=(
            ExpiringContract(
                contract=ContractId("k-acme"),
                client=ClientId("acme"),
                title="Valve supply",
                term_end=dt.date(2026, 11, 13),
                days_left=-3,
                auto_renew=False,
                value=Money("24000.00", "EUR"),
            ),
            ExpiringContract(
                contract=ContractId("k-euro"),
                client=ClientId("euro"),
                title="Service",
                term_end=dt.date(2027, 1, 10),
                days_left=55,
                auto_renew=True,
                value=Money("12000.00", "USD"),
            ),
        ),
        covered=(ClientId("acme"), ClientId("euro")),
        excluded=(),
    )


def _tier(code: str, threshold: str) -> Tier:
    return Tier(
        code=code,
        name=code.capitalize(),
        threshold=Money(threshold, "EUR"),
        benefits=TierBenefits(description=f"{code} benefits"),
    )


MEMBER, SILVER, GOLD = (
    _tier("member", "0"),
    _tier("silver", "5000"),
    _tier("gold", "10000"),
)


def membership() -> MembershipReport:
    """Silver on 6,224.00 of spend this year; 6,224 points, 500 pending."""
    period = DateRange(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    return MembershipReport(
        membership=MembershipId("mem-acme"),
        as_of=AS_OF,
        standing=TierStanding(
            on=AS_OF,
            tier=SILVER,
            held=SILVER,
            overridden=False,
            period=period,
            spend=Money("6224.00", "EUR"),
            next_tier=GOLD,
            to_next=Money("3776.00", "EUR"),
        ),
        balance=Decimal(6224),
        pending=Decimal(500),
        held=Decimal(1000),
        redeemable=Decimal(5224),
        redeemable_value=Money("52.24", "EUR"),
        expiring=(),
        targets=(
            TierTarget(tier=SILVER, needed=Money("0.00", "EUR"), by=period.end),
            TierTarget(tier=GOLD, needed=Money("3776.00", "EUR"), by=period.end),
        ),
    )
