"""A realistic demo portfolio, dated relative to the day it is built for.

Valvetta, a fictional maker of industrial valves and pumps, with two account
managers and six clients in four groups, built through kamcore's services and
ports (what ``kamcore demo`` runs on):

* **ACME Industrial** (DACH, EUR) -- a dedicated price list (seed workflow 3),
  a partly paid overdue invoice, a contract ending in 58 days (its renewal alert
  is due on the demo date), a loyalty member short of Gold, an upsell
  opportunity on pumps;
* **Borealis Energi** (Nordics, EUR) -- a volume discount group, orders down by
  more than a third last month, an overdue invoice, an urgent ticket, a
  contract that expired unrenewed, a cross-sell whose close date has passed;
* **Helvetia Wasser** (Alpine, CHF) -- a contract that renewed itself, an
  expansion opportunity nobody has touched for weeks;
* **Lumen Logistics** (Benelux, EUR) -- an ad-hoc discount on every pump order
  (a habit that belongs in a price list), an auto-renewing contract whose
  notice-deadline alert was acted on three days after it was raised, a loyalty
  member near Silver;
* **Fjord Marine** (Nordics, EUR) -- a new key account (no year-on-year base);
* **Kleinbau** (DACH, EUR) -- not a key account: its overdue invoice goes to
  normal dunning.

Amounts, dates and states are chosen so that every figure of the weekly
routine has something to say, whatever the date. The records themselves are in
:mod:`kamcore._demo_records`; this module stores them and adds the history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import attrs
from dateutil.relativedelta import relativedelta

from kamcore import _demo_records as records
from kamcore._demo_records import (
    ACME,
    BOREALIS,
    DEMO_MEMBERS,
    FJORD,
    HELVETIA,
    KELLER,
    KLEINBAU,
    LUMEN,
    PARTNER,
    PUMP,
    ROSSI,
    SEAL,
    SENSOR,
    VALVE,
    chf,
    eur,
)
from kamcore.accounts import (
    Activity,
    ActivityKind,
    AdHocDiscount,
    Invoice,
    Payment,
    Ticket,
    TicketPriority,
)
from kamcore.adapters.clock import FixedClock
from kamcore.adapters.notifiers import RecordingNotifier
from kamcore.kernel import (
    ActivityId,
    ClientId,
    ContractId,
    InvoiceId,
    Money,
    OrderId,
    PaymentId,
    Percentage,
    ProductId,
    TicketId,
)
from kamcore.opportunities import OpportunityKind, Stage
from kamcore.ports import IdSource, Notifier, UnitOfWork
from kamcore.pricing import (
    DocumentKind,
    LineRequest,
    PriceItem,
    PricingIndex,
    price_document,
)
from kamcore.services import (
    add_negotiated_prices,
    assign_price_list,
    create_client_price_list,
    create_opportunity,
    enrol,
    load_pricing_index,
    post_invoice,
    record_alert_action,
    run_renewal_scheduler,
)

__all__ = [
    "DEMO_MEMBERS",
    "EARLIER_RUN_DAYS",
    "HISTORY_MONTHS",
    "build_demo_portfolio",
]

HISTORY_MONTHS = 24
"""Months of invoices before the demo date's month (two years: a year-on-year
base)."""

ORDER_MONTHS = 6
"""Months of orders before the demo date's month (the order book)."""

EARLIER_RUN_DAYS = 21
"""The renewal scheduler last ran this many days before the demo date."""

# What each client orders every month: (product, quantity) lines, scaled by a
# six-month cycle (_SEASON) so that the history is not flat.
_BASKETS: dict[ClientId, tuple[tuple[ProductId, int], ...]] = {
    ACME: ((VALVE, 40), (PUMP, 2), (SEAL, 60)),
    BOREALIS: ((VALVE, 60), (SEAL, 40), (SENSOR, 2)),
    HELVETIA: ((VALVE, 30), (SENSOR, 3)),
    LUMEN: ((PUMP, 1), (VALVE, 20), (SEAL, 20)),
    FJORD: ((VALVE, 25), (SENSOR, 1)),
    KLEINBAU: ((VALVE, 4),),
}
_SEASON = (
    Decimal("1.0"),
    Decimal("1.1"),
    Decimal("0.9"),
    Decimal("1.0"),
    Decimal("1.2"),
    Decimal("1.0"),
)


@attrs.frozen(kw_only=True)
class _Month:
    number: int  # 1 = the last complete month before the demo date's month
    day: dt.date  # the day of the month's order and invoice


def _months(as_of: dt.date) -> list[_Month]:
    first = as_of.replace(day=1)
    return [
        _Month(number=n, day=first - relativedelta(months=n) + dt.timedelta(days=4))
        for n in range(HISTORY_MONTHS, 0, -1)
    ]


def _store_master_data(uow: UnitOfWork, start: dt.date) -> None:
    with uow:
        for group in records.client_groups():
            uow.client_groups.add(group)
        for product in records.products():
            uow.products.add(product)
        for price_list in records.catalogue(start):
            uow.price_lists.add(price_list)
        for discount_group in records.discount_groups():
            uow.discount_groups.add(discount_group)
        for client in records.clients():
            uow.clients.add(client)
        uow.programmes.add(records.programme())
        uow.commit()


def _custom_pricing(uow: UnitOfWork, ids: IdSource, start: dt.date) -> None:
    """Seed workflow 3: ACME's negotiated prices, in a list of its own."""
    dedicated = create_client_price_list(
        uow, ids, client=ACME, name="ACME framework prices"
    )
    add_negotiated_prices(
        uow,
        dedicated.id,
        [
            PriceItem(product=VALVE, unit_price=eur("41.20"), valid_from=start),
            PriceItem(product=PUMP, unit_price=eur("1725.00"), valid_from=start),
        ],
    )
    assign_price_list(uow, client=ACME, price_list=dedicated.id)


def _quantity(client: ClientId, month: _Month, base: int) -> Decimal:
    factor = _SEASON[month.number % len(_SEASON)]
    if client == BOREALIS and month.number == 1:
        factor = Decimal("0.6")  # the drop the Monday check must catch
    if client in (ACME, HELVETIA):
        factor += Decimal("0.05") * (HISTORY_MONTHS - month.number) / 4  # growing
    return max(Decimal(1), (base * factor).to_integral_value())


def _lines(client: ClientId, month: _Month) -> list[LineRequest]:
    lines = []
    for product, base in _BASKETS[client]:
        ad_hoc = None
        if client == LUMEN and product == PUMP and month.number <= 4:
            # The habit: the same 5 % granted by hand on every recent pump line.
            ad_hoc = AdHocDiscount(
                reason="match a competitor's pump offer",
                granted_by=ROSSI,
                percentage=Percentage(5),
            )
        lines.append(
            LineRequest(
                product=product,
                quantity=_quantity(client, month, base),
                ad_hoc=ad_hoc,
            )
        )
    return lines


def _active_since(client: ClientId) -> int:
    """How many months back the client's history starts."""
    return {FJORD: 3, KLEINBAU: 5}.get(client, HISTORY_MONTHS)


def _payment(invoice: Invoice, as_of: dt.date, month: _Month) -> Invoice:
    """Pay what a well-behaved client has paid by ``as_of``; leave the demo's
    overdue invoices open."""
    client = invoice.client
    if client in (BOREALIS, KLEINBAU) and month.number == 2:
        return invoice  # overdue: nothing paid
    received = invoice.due_date - dt.timedelta(days=2)
    amount = invoice.total
    if client == ACME and month.number == 2:
        amount = Money((invoice.total.amount / 2).quantize(Decimal("1")), "EUR")
    if client == LUMEN and month.number in (5, 6):
        received = invoice.due_date + dt.timedelta(days=9)  # paid late
    if received >= as_of:
        return invoice  # not paid yet (and not due yet either)
    return invoice.with_payment(
        Payment(
            id=PaymentId(f"PAY-{invoice.id}"),
            received_on=received,
            amount=amount,
            reference=f"bank transfer {invoice.id}",
        )
    )


def _documents(uow: UnitOfWork, index: PricingIndex, as_of: dt.date) -> list[Invoice]:
    """A month of orders and invoices per client, priced by the pricing engine."""
    invoices: list[Invoice] = []
    with uow:
        clients = {client.id: client for client in uow.clients.all()}
        for month in _months(as_of):
            for ident in _BASKETS:
                if month.number > _active_since(ident):
                    continue
                client = clients[ident]
                lines = _lines(ident, month)
                stamp = f"{month.day:%Y%m}-{ident.upper()}"
                if month.number <= ORDER_MONTHS:
                    order = price_document(
                        index,
                        client,
                        lines,
                        pricing_date=month.day,
                        kind=DocumentKind.ORDER,
                        explain=True,
                    ).to_order(OrderId(f"ORD-{stamp}"))
                    uow.orders.add(order)
                priced = price_document(
                    index,
                    client,
                    lines,
                    pricing_date=month.day,
                    kind=DocumentKind.INVOICE,
                    explain=True,
                )
                invoice = priced.to_invoice(
                    InvoiceId(f"INV-{stamp}"),
                    due_date=month.day + dt.timedelta(days=30),
                )
                uow.invoices.add(_payment(invoice, as_of, month))
                invoices.append(invoice)
        uow.commit()
    return invoices


def _noon(day: dt.date) -> FixedClock:
    return FixedClock(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC))


def _service_records(uow: UnitOfWork, as_of: dt.date) -> None:
    day = dt.timedelta(days=1)
    with uow:
        for contract in records.contracts(as_of):
            uow.contracts.add(contract)
        uow.tickets.add(
            Ticket(
                id=TicketId("T-2291"),
                client=BOREALIS,
                subject="Valve deliveries arrive a week late",
                opened_at=dt.datetime.combine(
                    as_of - 12 * day, dt.time(8, 40), tzinfo=dt.UTC
                ),
                priority=TicketPriority.URGENT,
            )
        )
        uow.activities.add(
            Activity(
                id=ActivityId("A-0417"),
                client=LUMEN,
                kind=ActivityKind.MEETING,
                occurred_at=dt.datetime.combine(
                    as_of - (EARLIER_RUN_DAYS - 3) * day, dt.time(10), tzinfo=dt.UTC
                ),
                summary="Reviewed pump volumes and the notice deadline",
                author=ROSSI,
                contract=ContractId("K-LUMEN-PUMPS"),
            )
        )
        uow.commit()


def _opportunities(uow: UnitOfWork, ids: IdSource, as_of: dt.date) -> None:
    day = dt.timedelta(days=1)
    for client, kind, title, owner, value, close, stage, created in (
        (
            ACME,
            OpportunityKind.UPSELL,
            "Pump P200 fleet upgrade",
            ROSSI,
            eur("48000.00"),
            as_of + 30 * day,
            Stage.PROPOSAL,
            as_of - 6 * day,
        ),
        (
            BOREALIS,
            OpportunityKind.CROSS_SELL,
            "Flow sensor retrofit",
            ROSSI,
            eur("12500.00"),
            as_of - 5 * day,
            Stage.NEEDS_ANALYSIS,
            as_of - 50 * day,
        ),
        (
            HELVETIA,
            OpportunityKind.EXPANSION,
            "Second plant in Basel",
            KELLER,
            chf("30000.00"),
            as_of + 90 * day,
            Stage.QUALIFICATION,
            as_of - 40 * day,
        ),
        (
            LUMEN,
            OpportunityKind.RENEWAL,
            "Pump fleet agreement renewal",
            ROSSI,
            eur("55000.00"),
            as_of + 100 * day,
            Stage.NEEDS_ANALYSIS,
            as_of - (EARLIER_RUN_DAYS - 3) * day,
        ),
    ):
        create_opportunity(
            uow,
            ids,
            _noon(created),
            client=client,
            kind=kind,
            title=title,
            owner=owner,
            value=value,
            close_date=close,
            stage=stage,
        )


def _loyalty(
    uow: UnitOfWork,
    ids: IdSource,
    notifier: Notifier,
    invoices: Sequence[Invoice],
    start: dt.date,
) -> None:
    """Seed workflow 4: members earn points on each invoice as it is issued."""
    for client in DEMO_MEMBERS:
        enrol(uow, ids, _noon(start), client=client, programme=PARTNER)
    for invoice in invoices:
        if invoice.client in DEMO_MEMBERS and invoice.issue_date >= start:
            post_invoice(uow, notifier, _noon(invoice.issue_date), invoice=invoice.id)


def build_demo_portfolio(
    uow: UnitOfWork, ids: IdSource, as_of: dt.date, *, notifier: Notifier | None = None
) -> None:
    """Store the demo portfolio as it stands on ``as_of``, through the services.

    Master data, ACME's dedicated price list, fourteen months of orders and
    invoices priced by the pricing engine, contracts, a ticket, a meeting,
    open opportunities and two loyalty members with their points. Then the
    renewal scheduler's run of three weeks earlier (it renews, lapses and
    alerts) and the account manager's first action on Lumen's alert three
    days after it. The run of ``as_of`` itself is left to the caller: it is
    the first step of the weekly routine.

    Args:
        uow: An empty store's unit of work.
        ids: Gives the ids of what the services create.
        as_of: The demo date.
        notifier: Where the history's notifications go (tier upgrades, the
            earlier renewal alerts); recorded and dropped by default.
    """
    told = RecordingNotifier() if notifier is None else notifier
    start = _months(as_of)[0].day.replace(day=1)
    _store_master_data(uow, start)
    _custom_pricing(uow, ids, start)
    invoices = _documents(uow, load_pricing_index(uow), as_of)
    _service_records(uow, as_of)
    _opportunities(uow, ids, as_of)
    _loyalty(uow, ids, told, invoices, as_of.replace(day=1) - relativedelta(months=8))
    earlier = as_of - dt.timedelta(days=EARLIER_RUN_DAYS)
    run = run_renewal_scheduler(uow, told, _noon(earlier))
    for alert in run.raised:
        if alert.client == LUMEN:
            record_alert_action(
                uow,
                _noon(earlier + dt.timedelta(days=3)),
                alert=alert.id,
                action="analysis",
            )
