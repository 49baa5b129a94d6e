"""Explicit re-pricing: a priced document or a stored order, priced again.

A document keeps the prices it was priced with, whatever happens to the price
lists afterwards. These are the only calls that price it again; each returns a
new value and leaves the original untouched.
"""

from __future__ import annotations

import datetime as dt

import attrs

from kamcore.accounts import Client, Order
from kamcore.errors import ValidationError
from kamcore.kernel import ClientId
from kamcore.pricing._documents import (
    DocumentKind,
    LineRequest,
    PricedDocument,
    price_document,
)
from kamcore.pricing._policy import DEFAULT_POLICY, PricingPolicy
from kamcore.pricing._resolution import PricingIndex

__all__ = ["reprice", "reprice_order"]


def reprice(
    document: PricedDocument,
    index: PricingIndex,
    client: Client,
    *,
    pricing_date: dt.date | None = None,
    policy: PricingPolicy = DEFAULT_POLICY,
) -> PricedDocument:
    """Price ``document``'s lines again: a new document; the original is untouched.

    The same products, quantities, ad-hoc discounts and descriptions are priced
    with ``index`` at ``pricing_date`` (the document's own date when ``None``),
    in the document's currency and kind.

    Raises:
        ValidationError: ``client`` is not the document's client.
        CurrencyMismatchError: the client's currency is no longer the document's.
        PriceNotFoundError: a line has no price any more.
        PricingConfigurationError: a line's price is ambiguous.
        PolicyViolationError: a line breaks a rule set to refuse.
    """
    _same_client("document", document.client, client)
    return price_document(
        index,
        client,
        [LineRequest.of(line) for line in document.lines],
        pricing_date=document.pricing_date if pricing_date is None else pricing_date,
        kind=document.kind,
        currency=document.currency,
        policy=policy,
    )


def reprice_order(
    order: Order,
    index: PricingIndex,
    client: Client,
    *,
    pricing_date: dt.date | None = None,
    policy: PricingPolicy = DEFAULT_POLICY,
) -> Order:
    """A stored order with its lines priced again, for saving back explicitly.

    The id, client, currency, order date, status and version are kept (the
    version lets the repository's optimistic lock catch a concurrent change);
    only the lines are new. Prices resolve at ``pricing_date``, the order date
    when ``None``. Policy findings are not kept on an order: price with
    :func:`reprice` on a :class:`PricedDocument` to see them.

    Raises:
        ValidationError: ``client`` is not the order's client.
        CurrencyMismatchError: the client's currency is no longer the order's.
        PriceNotFoundError: a line has no price any more.
        PricingConfigurationError: a line's price is ambiguous.
        PolicyViolationError: a line breaks a rule set to refuse.
    """
    _same_client("order", order.client, client)
    document = price_document(
        index,
        client,
        [LineRequest.of(line) for line in order.lines],
        pricing_date=order.order_date if pricing_date is None else pricing_date,
        kind=DocumentKind.ORDER,
        currency=order.currency,
        policy=policy,
    )
    return attrs.evolve(order, lines=document.lines)


def _same_client(what: str, expected: ClientId, client: Client) -> None:
    if client.id != expected:
        raise ValidationError.single(
            f"reprice {what}",
            "client",
            f"the {what} belongs to client {expected}",
            client.id,
        )
