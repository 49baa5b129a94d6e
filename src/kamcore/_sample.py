"""A small embedded portfolio: what ``python -m kamcore`` runs on by default.

Three key accounts and one smaller client of a fictional valve maker, with
invoices in every state the daily overdue check has to tell apart.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kamcore.accounts import (
    Client,
    ClientGroup,
    CreditNote,
    Invoice,
    LineItem,
    Payment,
    Product,
)
from kamcore.kernel import (
    CategoryId,
    ClientGroupId,
    ClientId,
    CreditNoteId,
    InvoiceId,
    ManagerId,
    Money,
    PaymentId,
    ProductId,
)
from kamcore.ports import UnitOfWork

__all__ = ["SAMPLE_AS_OF", "load_sample_portfolio"]

SAMPLE_AS_OF = dt.date(2026, 11, 23)
"""The Monday the sample portfolio is looked at."""

_VALVE = ProductId("valve-dn50")
_PUMP = ProductId("pump-p200")


def _invoice(
    number: str,
    client: str,
    issued: dt.date,
    lines: tuple[tuple[ProductId, str, str], ...],
    currency: str = "EUR",
) -> Invoice:
    return Invoice(
        id=InvoiceId(number),
        client=ClientId(client),
        issue_date=issued,
        due_date=issued + dt.timedelta(days=30),
        currency=currency,
        lines=tuple(
            LineItem(
                product=product,
                quantity=Decimal(qty),
                unit_price=Money(price, currency),
            )
            for product, qty, price in lines
        ),
    )


def _clients() -> list[Client]:
    dach, nordics = ClientGroupId("dach"), ClientGroupId("nordics")
    return [
        Client(
            id=ClientId("acme"),
            name="ACME Industrial GmbH",
            currency="EUR",
            locale="de_DE",
            key_account=True,
            account_manager=ManagerId("m.rossi"),
            groups=frozenset({dach}),
        ),
        Client(
            id=ClientId("borealis"),
            name="Borealis Energi AB",
            currency="EUR",
            locale="sv_SE",
            key_account=True,
            account_manager=ManagerId("m.rossi"),
            groups=frozenset({nordics}),
        ),
        Client(
            id=ClientId("helvetia"),
            name="Helvetia Wasser AG",
            currency="CHF",
            locale="de_CH",
            key_account=True,
            account_manager=ManagerId("a.keller"),
            groups=frozenset({dach}),
        ),
        Client(
            id=ClientId("kleinbau"),
            name="Kleinbau KG",
            currency="EUR",
            locale="de_AT",
        ),
    ]


def _invoices() -> list[Invoice]:
    return [
        # ACME: one paid late, one overdue after a partial payment, one not yet due.
        _invoice(
            "INV-1001", "acme", dt.date(2026, 8, 3), ((_VALVE, "40", "118.5000"),)
        ).with_payment(
            Payment(
                id=PaymentId("PAY-1"),
                received_on=dt.date(2026, 9, 9),
                amount=Money("4740.00", "EUR"),
            )
        ),
        _invoice(
            "INV-1044",
            "acme",
            dt.date(2026, 9, 28),
            ((_VALVE, "25", "118.5000"), (_PUMP, "2", "1840.0000")),
        ).with_payment(
            Payment(
                id=PaymentId("PAY-2"),
                received_on=dt.date(2026, 10, 30),
                amount=Money("2000.00", "EUR"),
            )
        ),
        _invoice(
            "INV-1102", "acme", dt.date(2026, 11, 2), ((_VALVE, "30", "118.5000"),)
        ),
        # Borealis: overdue, partly credited for a damaged delivery.
        _invoice(
            "INV-1050", "borealis", dt.date(2026, 10, 1), ((_PUMP, "3", "1795.0000"),)
        ).with_credit_note(
            CreditNote(
                id=CreditNoteId("CN-12"),
                issued_on=dt.date(2026, 10, 15),
                amount=Money("1795.00", "EUR"),
                reason="pump damaged in transit",
            )
        ),
        # Helvetia: everything settled on time.
        _invoice(
            "INV-1061",
            "helvetia",
            dt.date(2026, 10, 5),
            ((_VALVE, "60", "121.2500"),),
            currency="CHF",
        ).with_payment(
            Payment(
                id=PaymentId("PAY-3"),
                received_on=dt.date(2026, 10, 30),
                amount=Money("7275.00", "CHF"),
            )
        ),
        # Kleinbau is no key account: its overdue invoice goes to normal dunning.
        _invoice(
            "INV-1070", "kleinbau", dt.date(2026, 9, 1), ((_VALVE, "4", "129.0000"),)
        ),
    ]


def load_sample_portfolio(uow: UnitOfWork) -> None:
    """Store the sample portfolio through ``uow`` in one commit."""
    with uow:
        uow.client_groups.add(
            ClientGroup(id=ClientGroupId("dach"), name="DACH", priority=10)
        )
        uow.client_groups.add(
            ClientGroup(id=ClientGroupId("nordics"), name="Nordics", priority=5)
        )
        uow.products.add(
            Product(id=_VALVE, name="Valve DN50", category=CategoryId("valves"))
        )
        uow.products.add(
            Product(id=_PUMP, name="Pump P200", category=CategoryId("pumps"))
        )
        for client in _clients():
            uow.clients.add(client)
        for invoice in _invoices():
            uow.invoices.add(invoice)
        uow.commit()
