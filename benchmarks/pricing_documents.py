"""What a quote service does with the pricing index, for bench_pricing.py:
50-line documents (with and without explanations) against fifty ``resolve``
calls, and refreshing the index when one client list changes.

Imported by ``benchmarks/bench_pricing.py``; never part of the test suite.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

import attrs

from kamcore.accounts import Client
from kamcore.kernel import Money, PriceListId, ProductId
from kamcore.pricing import (
    DocumentKind,
    LineRequest,
    PriceList,
    PriceListKind,
    PricingIndex,
    price_document,
)

DOCUMENT_LINES = 50
CENT = Decimal("0.01")


class Document(NamedTuple):
    """A quote: one client, one date, fifty lines."""

    client: Client
    on: dt.date
    requests: tuple[LineRequest, ...]


def documents_of(
    lines: Sequence[tuple[Client, str, Decimal, dt.date]], size: int = DOCUMENT_LINES
) -> list[Document]:
    """The lines in consecutive chunks of ``size``, each priced for the client
    and date of its first line (the products come from every kind of list)."""
    documents = []
    for start in range(0, len(lines) - size + 1, size):
        chunk = lines[start : start + size]
        client, _, _, on = chunk[0]
        documents.append(
            Document(
                client,
                on,
                tuple(
                    LineRequest(product=ProductId(product), quantity=quantity)
                    for _, product, quantity, _ in chunk
                ),
            )
        )
    return documents


def resolve_loop(index: PricingIndex, documents: Sequence[Document]) -> Decimal:
    """Fifty ``resolve`` calls per document and nothing else; the line count."""
    resolve = index.resolve
    count = 0
    for client, on, requests in documents:
        for request in requests:
            resolve(client, request.product, request.quantity, on)
            count += 1
    return Decimal(count)


def document_loop(
    index: PricingIndex, documents: Sequence[Document], *, explain: bool
) -> Decimal:
    """Price every document; the sum of their totals."""
    grand_total = Decimal(0)
    for client, on, requests in documents:
        document = price_document(
            index,
            client,
            requests,
            pricing_date=on,
            kind=DocumentKind.ORDER,
            explain=explain,
        )
        grand_total += document.total.amount
    return grand_total


def resolved_total(index: PricingIndex, documents: Sequence[Document]) -> Decimal:
    """The documents' grand total from ``resolve`` and a rounding per line: what
    the document loops must sum to."""
    grand_total = Decimal(0)
    for client, on, requests in documents:
        for request in requests:
            unit = index.resolve(client, request.product, request.quantity, on)
            grand_total += (unit.unit_price.amount * request.quantity).quantize(
                CENT, ROUND_HALF_UP
            )
    return grand_total


class Refreshes(NamedTuple):
    """Seconds per one-list refresh, and what was checked against a rebuild."""

    seconds: tuple[float, ...]
    lines_checked: int

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    @property
    def worst_ms(self) -> float:
        return max(self.seconds) * 1000


def time_refreshes(
    index: PricingIndex,
    price_lists: Sequence[PriceList],
    rebuild: Callable[[list[PriceList]], PricingIndex],
    lines: Sequence[tuple[Client, str, Decimal, dt.date]],
    *,
    count: int,
    seed: int,
) -> Refreshes:
    """Refresh the index with ``count`` client lists changed one at a time
    (one item's price up a cent), collector on, as a running service would.

    The last refreshed index is checked against ``rebuild`` (a full build from
    the changed lists): every line of the client owning the changed list, and
    the first 2,000 lines, must resolve to the same price and source.
    """
    rng = random.Random(seed)
    client_lists = [p for p in price_lists if p.kind is PriceListKind.CLIENT]
    seconds = []
    refreshed = index
    changed = client_lists[0]
    for original in rng.sample(client_lists, count):
        position = rng.randrange(len(original.items))
        item = original.items[position]
        assert item.unit_price is not None
        moved = attrs.evolve(
            item,
            unit_price=Money(item.unit_price.amount + CENT, item.unit_price.currency),
        )
        changed = attrs.evolve(
            original,
            items=(*original.items[:position], moved, *original.items[position + 1 :]),
        )
        start = time.perf_counter()
        refreshed = index.refreshed(price_lists=[changed])
        seconds.append(time.perf_counter() - start)
    rebuilt = rebuild([p if p.id != changed.id else changed for p in price_lists])
    owner = PriceListId(changed.id)
    sample = [line for line in lines if line[0].price_list == owner]
    sample.extend(lines[:2_000])
    for client, product, quantity, on in sample:
        mine = refreshed.resolve(client, ProductId(product), quantity, on)
        theirs = rebuilt.resolve(client, ProductId(product), quantity, on)
        assert (mine.unit_price, mine.source) == (theirs.unit_price, theirs.source)
    return Refreshes(tuple(seconds), len(sample))
