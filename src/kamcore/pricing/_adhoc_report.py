"""The ad-hoc discount report: what ad-hoc discounts cost per account over a
period, and the price-list items that would replace the recurring ones.

Custom prices for key accounts belong in their price list, not in ad-hoc
discounts on the invoice (the seed's warning). This report finds the habit and
proposes the fix: for a product discounted ad hoc on several invoices, a fixed
price for the client's dedicated list at the median net unit price it paid.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

import attrs

from kamcore.accounts import Invoice, InvoiceStatus
from kamcore.errors import ValidationError
from kamcore.kernel import (
    Checks,
    ClientId,
    DateRange,
    InvoiceId,
    ManagerId,
    Money,
    ProductId,
    is_int,
)
from kamcore.pricing._lists import PriceItem

__all__ = [
    "AccountAdHoc",
    "AdHocLine",
    "AdHocReport",
    "PriceListProposal",
    "ad_hoc_report",
]

_PROPOSAL_PLACES = 4
_ONE_DAY = dt.timedelta(days=1)

Row = dict[str, str | int]


@attrs.frozen(kw_only=True)
class AdHocLine:
    """One invoice line that carried an ad-hoc discount.

    Attributes:
        invoice: The invoice.
        issue_date: When the invoice was issued.
        product: The product.
        quantity: The quantity invoiced.
        unit_price: The resolved unit price (before the ad-hoc discount).
        gross: The line's gross total.
        value: The ad-hoc discount's value.
        reason: Why it was granted.
        granted_by: Who granted it.
    """

    invoice: InvoiceId
    issue_date: dt.date
    product: ProductId
    quantity: Decimal
    unit_price: Money
    gross: Money
    value: Money
    reason: str
    granted_by: ManagerId

    @property
    def net(self) -> Money:
        """What the line charged: ``gross - value``."""
        return self.gross - self.value

    def row(self) -> Row:
        """The line as plain, JSON-friendly values (amounts as strings)."""
        return {
            "invoice": self.invoice,
            "issue_date": self.issue_date.isoformat(),
            "product": self.product,
            "quantity": str(self.quantity),
            "currency": self.gross.currency,
            "unit_price": str(self.unit_price.amount),
            "gross": str(self.gross.amount),
            "ad_hoc": str(self.value.amount),
            "net": str(self.net.amount),
            "reason": self.reason,
            "granted_by": self.granted_by,
        }


@attrs.frozen(kw_only=True)
class AccountAdHoc:
    """The ad-hoc discounts of one account (client and currency) over the period.

    Attributes:
        client: The client.
        currency: The invoices' currency.
        lines: Its ad-hoc lines, by issue date, invoice and position.
    """

    client: ClientId
    currency: str
    lines: tuple[AdHocLine, ...]

    @property
    def total(self) -> Money:
        """The ad-hoc discounts' total value."""
        return Money.sum((line.value for line in self.lines), self.currency)

    @property
    def line_count(self) -> int:
        """How many lines carried an ad-hoc discount."""
        return len(self.lines)

    @property
    def invoice_count(self) -> int:
        """How many distinct invoices carried one."""
        return len({line.invoice for line in self.lines})


@attrs.frozen(kw_only=True)
class PriceListProposal:
    """A price-list item to replace a recurring ad-hoc discount.

    Attributes:
        client: The client whose dedicated list should get the item.
        product: The product discounted ad hoc.
        occurrences: On how many distinct invoices of the period.
        proposed_item: A fixed price at the median net unit price paid (4
            places, ``ROUND_HALF_UP``), valid from the day after the period.
        rationale: Why, with the figures, for the account manager. In
            English, with ISO dates: it is data (the proposal's row, its
            JSON), kept as written. A report in the reader's language writes
            the proposal from the other fields instead.
    """

    client: ClientId
    product: ProductId
    occurrences: int
    proposed_item: PriceItem
    rationale: str


@attrs.frozen(kw_only=True)
class AdHocReport:
    """Ad-hoc discounts per account over a period, and the proposals.

    Attributes:
        period: The closed period covered (issue dates, both ends included).
        accounts: One entry per account with ad-hoc discounts, largest total
            first, then by client id and currency. Totals in different
            currencies are ordered by their amounts alone.
        proposals: Price-list items for recurring ad-hoc discounts, by client,
            currency and product.
    """

    period: DateRange
    accounts: tuple[AccountAdHoc, ...]
    proposals: tuple[PriceListProposal, ...]

    def rows(self) -> list[Row]:
        """One plain row per account (amounts as strings), for a DataFrame."""
        return [
            {
                "client": account.client,
                "currency": account.currency,
                "ad_hoc_total": str(account.total.amount),
                "lines": account.line_count,
                "invoices": account.invoice_count,
            }
            for account in self.accounts
        ]

    def line_rows(self) -> list[Row]:
        """One plain row per ad-hoc line, with its client, account by account."""
        return [
            {"client": account.client, **line.row()}
            for account in self.accounts
            for line in account.lines
        ]

    def proposal_rows(self) -> list[Row]:
        """One plain row per proposal."""
        rows: list[Row] = []
        for proposal in self.proposals:
            item = proposal.proposed_item
            assert item.unit_price is not None  # noqa: S101 - proposals are fixed
            assert item.valid_from is not None  # noqa: S101 - and dated
            rows.append(
                {
                    "client": proposal.client,
                    "product": proposal.product,
                    "currency": item.unit_price.currency,
                    "occurrences": proposal.occurrences,
                    "unit_price": str(item.unit_price.amount),
                    "valid_from": item.valid_from.isoformat(),
                    "rationale": proposal.rationale,
                }
            )
        return rows


def ad_hoc_report(
    invoices: Iterable[Invoice], period: DateRange, *, recurring_after: int = 3
) -> AdHocReport:
    """Ad-hoc discounts per account over ``period``, and what should replace them.

    Counts the issued invoices whose issue date falls in ``period`` (both ends
    included); invoices cancelled by the period's last day (``cancelled_on``
    on or before it) are left out, those cancelled later still count. For
    each client, currency and product with ad-hoc discounts on at least
    ``recurring_after`` distinct invoices, proposes a fixed price for the
    client's dedicated list: the median net unit price (line total / quantity)
    over those lines, the mean of the two middle values for an even count,
    rounded once to 4 places ``ROUND_HALF_UP``, valid from the day after the
    period.

    Args:
        invoices: Any invoices; those out of the period are skipped.
        period: A closed period: both ends are required.
        recurring_after: From how many distinct invoices a discount is a habit
            (at least 2).

    Returns:
        The report.

    Raises:
        ValidationError: an open period, ``recurring_after`` below 2, or the
            same invoice id twice (it would be counted twice).
    """
    start, end = _check_arguments(period, recurring_after)
    by_account: dict[tuple[ClientId, str], list[tuple[AdHocLine, int]]] = {}
    seen: set[InvoiceId] = set()
    for invoice in invoices:
        if invoice.id in seen:
            raise ValidationError.single(
                "ad_hoc_report", "invoices", "an invoice appears twice", invoice.id
            )
        seen.add(invoice.id)
        if invoice.status_on(end) is InvoiceStatus.CANCELLED or not (
            start <= invoice.issue_date <= end
        ):
            continue
        found = by_account.setdefault((invoice.client, invoice.currency), [])
        for position, line in enumerate(invoice.lines):
            if line.ad_hoc is None:
                continue
            found.append(
                (
                    AdHocLine(
                        invoice=invoice.id,
                        issue_date=invoice.issue_date,
                        product=line.product,
                        quantity=line.quantity,
                        unit_price=line.unit_price,
                        gross=line.gross_total,
                        value=line.ad_hoc_value,
                        reason=line.ad_hoc.reason,
                        granted_by=line.ad_hoc.granted_by,
                    ),
                    position,
                )
            )
    accounts = [
        AccountAdHoc(
            client=client,
            currency=currency,
            lines=tuple(
                line
                for line, _ in sorted(
                    found, key=lambda f: (f[0].issue_date, f[0].invoice, f[1])
                )
            ),
        )
        for (client, currency), found in by_account.items()
        if found
    ]
    accounts.sort(key=lambda a: (-a.total.amount, a.client, a.currency))
    proposals = [
        proposal
        for account in sorted(accounts, key=lambda a: (a.client, a.currency))
        for proposal in _proposals(account, period, recurring_after)
    ]
    return AdHocReport(
        period=period, accounts=tuple(accounts), proposals=tuple(proposals)
    )


def _check_arguments(
    period: DateRange, recurring_after: int
) -> tuple[dt.date, dt.date]:
    checks = Checks("ad_hoc_report")
    if checks.instance("period", period, DateRange):
        checks.require(
            period.start is not None, "period.start", "a closed period needs a start"
        )
        checks.require(
            period.end is not None, "period.end", "a closed period needs an end"
        )
    checks.require(
        is_int(recurring_after) and recurring_after >= 2,
        "recurring_after",
        "must be an integer >= 2",
        recurring_after,
    )
    checks.raise_if_any()
    assert period.start is not None  # noqa: S101 - checked above
    assert period.end is not None  # noqa: S101 - checked above
    return period.start, period.end


def _proposals(
    account: AccountAdHoc, period: DateRange, recurring_after: int
) -> list[PriceListProposal]:
    by_product: dict[ProductId, list[AdHocLine]] = {}
    for line in account.lines:
        by_product.setdefault(line.product, []).append(line)
    proposals: list[PriceListProposal] = []
    for product in sorted(by_product):
        lines = by_product[product]
        occurrences = len({line.invoice for line in lines})
        if occurrences < recurring_after:
            continue
        median = _round_half_up(
            _median(
                [Fraction(line.net.amount) / Fraction(line.quantity) for line in lines]
            ),
            _PROPOSAL_PLACES,
        )
        shares = [
            Fraction(0)
            if line.gross.is_zero()
            else Fraction(line.value.amount) / Fraction(line.gross.amount) * 100
            for line in lines
        ]
        assert period.end is not None  # noqa: S101 - a closed period
        valid_from = period.end + _ONE_DAY
        price = Money(median, account.currency)
        proposals.append(
            PriceListProposal(
                client=account.client,
                product=product,
                occurrences=occurrences,
                proposed_item=PriceItem(
                    product=product, unit_price=price, valid_from=valid_from
                ),
                rationale=(
                    f"ad-hoc discounts on {product} on {occurrences} invoices "
                    f"from {period.start} to {period.end} ({len(lines)} lines), "
                    f"{_round_half_up(min(shares), 2)}% to "
                    f"{_round_half_up(max(shares), 2)}% off the gross total; "
                    f"median net unit price {price}: proposed for "
                    f"{account.client}'s dedicated price list from {valid_from}"
                ),
            )
        )
    return proposals


def _median(values: list[Fraction]) -> Fraction:
    """The median, exact: the mean of the two middle values for an even count."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _round_half_up(value: Fraction, places: int) -> Decimal:
    """``value`` (not negative) rounded once to ``places``, ``ROUND_HALF_UP``."""
    scaled = math.floor(value * 10**places + Fraction(1, 2))
    # Built from a string: exact whatever the size (no context rounding).
    return Decimal(f"{scaled}E-{places}")
