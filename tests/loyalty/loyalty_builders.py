"""Builders for the loyalty unit tests: a programme, a member, invoices.

Every figure a test asserts is computed by hand from the values here: a EUR
programme earning one point per euro, tiers silver (0), gold (10 000.00) and
platinum (50 000.00), a rolling 12-month window, whole points.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from kamcore.accounts import CreditNote, Invoice, LineItem, Payment
from kamcore.kernel import (
    CategoryId,
    ClientId,
    CreditNoteId,
    InvoiceId,
    MembershipId,
    Money,
    PaymentId,
    ProductId,
    ProgrammeId,
    Rate,
)
from kamcore.loyalty import (
    EarnRules,
    Membership,
    Programme,
    SourceRef,
    Tier,
    TierBenefits,
    earn_invoice,
)

AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
"""When every entry is written: the instant never matters to the rules."""

ENROLLED = dt.date(2025, 1, 15)


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def tier(code: str, threshold: str, multiplier: str = "1") -> Tier:
    return Tier(
        code=code,
        name=code.title(),
        threshold=eur(threshold),
        benefits=TierBenefits(
            description=f"{code} benefits", earn_multiplier=Rate(multiplier)
        ),
    )


TIERS = (
    tier("silver", "0"),
    tier("gold", "10000.00", "1.5"),
    tier("platinum", "50000.00", "2"),
)


def programme(**changes: Any) -> Programme:
    """The test programme, with ``changes`` applied."""
    base = Programme(
        id=ProgrammeId("lp-1"),
        name="Partner programme",
        currency="EUR",
        earn=EarnRules(points_per_unit=Rate(1)),
        tiers=TIERS,
        redemption_rate=eur("0.01"),
    )
    return attrs.evolve(base, **changes)


def member(enrolled: dt.date = ENROLLED, **changes: Any) -> Membership:
    """A fresh membership of client ``c-1``."""
    return Membership(
        id=MembershipId("ms-1"),
        client=ClientId("c-1"),
        programme=ProgrammeId("lp-1"),
        enrolled_on=enrolled,
        **changes,
    )


def bill(
    id: str,  # noqa: A002 - mirrors the entity's field
    issued: dt.date,
    *amounts: str,
    products: tuple[str, ...] = (),
    client: str = "c-1",
) -> Invoice:
    """An invoice with one line per amount (products ``p-0``, ``p-1``...
    unless ``products`` names them)."""
    names = products or tuple(f"p-{i}" for i in range(len(amounts)))
    return Invoice(
        id=InvoiceId(id),
        client=ClientId(client),
        issue_date=issued,
        due_date=issued + dt.timedelta(days=30),
        currency="EUR",
        lines=tuple(
            LineItem(product=ProductId(name), quantity=Decimal(1), unit_price=eur(a))
            for name, a in zip(names, amounts, strict=True)
        ),
    )


def pay(invoice: Invoice, on: dt.date, amount: str | None = None) -> Invoice:
    """The invoice with a payment (of its whole balance unless ``amount``)."""
    value = invoice.balance() if amount is None else eur(amount)
    number = len(invoice.payments) + 1
    return invoice.with_payment(
        Payment(
            id=PaymentId(f"{invoice.id}-pay-{number}"), received_on=on, amount=value
        )
    )


def credit(invoice: Invoice, id: str, on: dt.date, amount: str) -> Invoice:  # noqa: A002
    """The invoice with a credit note."""
    return invoice.with_credit_note(
        CreditNote(
            id=CreditNoteId(id), issued_on=on, amount=eur(amount), reason="returned"
        )
    )


def note(invoice: Invoice, id: str) -> CreditNote:  # noqa: A002
    """The invoice's credit note ``id``."""
    return next(c for c in invoice.credit_notes if c.id == id)


def earn(
    membership: Membership,
    prog: Programme,
    invoice: Invoice,
    *,
    categories: Mapping[ProductId, CategoryId] | None = None,
    multiplier: str = "1",
) -> Membership:
    """``earn_invoice`` with no categories and a tier multiplier of 1."""
    return earn_invoice(
        membership,
        prog,
        invoice,
        categories=categories or {},
        tier_multiplier=Rate(multiplier),
        at=AT,
    )


def source(id: str) -> SourceRef:  # noqa: A002
    """An invoice that points pay."""
    return SourceRef(kind="invoice", id=id)
