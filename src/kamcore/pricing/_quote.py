"""What a service is asked to price: a quote request, as it arrives as JSON.

A backend that prices for a web front end reads the request with
``kamcore.serialization.from_json(text, QuoteRequest)`` (every malformed field
is a :class:`~kamcore.errors.ValidationError` naming its ``$`` path), looks the
client up, and prices :meth:`QuoteRequest.line_requests` with
:func:`~kamcore.pricing.price_document`. The answer is the
:class:`~kamcore.pricing.PricedDocument`, whose JSON form is described in
``docs/pricing-json.md`` and ``docs/schemas/``.
"""

from __future__ import annotations

import datetime as dt

import attrs

from kamcore.kernel import Checks, ClientId, validate_currency
from kamcore.pricing._documents import DocumentKind, LineRequest

__all__ = ["QuoteLine", "QuoteRequest"]


@attrs.frozen(kw_only=True)
class QuoteLine(LineRequest):
    """One line of a quote request: a quantity of a product.

    Attributes:
        product: The product.
        quantity: How many units (a positive Decimal).
        ad_hoc: An ad-hoc discount to record beside the resolved price.
        description: Free text printed on the document.
        explain: Whether the priced line should carry its explanation, even
            when the request as a whole does not ask for explanations.

    A :class:`~kamcore.pricing.LineRequest` by another name: the same
    fields, checked the same way (errors name ``QuoteLine``).

    Raises:
        ValidationError: naming every offending field.

    .. versionadded:: Unreleased
    """

    def to_line_request(self, *, explain: bool = False) -> LineRequest:
        """The :class:`~kamcore.pricing.LineRequest` that prices this line.

        Args:
            explain: Keep the line's explanation even if the line did not ask
                for it (the request asked for every line's).

        Example:
            >>> from decimal import Decimal
            >>> from kamcore.kernel import ProductId
            >>> line = QuoteLine(product=ProductId("valve"), quantity=Decimal(3))
            >>> line.to_line_request(explain=True).explain
            True
        """
        return LineRequest(
            product=self.product,
            quantity=self.quantity,
            ad_hoc=self.ad_hoc,
            description=self.description,
            explain=self.explain or explain,
        )


@attrs.frozen(kw_only=True)
class QuoteRequest:
    """A request to price lines for one client at one date.

    Attributes:
        client: The client to price for (its id: the service looks it up).
        pricing_date: The date prices are resolved at; there is no default,
            as there is no clock in a request.
        lines: What to price, at least one line.
        kind: What is being priced. An order by default: a quote asks what
            the client would pay if it ordered; a proposal or an invoice says
            so.
        currency: The document currency; ``None`` takes the client's. Any
            other currency than the client's is refused when priced (kamcore
            does no conversion).
        explain: Whether every priced line should carry its explanation (a
            line may also ask for its own with ``QuoteLine.explain``).

    Raises:
        ValidationError: naming every offending field.

    Example:
        >>> from kamcore.serialization import from_json
        >>> request = from_json(
        ...     '{"client": "acme", "pricing_date": "2026-03-02",'
        ...     ' "lines": [{"product": "valve", "quantity": "3"}]}',
        ...     QuoteRequest,
        ... )
        >>> request.kind, request.lines[0].quantity
        (<DocumentKind.ORDER: 'order'>, Decimal('3'))

    .. versionadded:: Unreleased
    """

    client: ClientId
    pricing_date: dt.date
    lines: tuple[QuoteLine, ...]
    kind: DocumentKind = DocumentKind.ORDER
    currency: str | None = None
    explain: bool = False

    def __attrs_post_init__(self) -> None:
        checks = Checks("QuoteRequest")
        checks.text("client", self.client)
        checks.date("pricing_date", self.pricing_date)
        lines: object = self.lines  # what a careless caller passed, maybe a list
        checks.each("lines", lines, QuoteLine)
        if isinstance(lines, tuple):
            checks.require(len(lines) > 0, "lines", "needs at least one line", lines)
        checks.instance("kind", self.kind, DocumentKind)
        if self.currency is not None:
            checks.capture(
                lambda: validate_currency(
                    self.currency, subject="QuoteRequest", path="currency"
                )
            )
        checks.instance("explain", self.explain, bool)
        checks.raise_if_any()

    def line_requests(self) -> tuple[LineRequest, ...]:
        """The lines as :func:`~kamcore.pricing.price_document` takes them, in
        order, each asking for its explanation if it or the request did."""
        return tuple(line.to_line_request(explain=self.explain) for line in self.lines)
