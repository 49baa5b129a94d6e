"""Invoices with their payments, credit notes and points redemptions, and their
state as of a date."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence

import attrs

from kamcore.accounts._lines import LineItem, check_lines, lines_total
from kamcore.accounts._points import PointsRedemption
from kamcore.errors import InvalidTransitionError, ValidationError
from kamcore.kernel import (
    Checks,
    ClientId,
    CreditNoteId,
    InvoiceId,
    Money,
    PaymentId,
    validate_currency,
)

__all__ = ["CreditNote", "Invoice", "InvoiceState", "InvoiceStatus", "Payment"]


class InvoiceStatus(enum.Enum):
    """Stored lifecycle: an issued invoice may be cancelled, nothing else."""

    ISSUED = "issued"
    CANCELLED = "cancelled"


class InvoiceState(enum.Enum):
    """Where an invoice stands on a given date (derived, never stored)."""

    NOT_YET_ISSUED = "not_yet_issued"
    OPEN = "open"
    OVERDUE = "overdue"
    PAID = "paid"
    CANCELLED = "cancelled"


@attrs.frozen(kw_only=True)
class Payment:
    """Money received against an invoice.

    Attributes:
        id: The payment's id.
        received_on: Business date the money arrived.
        amount: A positive amount in the invoice's currency.
        reference: Bank or remittance reference.
    """

    id: PaymentId
    received_on: dt.date
    amount: Money
    reference: str = ""

    def __attrs_post_init__(self) -> None:
        checks = Checks("Payment")
        checks.text("id", self.id)
        checks.date("received_on", self.received_on)
        if checks.instance("amount", self.amount, Money):
            checks.require(
                self.amount.is_positive(), "amount", "must be positive", self.amount
            )
            checks.billed("amount", self.amount)
        checks.instance("reference", self.reference, str)
        checks.raise_if_any()


@attrs.frozen(kw_only=True)
class CreditNote:
    """A credit against an invoice (a return, a correction, a goodwill gesture).

    Attributes:
        id: The credit note's id.
        issued_on: Business date it was issued.
        amount: A positive amount in the invoice's currency.
        reason: Why it was granted.
    """

    id: CreditNoteId
    issued_on: dt.date
    amount: Money
    reason: str

    def __attrs_post_init__(self) -> None:
        checks = Checks("CreditNote")
        checks.text("id", self.id)
        checks.date("issued_on", self.issued_on)
        if checks.instance("amount", self.amount, Money):
            checks.require(
                self.amount.is_positive(), "amount", "must be positive", self.amount
            )
            checks.billed("amount", self.amount)
        checks.text("reason", self.reason)
        checks.raise_if_any()


def _check_redemptions(checks: Checks, invoice: Invoice) -> None:
    members: set[str] = set()
    for index, redemption in enumerate(invoice.redemptions):
        if redemption.rate.currency != invoice.currency:
            checks.fail(
                f"redemptions[{index}].rate.currency",
                f"must be the invoice currency {invoice.currency}",
                redemption.rate.currency,
            )
        if redemption.membership in members:
            checks.fail(
                f"redemptions[{index}].membership",
                "appears twice: one redemption per membership and invoice",
                redemption.membership,
            )
        members.add(redemption.membership)
    checks.raise_if_any()
    if invoice.redeemed > invoice.lines_total:
        checks.fail(
            "redemptions",
            f"points redeemed are worth {invoice.redeemed}, more than the lines "
            f"total {invoice.lines_total}",
            invoice.redeemed,
        )


def _check_dated(
    checks: Checks, path: str, items: Sequence[Payment | CreditNote], invoice: Invoice
) -> None:
    seen: set[str] = set()
    for index, item in enumerate(items):
        day = item.received_on if isinstance(item, Payment) else item.issued_on
        if item.amount.currency != invoice.currency:
            checks.fail(
                f"{path}[{index}].amount.currency",
                f"must be the invoice currency {invoice.currency}",
                item.amount.currency,
            )
        if day < invoice.issue_date:
            checks.fail(
                f"{path}[{index}]",
                f"dated {day}, before the invoice was issued ({invoice.issue_date})",
                day,
            )
        if item.id in seen:
            checks.fail(f"{path}[{index}].id", "appears twice", item.id)
        seen.add(item.id)


def _check_cancelled_on(checks: Checks, invoice: Invoice) -> None:
    day = invoice.cancelled_on
    if invoice.status is InvoiceStatus.CANCELLED:
        if day is None:
            checks.fail("cancelled_on", "is required on a cancelled invoice", day)
        elif day < invoice.issue_date:
            checks.fail(
                "cancelled_on",
                f"is before the issue date {invoice.issue_date}",
                day,
            )
    elif day is not None:
        checks.fail(
            "cancelled_on",
            f"must be empty unless the invoice is cancelled (status "
            f"{invoice.status.value})",
            day,
        )


@attrs.frozen(kw_only=True)
class Invoice:
    """An issued invoice, the payments received and the credit notes granted.

    Amounts: :attr:`lines_total` is the sum of the rounded line totals; the
    points-redemption deduction lines (:attr:`redemptions`) take their value
    off it, giving :attr:`total`, the amount invoiced in money. Credit notes
    reduce the total to the *net* total; payments settle the net total. Credit
    notes can never exceed the total: they credit money invoiced, never the
    points redeemed. Payments may exceed the net total (a client that paid
    before a credit note was granted): the excess shows as a negative balance.

    Attributes:
        id: The invoice's id.
        client: The invoiced client.
        issue_date: Business date it was issued.
        due_date: Last day to pay without being overdue (on or after issue date).
        currency: Document currency.
        lines: Invoice lines (at least one).
        redemptions: Loyalty points redeemed on it, one deduction line per
            membership (see :class:`PointsRedemption`).
        payments: Payments received, in any order.
        credit_notes: Credit notes granted, in any order.
        status: Issued or cancelled.
        cancelled_on: The business date it was cancelled: set exactly when
            ``status`` is cancelled, never before ``issue_date``. Before that
            day the invoice reads as issued (see :meth:`state`).
        version: Optimistic-locking version.

    .. versionchanged:: Unreleased
       ``cancelled_on``: a cancellation is dated.
    """

    id: InvoiceId
    client: ClientId
    issue_date: dt.date
    due_date: dt.date
    currency: str
    lines: tuple[LineItem, ...]
    redemptions: tuple[PointsRedemption, ...] = ()
    payments: tuple[Payment, ...] = ()
    credit_notes: tuple[CreditNote, ...] = ()
    status: InvoiceStatus = InvoiceStatus.ISSUED
    cancelled_on: dt.date | None = None
    version: int = 0

    def __attrs_post_init__(self) -> None:
        checks = Checks("Invoice")
        checks.text("id", self.id)
        checks.text("client", self.client)
        checks.date("issue_date", self.issue_date)
        checks.date("due_date", self.due_date)
        checks.capture(lambda: validate_currency(self.currency, subject="Invoice"))
        check_lines(checks, self.lines, self.currency)
        checks.each("redemptions", self.redemptions, PointsRedemption)
        checks.each("payments", self.payments, Payment)
        checks.each("credit_notes", self.credit_notes, CreditNote)
        checks.instance("status", self.status, InvoiceStatus)
        checks.optional_date("cancelled_on", self.cancelled_on)
        checks.version(self.version)
        checks.raise_if_any()
        if self.due_date < self.issue_date:
            checks.fail(
                "due_date", f"is before the issue date {self.issue_date}", self.due_date
            )
        _check_cancelled_on(checks, self)
        _check_dated(checks, "payments", self.payments, self)
        _check_dated(checks, "credit_notes", self.credit_notes, self)
        _check_redemptions(checks, self)
        checks.raise_if_any()
        credited = Money.sum((c.amount for c in self.credit_notes), self.currency)
        if credited > self.total:
            after = (
                f" (after {self.redeemed} of points redeemed)"
                if self.redemptions
                else ""
            )
            checks.fail(
                "credit_notes",
                f"credit notes total {credited}, more than the invoice total "
                f"{self.total}{after}",
                credited,
            )
        checks.raise_if_any()

    # -- amounts ------------------------------------------------------------
    @property
    def lines_total(self) -> Money:
        """Sum of the rounded line totals."""
        return lines_total(self.lines, self.currency)

    @property
    def redeemed(self) -> Money:
        """The value of the points redeemed on the invoice (zero without any)."""
        return Money.sum((r.amount for r in self.redemptions), self.currency)

    @property
    def total(self) -> Money:
        """What the invoice charges in money: the lines total less the points
        redeemed (before credit notes)."""
        return self.lines_total - self.redeemed

    def credited(self, as_of: dt.date | None = None) -> Money:
        """Credit notes issued on or before ``as_of`` (all of them if ``None``)."""
        return Money.sum(
            (
                c.amount
                for c in self.credit_notes
                if as_of is None or c.issued_on <= as_of
            ),
            self.currency,
        )

    def paid(self, as_of: dt.date | None = None) -> Money:
        """Payments received on or before ``as_of`` (all of them if ``None``)."""
        return Money.sum(
            (
                p.amount
                for p in self.payments
                if as_of is None or p.received_on <= as_of
            ),
            self.currency,
        )

    def net_total(self, as_of: dt.date | None = None) -> Money:
        """Total less the credit notes issued by ``as_of``."""
        return self.total - self.credited(as_of)

    def balance(self, as_of: dt.date | None = None) -> Money:
        """What the client still owes on ``as_of`` (negative when overpaid)."""
        return self.net_total(as_of) - self.paid(as_of)

    # -- state --------------------------------------------------------------
    def status_on(self, day: dt.date) -> InvoiceStatus:
        """The stored status as it was on ``day``: cancelled from
        :attr:`cancelled_on` on, issued before it.

        .. versionadded:: Unreleased
        """
        if self.cancelled_on is not None and day >= self.cancelled_on:
            return InvoiceStatus.CANCELLED
        return InvoiceStatus.ISSUED

    def state(self, as_of: dt.date) -> InvoiceState:
        """Open, overdue, paid, cancelled or not yet issued, as of a date.

        Overdue means: something is still owed and ``as_of`` is after the due date.
        A cancelled invoice is cancelled from :attr:`cancelled_on` on; before
        that day it answers as the issued invoice it then was.
        """
        if self.status_on(as_of) is InvoiceStatus.CANCELLED:
            return InvoiceState.CANCELLED
        if as_of < self.issue_date:
            return InvoiceState.NOT_YET_ISSUED
        if not self.balance(as_of).is_positive():
            return InvoiceState.PAID
        if as_of > self.due_date:
            return InvoiceState.OVERDUE
        return InvoiceState.OPEN

    def days_overdue(self, as_of: dt.date) -> int:
        """Days past the due date on ``as_of``; 0 unless the invoice is overdue."""
        if self.state(as_of) is not InvoiceState.OVERDUE:
            return 0
        return (as_of - self.due_date).days

    def settled_on(self) -> dt.date | None:
        """The first date on which nothing was owed any more, or ``None``.

        Used for on-time payment ratios: paid on time means
        ``settled_on() <= due_date``.
        """
        if self.status is InvoiceStatus.CANCELLED:
            return None
        days = sorted(
            {p.received_on for p in self.payments}
            | {c.issued_on for c in self.credit_notes}
        )
        for day in days:
            if not self.balance(day).is_positive():
                return day
        return None

    # -- changes ------------------------------------------------------------
    def with_payment(self, payment: Payment) -> Invoice:
        """Return the invoice with ``payment`` recorded (validated like any invoice).

        Raises:
            InvalidTransitionError: on a cancelled invoice.
            ValidationError: for a payment in another currency, dated before the
                invoice, or with an id already used.
        """
        self._require_issued("record a payment")
        return attrs.evolve(self, payments=(*self.payments, payment))

    def with_credit_note(self, note: CreditNote) -> Invoice:
        """Return the invoice with ``note`` recorded.

        Raises:
            InvalidTransitionError: on a cancelled invoice.
            ValidationError: if credit notes would exceed the invoice total.
        """
        self._require_issued("credit")
        return attrs.evolve(self, credit_notes=(*self.credit_notes, note))

    def with_redemption(self, redemption: PointsRedemption) -> Invoice:
        """Return the invoice with a points-redemption deduction line.

        Points are redeemed *at invoicing*: before anything was paid or
        credited on the invoice. The loyalty rules (the programme's maximum
        share, the member's balance) are checked by
        :func:`kamcore.loyalty.redeem_on_invoice`, which calls this.

        Raises:
            InvalidTransitionError: on a cancelled invoice.
            ValidationError: the invoice already has payments or credit notes,
                the membership already redeemed on it, the rate is in another
                currency, or the redemptions would be worth more than the lines.
        """
        self._require_issued("redeem points")
        if self.payments or self.credit_notes:
            raise ValidationError.single(
                "Invoice",
                "redemptions",
                "points are redeemed at invoicing: this invoice already has "
                "payments or credit notes",
                redemption.points,
            )
        return attrs.evolve(self, redemptions=(*self.redemptions, redemption))

    def cancel(self, *, on: dt.date) -> Invoice:
        """Cancel an issued invoice that has no payments and no credit notes.

        Args:
            on: The business date of the cancellation (:attr:`cancelled_on`),
                not before the issue date.

        Raises:
            InvalidTransitionError: if already cancelled.
            ValidationError: if payments or credit notes exist (credit it
                instead), or ``on`` is not a date or is before the issue date.

        .. versionchanged:: Unreleased
           ``on`` is required.
        """
        self._require_issued("cancel")
        if self.payments or self.credit_notes:
            raise ValidationError.single(
                "Invoice",
                "status",
                "an invoice with payments or credit notes cannot be cancelled; "
                "issue a credit note instead",
                self.status.value,
            )
        return attrs.evolve(self, status=InvoiceStatus.CANCELLED, cancelled_on=on)

    def _require_issued(self, action: str) -> None:
        if self.status is not InvoiceStatus.ISSUED:
            raise InvalidTransitionError("Invoice", self.id, self.status.value, action)
