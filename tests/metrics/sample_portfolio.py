"""A small, hand-computed portfolio for the metric tests, and its builders.

As of Monday 2026-11-16: the trailing 12 months are Nov 2025 - Oct 2026, the
base window Nov 2024 - Oct 2025; the last complete month is October 2026.

Net invoiced, per key account (EUR unless said otherwise):

* acme: 10,000.00 in the base; 12,000 + 3,000 - 500 credited = 14,500.00 in
  the last 12 months: growth +45.00 %;
* bolt: 4,000.00 in Jan 2026 only: a new account;
* cora: 2,000.00 in 2024 (before the base), 1,000.00 in 2026: a zero base;
* dyna: 1,000.00 in 2024 credited in Jan 2025 (base -1,000.00), 0.02 in 2026;
* euro (USD): 5,000.00 in 2026;
* fizz is not a key account, gone is a closed key account.

Contracts (one-year terms): k-acme ends 2026-09-30 with 30 days' grace and is
renewed late on 2026-10-20; k-bolt lapses on 2026-06-01; k-cora renews
itself on 2026-03-01; k-cora2 lapses on 2026-08-15; k-dyna ended 2026-10-31
and is in its grace period; k-euro ends 2027-01-10.

Orders, September -> October 2026: acme 10,000.00 -> 8,000.00 (exactly -20 %),
bolt 5,000.00 -> 3,990.00 (-20.20 %), cora 50.00 -> 30.00 (-40 % from a tiny
base), dyna nothing -> 100.00.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
from dateutil.relativedelta import relativedelta

from kamcore.accounts import (
    Client,
    ClientStatus,
    CreditNote,
    Invoice,
    InvoiceStatus,
    LineItem,
    Order,
    OrderStatus,
)
from kamcore.contracts import (
    AlertKind,
    Contract,
    ContractStatus,
    FirstAction,
    RenewalAlert,
    Signature,
    alert_id,
    process_term_ends,
)
from kamcore.kernel import (
    ClientGroupId,
    ClientId,
    ContractId,
    CreditNoteId,
    InvoiceId,
    ManagerId,
    Money,
    OrderId,
    ProductId,
)
from kamcore.metrics import AccountSelection, PortfolioState, ResolvedSelection

AS_OF = dt.date(2026, 11, 16)
AT = dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.UTC)
ROSSI = ManagerId("m.rossi")
DACH = ClientGroupId("dach")
YEAR = relativedelta(years=1)


def client(
    name: str,
    *,
    currency: str = "EUR",
    key: bool = True,
    status: ClientStatus = ClientStatus.ACTIVE,
    manager: str = "m.rossi",
) -> Client:
    return Client(
        id=ClientId(name),
        name=name.capitalize(),
        currency=currency,
        locale="en_GB",
        key_account=key,
        account_manager=ManagerId(manager),
        groups=frozenset({DACH}),
        status=status,
    )


def credit(
    note: str, issued: dt.date, amount: str, currency: str = "EUR"
) -> CreditNote:
    return CreditNote(
        id=CreditNoteId(note),
        issued_on=issued,
        amount=Money(amount, currency),
        reason="goodwill",
    )


def invoice(
    number: str,
    owner: str,
    issued: dt.date,
    amount: str,
    *,
    currency: str = "EUR",
    notes: tuple[CreditNote, ...] = (),
    version: int = 0,
    cancelled: bool = False,
) -> Invoice:
    return Invoice(
        id=InvoiceId(number),
        client=ClientId(owner),
        issue_date=issued,
        due_date=issued + dt.timedelta(days=30),
        currency=currency,
        lines=(
            LineItem(
                product=ProductId("valve"),
                quantity=Decimal(1),
                unit_price=Money(amount, currency),
            ),
        ),
        credit_notes=notes,
        status=InvoiceStatus.CANCELLED if cancelled else InvoiceStatus.ISSUED,
        cancelled_on=issued if cancelled else None,
        version=version,
    )


def order(
    number: str,
    owner: str,
    day: dt.date,
    amount: str,
    *,
    currency: str = "EUR",
    cancelled: bool = False,
    version: int = 0,
) -> Order:
    return Order(
        id=OrderId(number),
        client=ClientId(owner),
        order_date=day,
        currency=currency,
        lines=(
            LineItem(
                product=ProductId("valve"),
                quantity=Decimal(1),
                unit_price=Money(amount, currency),
            ),
        ),
        status=OrderStatus.CANCELLED if cancelled else OrderStatus.OPEN,
        closed_on=day if cancelled else None,
        version=version,
    )


def contract(
    number: str,
    owner: str,
    start: dt.date,
    *,
    currency: str = "EUR",
    grace_days: int = 0,
    auto_renew: bool = False,
) -> Contract:
    """Signed and active from ``start``, one year terms."""
    draft = Contract.draft(
        id=ContractId(number),
        client=ClientId(owner),
        title=f"Supply {owner}",
        start=start,
        term=YEAR,
        value=Money("12000.00", currency),
        recorded_at=AT,
        recorded_by=ROSSI,
        grace_days=grace_days,
        auto_renew=auto_renew,
    ).sign(Signature(version=1, signed_on=start, signed_by="CFO"))
    return draft.move_to(ContractStatus.ACTIVE, on=start, at=AT, reason="signed")


def run_scheduler(agreement: Contract, as_of: dt.date) -> Contract:
    """Process every term end up to ``as_of`` (renewals, lapses)."""
    return process_term_ends(agreement, as_of=as_of, at=AT)[0]


def renew_signed(agreement: Contract, on: dt.date) -> Contract:
    """The next term recorded, then signed on ``on``: ``renewed`` on that day."""
    renewed = agreement.renew(recorded_at=AT, recorded_by=ROSSI)
    signed = renewed.sign(
        Signature(version=renewed.current.number, signed_on=on, signed_by="CFO")
    )
    return signed.move_to(ContractStatus.RENEWED, on=on, at=AT, reason="signed")


def alert(
    agreement: Contract,
    raised: dt.date,
    acted: dt.date | None = None,
    *,
    kind: AlertKind = AlertKind.RENEWAL,
) -> RenewalAlert:
    term_end = agreement.versions[0].term_end
    raised_alert = RenewalAlert(
        id=alert_id(agreement.id, term_end, kind),
        contract=agreement.id,
        client=agreement.client,
        kind=kind,
        term_end=term_end,
        deadline=term_end,
        due_on=min(raised, term_end),
        raised_on=raised,
        raised_at=AT,
        recipient=ROSSI,
    )
    if acted is None:
        return raised_alert
    return raised_alert.acted(
        FirstAction(
            on=acted,
            at=dt.datetime.combine(acted, dt.time(9), tzinfo=dt.UTC),
            action="analysis",
        )
    )


CLIENTS = (
    client("acme"),
    client("bolt"),
    client("cora"),
    client("dyna"),
    client("euro", currency="USD"),
    client("fizz", key=False),
    client("gone", status=ClientStatus.CLOSED),
)

ACME_FEB = invoice(
    "i-acme-2",
    "acme",
    dt.date(2026, 2, 5),
    "12000.00",
    notes=(credit("cn-1", dt.date(2026, 3, 1), "500.00"),),
    version=2,
)
INVOICES = (
    invoice("i-acme-1", "acme", dt.date(2025, 3, 10), "10000.00"),
    ACME_FEB,
    invoice("i-acme-3", "acme", dt.date(2026, 6, 15), "3000.00"),
    invoice("i-bolt-1", "bolt", dt.date(2026, 1, 20), "4000.00"),
    invoice("i-cora-1", "cora", dt.date(2024, 6, 1), "2000.00"),
    invoice("i-cora-2", "cora", dt.date(2026, 5, 5), "1000.00"),
    invoice(
        "i-dyna-1",
        "dyna",
        dt.date(2024, 10, 1),
        "1000.00",
        notes=(credit("cn-2", dt.date(2025, 1, 15), "1000.00"),),
    ),
    invoice("i-dyna-2", "dyna", dt.date(2026, 4, 1), "0.02"),
    invoice("i-euro-1", "euro", dt.date(2026, 7, 1), "5000.00", currency="USD"),
    invoice("i-fizz-1", "fizz", dt.date(2026, 7, 1), "900.00"),
)

ORDERS = (
    order("o-acme-9", "acme", dt.date(2026, 9, 3), "10000.00"),
    order("o-acme-10", "acme", dt.date(2026, 10, 7), "8000.00"),
    order("o-acme-10x", "acme", dt.date(2026, 10, 8), "2500.00", cancelled=True),
    order("o-bolt-9", "bolt", dt.date(2026, 9, 10), "5000.00"),
    order("o-bolt-10a", "bolt", dt.date(2026, 10, 1), "2000.00"),
    order("o-bolt-10b", "bolt", dt.date(2026, 10, 30), "1990.00"),
    order("o-cora-9", "cora", dt.date(2026, 9, 30), "50.00"),
    order("o-cora-10", "cora", dt.date(2026, 10, 1), "30.00"),
    order("o-dyna-10", "dyna", dt.date(2026, 10, 2), "100.00"),
)

K_ACME = run_scheduler(
    renew_signed(
        run_scheduler(
            contract("k-acme", "acme", dt.date(2025, 10, 1), grace_days=30),
            dt.date(2026, 10, 20),
        ),
        dt.date(2026, 10, 20),
    ),
    AS_OF,
)
K_BOLT = run_scheduler(contract("k-bolt", "bolt", dt.date(2025, 6, 1)), AS_OF)
K_CORA = run_scheduler(
    contract("k-cora", "cora", dt.date(2025, 3, 1), auto_renew=True), AS_OF
)
K_CORA2 = run_scheduler(contract("k-cora2", "cora", dt.date(2025, 8, 15)), AS_OF)
K_DYNA = run_scheduler(
    contract("k-dyna", "dyna", dt.date(2025, 11, 1), grace_days=30), AS_OF
)
K_EURO = run_scheduler(
    contract("k-euro", "euro", dt.date(2026, 1, 11), currency="USD"), AS_OF
)
CONTRACTS = (K_ACME, K_BOLT, K_CORA, K_CORA2, K_DYNA, K_EURO)

ALERTS = (
    alert(K_ACME, dt.date(2026, 8, 1), dt.date(2026, 8, 4)),  # 3 days
    alert(K_BOLT, dt.date(2026, 4, 1), dt.date(2026, 4, 11)),  # 10 days
    alert(K_CORA2, dt.date(2026, 6, 15), dt.date(2026, 6, 17)),  # 2 days
    alert(K_EURO, dt.date(2026, 11, 10), dt.date(2026, 11, 20)),  # after as-of
    alert(K_DYNA, dt.date(2026, 9, 1)),  # no action: 76 days old on as-of
    alert(K_CORA, dt.date(2025, 12, 30), dt.date(2026, 1, 2)),  # before the period
    alert(
        K_EURO, dt.date(2026, 3, 1), dt.date(2026, 3, 3), kind=AlertKind.NOTICE_DEADLINE
    ),  # 2 days
)


def build_state() -> PortfolioState:
    state = PortfolioState()
    for item in INVOICES:
        state.add_invoice(item)
    for placed in ORDERS:
        state.add_order(placed)
    for agreement in CONTRACTS:
        state.add_contract(agreement)
    for raised in ALERTS:
        state.add_alert(raised)
    return state


def group() -> ResolvedSelection:
    return AccountSelection.group(DACH).resolve(CLIENTS)


def with_version(item: Invoice, version: int) -> Invoice:
    return attrs.evolve(item, version=version)
