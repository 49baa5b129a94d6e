"""Pricing workflows through the ports: seed workflow 3, "set custom pricing for a
strategic account", end to end.

Create a list dedicated to the client -> add the negotiated prices -> assign it
on the client record -> from then on every order or invoice for the client
applies it. Each call is one unit of work: it stores everything or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from kamcore.accounts import Client, Invoice
from kamcore.errors import CurrencyMismatchError, ValidationError
from kamcore.kernel import ClientId, InvoiceId, PriceListId
from kamcore.ports import IdSource, UnitOfWork
from kamcore.pricing import (
    DocumentKind,
    LineRequest,
    PricedDocument,
    PriceItem,
    PriceList,
    PriceListKind,
    PricingIndex,
    PricingOptions,
    PricingPolicy,
    price_document,
)

__all__ = [
    "add_negotiated_prices",
    "assign_price_list",
    "create_client_price_list",
    "invoice_client",
    "load_pricing_index",
]


def create_client_price_list(
    uow: UnitOfWork,
    ids: IdSource,
    *,
    client: ClientId,
    name: str,
    items: Sequence[PriceItem] = (),
) -> PriceList:
    """Create a price list dedicated to ``client``, in the client's currency.

    The list is not assigned yet: see :func:`assign_price_list`.

    Raises:
        NotFoundError: the client does not exist.
        PricingConfigurationError: the items conflict with each other.
        ValidationError: an item is priced in another currency.
    """
    with uow:
        owner = uow.clients.get(client)
        price_list = PriceList(
            id=ids.new_id(PriceListId),
            name=name,
            currency=owner.currency,
            kind=PriceListKind.CLIENT,
            items=tuple(items),
        )
        price_list.validate()
        stored = uow.price_lists.add(price_list)
        uow.commit()
    return stored


def add_negotiated_prices(
    uow: UnitOfWork, price_list: PriceListId, items: Sequence[PriceItem]
) -> PriceList:
    """Add negotiated items to a list; the whole list is validated before saving.

    Raises:
        NotFoundError: the list does not exist.
        PricingConfigurationError: an item would conflict with another (same
            product and minimum quantity on overlapping dates); nothing is saved.
        ValidationError: an item is in another currency than the list.
    """
    with uow:
        updated = uow.price_lists.get(price_list).with_items(*items)
        updated.validate()
        stored = uow.price_lists.save(updated)
        uow.commit()
    return stored


def assign_price_list(
    uow: UnitOfWork, *, client: ClientId, price_list: PriceListId
) -> Client:
    """Make ``price_list`` the client's dedicated list (on the client record).

    Raises:
        NotFoundError: the client or the list does not exist.
        ValidationError: the list is not a client list.
        CurrencyMismatchError: the list's currency is not the client's.
    """
    with uow:
        owner = uow.clients.get(client)
        dedicated = uow.price_lists.get(price_list)
        if dedicated.kind is not PriceListKind.CLIENT:
            raise ValidationError.single(
                "assign_price_list",
                "price_list",
                f"{price_list} is a {dedicated.kind.value} list; a client's dedicated "
                "list must be a client list",
                price_list,
            )
        if dedicated.currency != owner.currency:
            raise CurrencyMismatchError(
                owner.currency, dedicated.currency, f"assign list {price_list}"
            )
        stored = uow.clients.save(attrs.evolve(owner, price_list=price_list))
        uow.commit()
    return stored


def load_pricing_index(
    uow: UnitOfWork, *, options: PricingOptions | None = None
) -> PricingIndex:
    """Read the whole catalogue once and index it for resolution.

    One read per repository, whatever the number of lines priced afterwards.

    Raises:
        PricingConfigurationError: the stored catalogue has conflicts.
    """
    with uow:
        return PricingIndex(
            uow.price_lists.all(),
            client_groups=uow.client_groups.all(),
            discount_groups=uow.discount_groups.all(),
            products=uow.products.all(),
            options=options,
        )


def invoice_client(
    uow: UnitOfWork,
    ids: IdSource,
    index: PricingIndex,
    *,
    client: ClientId,
    lines: Sequence[LineRequest],
    issue_date: dt.date,
    due_date: dt.date,
    policy: PricingPolicy | None = None,
) -> tuple[Invoice, PricedDocument]:
    """Price ``lines`` for ``client`` at ``issue_date`` and store the invoice.

    The client record is read inside the unit of work, so a list assigned a
    moment ago applies. Returns the stored invoice and the priced document
    (with its policy findings).

    Raises:
        NotFoundError: the client does not exist.
        PriceNotFoundError: from pricing; nothing is stored.
        PricingConfigurationError: from pricing; nothing is stored.
        CurrencyMismatchError: from pricing; nothing is stored.
        PolicyViolationError: from pricing; nothing is stored.
    """
    with uow:
        owner = uow.clients.get(client)
        document = price_document(
            index,
            owner,
            lines,
            pricing_date=issue_date,
            kind=DocumentKind.INVOICE,
            policy=policy or PricingPolicy(),
            explain=True,
        )
        invoice = uow.invoices.add(
            document.to_invoice(ids.new_id(InvoiceId), due_date=due_date)
        )
        uow.commit()
    return invoice, document
