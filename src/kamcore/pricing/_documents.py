"""Pricing whole documents: orders, invoices and proposals, priced for one client.

Rounding happens in stages, each at one place (SPEC §3):

1. the unit price, by the index (its unit places, default 4);
2. the line's gross total ``unit price x quantity``, to the currency's minor
   unit, ``ROUND_HALF_UP`` (:attr:`~kamcore.accounts.LineItem.gross_total`);
3. the ad-hoc discount's value, to the minor unit, kept beside the price
   (:attr:`~kamcore.accounts.LineItem.ad_hoc_value`);
4. the line total, gross total less the ad-hoc value (already rounded);
5. the document total, the plain sum of the line totals: it reconciles exactly.

Explanations are built only when asked: for the whole document
(``price_document(..., explain=True)``) or for one line
(``LineRequest(..., explain=True)``). A line priced without one has exactly
the price and totals it would have with one (the same resolution; property
tests hold the two together), at the cost of a resolve. An explanation shows
stages 1 to 4: the unit price's steps, then the line's own
(:meth:`~kamcore.accounts.LineItem.total_steps`).

A priced document keeps its prices and their explanations. A later change to the
price lists never alters it; :func:`kamcore.pricing.reprice` and
:func:`kamcore.pricing.reprice_order` are the explicit calls that price it again.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal

import attrs

from kamcore.accounts import (
    AdHocDiscount,
    Client,
    Invoice,
    LineItem,
    Order,
    OrderStatus,
    check_lines,
    lines_total,
    trusted_line,
)
from kamcore.errors import CurrencyMismatchError, ValidationError
from kamcore.kernel import (
    Checks,
    ClientId,
    InvoiceId,
    Money,
    OrderId,
    ProductId,
    validate_currency,
)
from kamcore.pricing._policy import (
    DEFAULT_POLICY,
    PolicyFinding,
    PricingPolicy,
    line_findings,
)
from kamcore.pricing._resolution import PricingIndex

__all__ = ["DocumentKind", "LineRequest", "PricedDocument", "price_document"]


class DocumentKind(enum.Enum):
    """What is being priced; each is priced at its own date (order, invoice,
    proposal date)."""

    ORDER = "order"
    INVOICE = "invoice"
    PROPOSAL = "proposal"


@attrs.frozen(kw_only=True)
class LineRequest:
    """A line to price: a quantity of a product, maybe with an ad-hoc discount.

    Attributes:
        product: The product.
        quantity: How many units (a positive Decimal).
        ad_hoc: An ad-hoc discount to record beside the resolved price.
        description: Free text printed on the document.
        explain: Keep the explanation of this line's price, whether or not
            the document asks for explanations.

    Raises:
        ValidationError: naming every offending field.
    """

    product: ProductId
    quantity: Decimal
    ad_hoc: AdHocDiscount | None = None
    description: str = ""
    explain: bool = False

    def __attrs_post_init__(self) -> None:
        checks = Checks(type(self).__name__)  # a quote's line is one too
        checks.text("product", self.product)
        checks.decimal("quantity", self.quantity, strictly_positive=True)
        if self.ad_hoc is not None:
            checks.instance("ad_hoc", self.ad_hoc, AdHocDiscount)
        checks.instance("description", self.description, str)
        checks.instance("explain", self.explain, bool)
        checks.raise_if_any()

    @classmethod
    def of(cls, line: LineItem) -> LineRequest:
        """The request that priced ``line``: same product, quantity, ad-hoc
        discount and description, explained if ``line`` was."""
        return cls(
            product=line.product,
            quantity=line.quantity,
            ad_hoc=line.ad_hoc,
            description=line.description,
            explain=line.explanation is not None,
        )


@attrs.frozen(kw_only=True)
class PricedDocument:
    """A document's lines, priced for one client at one date.

    Every line carries its resolved unit price, its ad-hoc discount (beside
    the price, never folded into it) and, when asked, its explanation.
    Nothing here refers back to the price lists: the prices are frozen.

    Attributes:
        kind: Order, invoice or proposal.
        client: The client priced for.
        currency: The document currency (the client's).
        pricing_date: The date the prices were resolved at.
        lines: The priced lines (with their explanations when asked).
        findings: What the pricing policy flagged or warned about, by line.

    Raises:
        ValidationError: naming every offending field (a line in another
            currency; no lines).
    """

    kind: DocumentKind
    client: ClientId
    currency: str
    pricing_date: dt.date
    lines: tuple[LineItem, ...]
    findings: tuple[PolicyFinding, ...] = ()

    def __attrs_post_init__(self) -> None:
        checks = Checks("PricedDocument")
        checks.instance("kind", self.kind, DocumentKind)
        checks.text("client", self.client)
        checks.capture(
            lambda: validate_currency(self.currency, subject="PricedDocument")
        )
        checks.date("pricing_date", self.pricing_date)
        checks.raise_if_any()
        check_lines(checks, self.lines, self.currency)
        checks.each("findings", self.findings, PolicyFinding)
        checks.raise_if_any()

    @property
    def total(self) -> Money:
        """The sum of the (rounded) line totals: it reconciles exactly."""
        return lines_total(self.lines, self.currency)

    @property
    def gross_total(self) -> Money:
        """The sum of the lines' gross totals, before ad-hoc discounts."""
        return Money.sum((line.gross_total for line in self.lines), self.currency)

    @property
    def ad_hoc_total(self) -> Money:
        """The sum of the ad-hoc discounts' values (``gross_total - total``)."""
        return Money.sum((line.ad_hoc_value for line in self.lines), self.currency)

    def to_order(
        self,
        order_id: OrderId,
        *,
        status: OrderStatus = OrderStatus.OPEN,
        closed_on: dt.date | None = None,
    ) -> Order:
        """An order with these lines as they are (prices frozen), dated at the
        pricing date (and closed on ``closed_on``, required with a status other
        than open).

        Raises:
            ValidationError: for an invalid id or status, a fulfilled or
                cancelled order without ``closed_on``, or ``closed_on`` before
                the pricing date.
        """
        return Order(
            id=order_id,
            client=self.client,
            order_date=self.pricing_date,
            currency=self.currency,
            lines=self.lines,
            status=status,
            closed_on=closed_on,
        )

    def to_invoice(self, invoice_id: InvoiceId, *, due_date: dt.date) -> Invoice:
        """An invoice with these lines as they are, issued at the pricing date.

        Raises:
            ValidationError: for an invalid id, or a due date before the pricing
                date.
        """
        return Invoice(
            id=invoice_id,
            client=self.client,
            issue_date=self.pricing_date,
            due_date=due_date,
            currency=self.currency,
            lines=self.lines,
        )


def price_document(
    index: PricingIndex,
    client: Client,
    lines: Iterable[LineRequest],
    *,
    pricing_date: dt.date,
    kind: DocumentKind,
    currency: str | None = None,
    policy: PricingPolicy = DEFAULT_POLICY,
    explain: bool = False,
) -> PricedDocument:
    """Price every line for ``client`` at ``pricing_date``, all or nothing.

    Each line's unit price is resolved by ``index`` (client list, group lists,
    base list, discount group), its ad-hoc discount is recorded beside the
    price, and the line is checked against ``policy``. Explanations are built
    only when asked (``explain``, or a line's own ``explain``); prices and
    totals are the same either way.

    Args:
        index: The indexed price lists, groups, discounts and products.
        client: The client priced for.
        lines: What to price, at least one line.
        pricing_date: The order, invoice or proposal date; there is no default
            and no clock.
        kind: What is being priced.
        currency: The document currency; the client's when ``None``.
        policy: Ad-hoc, floor and margin rules.
        explain: Keep every line's explanation (a line can ask for its own).

    Returns:
        The priced document, with the policy's findings.

    Raises:
        ValidationError: no lines, a malformed request or date, an ad-hoc
            discount worth more than its line (paths under ``lines[i]``).
        CurrencyMismatchError: ``currency`` is not the client's (kamcore does no
            conversion), or a list, floor or cost is in another currency.
        PriceNotFoundError: a line has no price in any list.
        PricingConfigurationError: a line's price is ambiguous (both sources
            named).
        PolicyViolationError: a line breaks a rule set to refuse.

    Example:
        >>> from kamcore.accounts import Product
        >>> from kamcore.kernel import CategoryId, ClientId, ManagerId, PriceListId
        >>> from kamcore.pricing import PriceItem, PriceList, PriceListKind
        >>> base = PriceList(id=PriceListId("base"), name="Base", currency="EUR",
        ...     kind=PriceListKind.BASE, items=(PriceItem(product=ProductId("valve"),
        ...     unit_price=Money("13.7350", "EUR")),))
        >>> valve = Product(id=ProductId("valve"), name="Valve",
        ...     category=CategoryId("valves"))
        >>> acme = Client(id=ClientId("acme"), name="Acme", currency="EUR",
        ...     locale="en_GB")
        >>> index = PricingIndex([base], products=[valve])
        >>> document = price_document(index, acme,
        ...     [LineRequest(product=ProductId("valve"), quantity=Decimal(3))],
        ...     pricing_date=dt.date(2026, 3, 2), kind=DocumentKind.ORDER)
        >>> document.total
        Money('41.21', 'EUR')
    """
    checks = Checks("price_document")
    requests = tuple(lines)
    checks.each("lines", requests, LineRequest)
    checks.require(len(requests) > 0, "lines", "needs at least one line", requests)
    checks.date("pricing_date", pricing_date)
    checks.instance("kind", kind, DocumentKind)
    checks.instance("policy", policy, PricingPolicy)
    checks.instance("explain", explain, bool)
    if currency is not None:
        checks.capture(
            lambda: validate_currency(
                currency, subject="price_document", path="currency"
            )
        )
    checks.raise_if_any()
    document_currency = client.currency if currency is None else currency
    if document_currency != client.currency:
        raise CurrencyMismatchError(
            document_currency,
            client.currency,
            f"price {kind.value} lines for client {client.id} from its lists in",
        )
    priced: list[LineItem] = []
    findings: list[PolicyFinding] = []
    resolve = index.resolve
    for position, request in enumerate(requests):
        if explain or request.explain or request.ad_hoc is not None:
            line = _price_line(
                index,
                client,
                request,
                position=position,
                on=pricing_date,
                currency=document_currency,
                explain=explain or request.explain,
            )
        else:
            # The common line, inlined: a resolve and a line of known-good parts.
            product, quantity = request.product, request.quantity
            line = trusted_line(
                product,
                quantity,
                resolve(
                    client, product, quantity, pricing_date, currency=document_currency
                ).unit_price,
                request.description,
            )
        found = line_findings(index, client, line, position, policy)
        if found:
            findings.extend(found)
        priced.append(line)
    return PricedDocument(
        kind=kind,
        client=client.id,
        currency=document_currency,
        pricing_date=pricing_date,
        lines=tuple(priced),
        findings=tuple(findings),
    )


def _price_line(
    index: PricingIndex,
    client: Client,
    request: LineRequest,
    *,
    position: int,
    on: dt.date,
    currency: str,
    explain: bool,
) -> LineItem:
    if explain:
        resolved, explanation = index.resolve_explained(
            client, request.product, request.quantity, on, currency=currency
        )
    else:
        resolved = index.resolve(
            client, request.product, request.quantity, on, currency=currency
        )
        explanation = None
    if request.ad_hoc is None:
        # Every part is known good: a checked request, the index's unit price.
        line = trusted_line(
            request.product,
            request.quantity,
            resolved.unit_price,
            request.description,
        )
    else:
        line = _line_with_ad_hoc(request, resolved.unit_price, position)
    if explanation is None:
        return line
    # The explanation goes on from the unit price to the line total.
    steps = (*explanation.steps, *line.total_steps())
    return attrs.evolve(line, explanation=attrs.evolve(explanation, steps=steps))


def _line_with_ad_hoc(
    request: LineRequest, unit_price: Money, position: int
) -> LineItem:
    """The line the checked way: its ad-hoc discount may be worth more than it."""
    try:
        return LineItem(
            product=request.product,
            quantity=request.quantity,
            unit_price=unit_price,
            description=request.description,
            ad_hoc=request.ad_hoc,
        )
    except ValidationError as error:
        raise ValidationError(
            "price_document",
            [field.under(f"lines[{position}]") for field in error.errors],
        ) from None
