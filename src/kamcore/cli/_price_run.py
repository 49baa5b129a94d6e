"""What ``kamcore price`` does: the unit price a client pays, and why."""

from __future__ import annotations

import argparse

from kamcore.cli._common import ExitCode, clock_for, number, open_database, say
from kamcore.cli._json_views import json_text, price_document
from kamcore.cli._views import day
from kamcore.i18n import translator
from kamcore.kernel import ClientId, ProductId
from kamcore.services import load_pricing_index

__all__ = ["run"]


def run(args: argparse.Namespace) -> ExitCode:
    """Print the resolved unit price and its explanation."""
    on = clock_for(args.on, args.timezone).today()
    with open_database(args.db, read_only=True) as db:
        index = load_pricing_index(db.uow)
        with db.uow:
            client = db.uow.clients.get(ClientId(args.client))
            db.uow.products.get(ProductId(args.product))
    locale = args.locale or client.locale
    resolved, explanation = index.resolve_explained(
        client, ProductId(args.product), args.quantity, on
    )
    total = (resolved.unit_price * args.quantity).rounded()
    if args.format == "json":
        document = price_document(
            client,
            product=args.product,
            quantity=args.quantity,
            on=on,
            unit_price=resolved.unit_price.amount,
            line_total=total.amount,
            currency=resolved.unit_price.currency,
            explanation=str(explanation),
        )
        say(json_text(document))
        return ExitCode.OK
    _ = translator(locale)
    # Translators: the client's name and id pay {price} for one unit of
    # product {product} (an id) when buying {quantity} units on {day}.
    price = _(
        "{client} ({client_id}) pays {price} per unit of {product} for "
        "{quantity} on {day} (line total {total})",
        client=client.name,
        client_id=client.id,
        price=resolved.unit_price.format(locale),
        product=args.product,
        quantity=number(args.quantity, locale),
        day=day(on, locale),
        total=total.format(locale),
    )
    say(price)
    # The explanation's lines are written by the pricing engine, in English.
    say(str(explanation))
    return ExitCode.OK
