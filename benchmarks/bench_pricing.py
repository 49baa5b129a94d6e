"""Pricing benchmark: kamcore's PricingIndex against a floor loop and an ERP-style
SQLite baseline.

Scenario (the defaults reproduce the issue exactly; every figure is seeded):

* 20,000 products in 50 categories; one EUR base list pricing every product at
  a fixed price;
* 20 client groups, each with a group list of 5,000 items: some fixed, some
  derived from the base list (a few percent off, rounded to a multiple of
  0.05), one in ten valid only from April to September. Priorities are
  distinct except for one pair of equal priority whose lists agree on the
  products they share, so the equal-priority path runs without raising;
* 1,000 client-dedicated lists of 200 items each: 100 products, each priced
  from quantity 0 and lower from quantity 50 (client items are net, except one
  product in ten marked discountable);
* 10 discount groups with product, category and all-product rules, some from a
  minimum quantity, some valid for half of the year only;
* 1,000 EUR clients, each with its dedicated list, 1-3 client groups (one in
  ten belongs to both equal-priority groups) and a discount group;
* 200,000 random lines (client, product, quantity 1-100, a day of 2026). A
  line's product comes from the client's own list 30 % of the time, from one of
  its groups' lists 40 % of the time and from the whole catalogue otherwise.

Measured in one process, each timing the best of 3 runs (``time.perf_counter``;
the garbage collector is disabled around the per-line loops, not the builds):

1. PricingIndex construction (whole-catalogue validation included) and its
   tracemalloc peak;
2. kamcore: resolve every line and compute its line total;
3. the same with ``.explain()`` materialised on every line;
4. the floor: a dict lookup of a pre-resolved Decimal unit price per product,
   a multiply and a quantize per line;
5. an ERP-style baseline: an in-memory sqlite3 database with the same lists,
   items, groups and discount rules, indexed, and one to four indexed queries
   per line (client list, else group lists by priority, else base, then the
   discount rule). Derived group items are stored pre-computed as fixed prices,
   as ERP price tables usually are: the baseline measures the per-line query
   cost, not derivation.

SQLite and kamcore must agree: unit prices are compared line by line on a
sample of 2,000 lines, and the grand totals over every line must be equal.

Then what a quote service does (``pricing_documents.py``): the lines in
documents of 50 (each for the client and date of its first line), priced with
``price_document`` with and without explanations, against fifty ``resolve``
calls per document, interleaved; the documents' totals must equal the
resolved line totals. And 20 client lists changed one at a time (one item a
cent dearer), each refreshed with ``PricingIndex.refreshed`` with the
collector on; the last refreshed index must answer as a full rebuild.

Targets: index build peak < 300 MB and build <= 2 s; kamcore / floor time
ratio <= 4x; a 50-line document <= 1.5x fifty resolves; one client list
refreshed <= 20 ms; SQLite / kamcore speed-up >= 15x.

Run (from the repository root, in the project's virtualenv)::

    python benchmarks/bench_pricing.py                 # full size, a few minutes
    python benchmarks/bench_pricing.py --lines 20000   # quicker
    python benchmarks/bench_pricing.py --profile       # + cProfile of the resolve loop

It is never part of the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import os
import platform
import pstats
import random
import sqlite3
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple, TypeVar

from pricing_documents import (
    DOCUMENT_LINES,
    Document,
    Refreshes,
    document_loop,
    documents_of,
    resolve_loop,
    resolved_total,
    time_refreshes,
)

from kamcore.accounts import CandidateOutcome, Client, ClientGroup, Product
from kamcore.kernel import (
    CategoryId,
    ClientGroupId,
    ClientId,
    DiscountGroupId,
    Money,
    Percentage,
    PriceListId,
    ProductId,
)
from kamcore.pricing import (
    Derivation,
    DiscountGroup,
    DiscountRule,
    DiscountScope,
    PriceItem,
    PriceList,
    PriceListKind,
    PricingIndex,
)

T = TypeVar("T")

CURRENCY = "EUR"
CENT = Decimal("0.01")
UNIT_QUANTUM = Decimal("0.0001")  # PricingOptions' default: 4 places, HALF_UP
STEP = Decimal("0.05")
BASE_LIST = PriceListId("base-eur")
OPEN_START = dt.date.min
OPEN_END = dt.date.max
YEAR = 2026  # lines are dated in this year

KAMCORE = "kamcore resolve"
EXPLAIN = "kamcore resolve + explain"
FLOOR = "floor (dict + Decimal)"
SQLITE = "sqlite3 (ERP-style)"

RESOLVES = "kamcore 50 resolves a doc"
DOCUMENTS = "kamcore 50-line documents"
EXPLAINED = "  ... with explanations"

TARGET_PEAK_MB = 300.0
TARGET_FLOOR_RATIO = 4.0
TARGET_SQLITE_SPEEDUP = 15.0
TARGET_BUILD_S = 2.0
TARGET_DOCUMENT_RATIO = 1.5
TARGET_REFRESH_MS = 20.0
REFRESHES = 20


@dataclass(frozen=True)
class Scenario:
    """The sizes of the issue's scenario."""

    products: int = 20_000
    categories: int = 50
    client_groups: int = 20
    group_list_items: int = 5_000
    clients: int = 1_000  # each with its own dedicated list
    client_list_products: int = 100  # x 2 quantity breaks = 200 items a list
    quantity_break: int = 50
    discount_groups: int = 10
    product_rules: int = 300  # a discount group's (30 % get a volume rule too)
    category_rules: int = 10  # a discount group's (50 % get a volume rule too)
    lines: int = 200_000


@dataclass(frozen=True)
class Catalogue:
    """Everything the index (and the SQLite baseline) is built from."""

    products: list[Product]
    price_lists: list[PriceList]
    client_groups: list[ClientGroup]
    discount_groups: list[DiscountGroup]
    clients: list[Client]


class Line(NamedTuple):
    """One order line to price."""

    client: Client
    product: ProductId
    quantity: Decimal
    on: dt.date


SqlLine = tuple[str, str, int, str]
"""A line as the SQLite baseline takes it: client id, product, quantity, ISO date."""


# -- scenario generation ----------------------------------------------------


def product_id(number: int) -> ProductId:
    return ProductId(f"P{number:05d}")


def cents(low: int, high: int, rng: random.Random) -> Decimal:
    """A random amount between ``low`` and ``high`` cents, two places."""
    return Decimal(rng.randint(low, high)).scaleb(-2)


def make_products(scenario: Scenario, rng: random.Random) -> list[Product]:
    return [
        Product(
            id=product_id(number),
            name=f"Product {number}",
            category=CategoryId(f"C{rng.randrange(scenario.categories):02d}"),
        )
        for number in range(scenario.products)
    ]


def make_base_list(
    products: Sequence[Product], rng: random.Random
) -> tuple[PriceList, dict[ProductId, Decimal]]:
    prices = {product.id: cents(100, 50_000, rng) for product in products}
    items = tuple(
        PriceItem(product=product, unit_price=Money(price, CURRENCY))
        for product, price in prices.items()
    )
    base = PriceList(
        id=BASE_LIST,
        name="Base",
        currency=CURRENCY,
        kind=PriceListKind.BASE,
        items=items,
    )
    return base, prices


def group_item(
    product: ProductId, base_price: Decimal, adjustment: int, rng: random.Random
) -> PriceItem:
    """A group list item: derived 60 % of the time, else fixed; 10 % seasonal."""
    seasonal = rng.random() < 0.1
    valid_from = dt.date(YEAR, 4, 1) if seasonal else None
    valid_to = dt.date(YEAR, 9, 30) if seasonal else None
    if rng.random() < 0.6:
        derivation = Derivation(
            source=BASE_LIST,
            adjustment=Percentage(-adjustment),
            rounding_step=STEP,
        )
        return PriceItem(
            product=product,
            derived=derivation,
            valid_from=valid_from,
            valid_to=valid_to,
        )
    factor = Decimal(rng.randint(85, 97)).scaleb(-2)
    price = (base_price * factor).quantize(CENT, ROUND_HALF_UP)
    return PriceItem(
        product=product,
        unit_price=Money(price, CURRENCY),
        valid_from=valid_from,
        valid_to=valid_to,
    )


def group_product_sets(scenario: Scenario, rng: random.Random) -> list[list[ProductId]]:
    """Each group's products; the last group shares half of its twin's."""
    sets = [
        [
            product_id(n)
            for n in rng.sample(range(scenario.products), scenario.group_list_items)
        ]
        for _ in range(scenario.client_groups)
    ]
    twin = sets[-2]
    shared = twin[: scenario.group_list_items // 2]
    taken = set(shared)
    others = [p for p in sets[-1] if p not in taken]
    sets[-1] = shared + others[: scenario.group_list_items - len(shared)]
    return sets


def make_group_lists(
    scenario: Scenario,
    base_prices: dict[ProductId, Decimal],
    rng: random.Random,
) -> tuple[list[PriceList], list[ClientGroup], list[list[ProductId]]]:
    """Group lists and their groups; the last two groups have equal priority.

    The equal-priority twins take the very same item for every product they
    share, so they always agree.
    """
    product_sets = group_product_sets(scenario, rng)
    shared_items: dict[ProductId, PriceItem] = {}
    lists: list[PriceList] = []
    groups: list[ClientGroup] = []
    last = scenario.client_groups - 1
    for number, products in enumerate(product_sets):
        adjustment = 2 + number % 7
        twin = number >= last - 1
        items = []
        for product in products:
            if twin and product in shared_items:
                items.append(shared_items[product])
                continue
            item = group_item(product, base_prices[product], adjustment, rng)
            if twin:
                shared_items[product] = item
            items.append(item)
        list_id = PriceListId(f"group-G{number:02d}")
        lists.append(
            PriceList(
                id=list_id,
                name=f"Group {number}",
                currency=CURRENCY,
                kind=PriceListKind.GROUP,
                items=tuple(items),
            )
        )
        priority = 10 * min(number, last - 1)  # the last two share a priority
        groups.append(
            ClientGroup(
                id=ClientGroupId(f"G{number:02d}"),
                name=f"Group {number}",
                priority=priority,
                price_list=list_id,
            )
        )
    return lists, groups, product_sets


def make_client_list(
    number: int,
    scenario: Scenario,
    base_prices: dict[ProductId, Decimal],
    rng: random.Random,
) -> tuple[PriceList, list[ProductId]]:
    """A dedicated list: each product from quantity 0, and lower from the break."""
    products = [
        product_id(n)
        for n in rng.sample(range(scenario.products), scenario.client_list_products)
    ]
    items: list[PriceItem] = []
    for product in products:
        discountable = True if rng.random() < 0.1 else None
        price = (
            base_prices[product] * Decimal(rng.randint(80, 92)).scaleb(-2)
        ).quantize(CENT, ROUND_HALF_UP)
        volume_price = (price * Decimal("0.95")).quantize(CENT, ROUND_HALF_UP)
        items.append(
            PriceItem(
                product=product,
                unit_price=Money(price, CURRENCY),
                discountable=discountable,
            )
        )
        items.append(
            PriceItem(
                product=product,
                unit_price=Money(volume_price, CURRENCY),
                min_quantity=Decimal(scenario.quantity_break),
                discountable=discountable,
            )
        )
    price_list = PriceList(
        id=PriceListId(f"client-K{number:04d}"),
        name=f"Client {number}",
        currency=CURRENCY,
        kind=PriceListKind.CLIENT,
        items=tuple(items),
    )
    return price_list, products


def discount_rules(
    scenario: Scenario, rng: random.Random, *, with_all: bool
) -> list[DiscountRule]:
    """Product, category and all-product rules, some from a minimum quantity."""
    percentages = ["2", "3", "5", "7.5", "10"]
    second_half = dt.date(YEAR, 7, 1)
    rules: list[DiscountRule] = []
    for n in rng.sample(range(scenario.products), scenario.product_rules):
        valid_from = second_half if rng.random() < 0.2 else None
        rules.append(
            DiscountRule(
                scope=DiscountScope.PRODUCT,
                target=product_id(n),
                percentage=Percentage(rng.choice(percentages)),
                valid_from=valid_from,
            )
        )
        if rng.random() < 0.3:
            rules.append(
                DiscountRule(
                    scope=DiscountScope.PRODUCT,
                    target=product_id(n),
                    percentage=Percentage("12"),
                    min_quantity=Decimal(20),
                )
            )
    for c in rng.sample(range(scenario.categories), scenario.category_rules):
        category = f"C{c:02d}"
        rules.append(
            DiscountRule(
                scope=DiscountScope.CATEGORY,
                target=category,
                percentage=Percentage(rng.choice(percentages)),
            )
        )
        if rng.random() < 0.5:
            rules.append(
                DiscountRule(
                    scope=DiscountScope.CATEGORY,
                    target=category,
                    percentage=Percentage("8"),
                    min_quantity=Decimal(50),
                )
            )
    if with_all:
        rules.append(DiscountRule(scope=DiscountScope.ALL, percentage=Percentage("1")))
        rules.append(
            DiscountRule(
                scope=DiscountScope.ALL,
                percentage=Percentage("2.5"),
                min_quantity=Decimal(30),
            )
        )
    return rules


def make_discount_groups(scenario: Scenario, rng: random.Random) -> list[DiscountGroup]:
    """Discount groups; every other one has no all-product rule."""
    return [
        DiscountGroup(
            id=DiscountGroupId(f"D{number:02d}"),
            name=f"Discounts {number}",
            rules=tuple(discount_rules(scenario, rng, with_all=number % 2 == 0)),
        )
        for number in range(scenario.discount_groups)
    ]


def client_groups_for(
    number: int, groups: Sequence[ClientGroup], rng: random.Random
) -> frozenset[ClientGroupId]:
    """1-3 groups; one client in ten is in both equal-priority groups."""
    if number % 10 == 0:
        chosen = [groups[-2], groups[-1]]
        if rng.random() < 0.5:
            chosen.append(rng.choice(groups[:-2]))
    else:
        chosen = rng.sample(list(groups), rng.randint(1, 3))
    return frozenset(group.id for group in chosen)


def build_catalogue(
    scenario: Scenario, seed: int
) -> tuple[Catalogue, dict[str, list[ProductId]]]:
    """The catalogue, and each client's and group's products (to draw lines)."""
    rng = random.Random(seed)
    products = make_products(scenario, rng)
    base, base_prices = make_base_list(products, rng)
    group_lists, groups, group_products = make_group_lists(scenario, base_prices, rng)
    discount_groups = make_discount_groups(scenario, rng)
    assortments: dict[str, list[ProductId]] = {
        group.id: group_products[n] for n, group in enumerate(groups)
    }
    client_lists: list[PriceList] = []
    clients: list[Client] = []
    for number in range(scenario.clients):
        price_list, own = make_client_list(number, scenario, base_prices, rng)
        client_lists.append(price_list)
        client = Client(
            id=ClientId(f"K{number:04d}"),
            name=f"Client {number}",
            currency=CURRENCY,
            locale="fr_FR",
            groups=client_groups_for(number, groups, rng),
            discount_group=rng.choice(discount_groups).id,
            price_list=price_list.id,
        )
        clients.append(client)
        assortments[client.id] = own
    catalogue = Catalogue(
        products=products,
        price_lists=[base, *group_lists, *client_lists],
        client_groups=groups,
        discount_groups=discount_groups,
        clients=clients,
    )
    return catalogue, assortments


def make_lines(
    scenario: Scenario,
    catalogue: Catalogue,
    assortments: dict[str, list[ProductId]],
    seed: int,
) -> list[Line]:
    """Random lines: 30 % from the client's list, 40 % from a group's, 30 % any."""
    rng = random.Random(seed + 1)
    start = dt.date(YEAR, 1, 1)
    lines: list[Line] = []
    for _ in range(scenario.lines):
        client = rng.choice(catalogue.clients)
        draw = rng.random()
        if draw < 0.3:
            product = rng.choice(assortments[client.id])
        elif draw < 0.7:
            group = rng.choice(sorted(client.groups))
            product = rng.choice(assortments[group])
        else:
            product = product_id(rng.randrange(scenario.products))
        quantity = Decimal(rng.randint(1, 100))
        on = start + dt.timedelta(days=rng.randrange(365))
        lines.append(Line(client, product, quantity, on))
    return lines


# -- timing -----------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """The runs of one measurement: wall-clock and CPU seconds of each."""

    runs: tuple[float, ...]
    cpu: tuple[float, ...]

    @property
    def best(self) -> float:
        return min(self.runs)

    @property
    def best_cpu(self) -> float:
        return min(self.cpu)

    @property
    def spread(self) -> float:
        """Worst run over best run, minus one (0.05 = the worst was 5 % slower)."""
        return max(self.runs) / self.best - 1


def timed(action: Callable[[], T], *, disable_gc: bool) -> tuple[float, float, T]:
    """One run of ``action``: wall seconds (perf_counter), CPU seconds, result.

    The CPU time (``process_time``) is reported beside the wall time: on a
    shared machine it shows how much of the run the process was descheduled.
    """
    gc.collect()
    if disable_gc:
        gc.disable()
    try:
        cpu = time.process_time()
        start = time.perf_counter()
        result = action()
        wall = time.perf_counter() - start
        return wall, time.process_time() - cpu, result
    finally:
        gc.enable()


def best_of(runs: int, action: Callable[[], T]) -> tuple[Timing, T]:
    """Run ``action`` ``runs`` times (collector on); the timings, the last result."""
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        wall, cpu, result = timed(action, disable_gc=False)
        walls.append(wall)
        cpus.append(cpu)
    return Timing(tuple(walls), tuple(cpus)), result


def interleaved(
    runs: int, loops: dict[str, Callable[[], Decimal]]
) -> tuple[dict[str, Timing], dict[str, Decimal]]:
    """Run every loop once per round, ``runs`` rounds, collector off.

    Interleaving spreads the load of a shared machine over every loop alike, so
    the ratios between them stay meaningful even when the absolute times move.
    """
    walls: dict[str, list[float]] = {name: [] for name in loops}
    cpus: dict[str, list[float]] = {name: [] for name in loops}
    totals: dict[str, Decimal] = {}
    for round_number in range(1, runs + 1):
        for name, loop in loops.items():
            wall, cpu, totals[name] = timed(loop, disable_gc=True)
            walls[name].append(wall)
            cpus[name].append(cpu)
        print(
            f"  round {round_number}: "
            + ", ".join(
                f"{name} {walls[name][-1]:.3f} s (cpu {cpus[name][-1]:.3f})"
                for name in loops
            )
        )
    timings = {name: Timing(tuple(walls[name]), tuple(cpus[name])) for name in loops}
    return timings, totals


def build_index(catalogue: Catalogue) -> PricingIndex:
    return PricingIndex(
        catalogue.price_lists,
        client_groups=catalogue.client_groups,
        discount_groups=catalogue.discount_groups,
        products=catalogue.products,
    )


@dataclass(frozen=True)
class Memory:
    """tracemalloc figures, in MB."""

    catalogue: float
    build_peak: float
    index_retained: float


def measure_memory(scenario: Scenario, seed: int) -> Memory:
    """Trace a fresh catalogue, then the index build over it (peak above it)."""
    gc.collect()
    tracemalloc.start()
    try:
        catalogue, _ = build_catalogue(scenario, seed)
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        index = build_index(catalogue)
        after, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del index
    mb = 1024 * 1024
    return Memory(before / mb, (peak - before) / mb, (after - before) / mb)


# -- the loops --------------------------------------------------------------


def kamcore_loop(index: PricingIndex, lines: Sequence[Line]) -> Decimal:
    """Resolve every line and sum the line totals."""
    resolve = index.resolve
    grand_total = Decimal(0)
    for client, product, quantity, on in lines:
        unit = resolve(client, product, quantity, on).unit_price.amount
        grand_total += (unit * quantity).quantize(CENT, ROUND_HALF_UP)
    return grand_total


def kamcore_explain_loop(index: PricingIndex, lines: Sequence[Line]) -> Decimal:
    """As :func:`kamcore_loop`, also materialising every line's explanation."""
    resolve = index.resolve
    grand_total = Decimal(0)
    for client, product, quantity, on in lines:
        resolved = resolve(client, product, quantity, on)
        resolved.explain()
        unit = resolved.unit_price.amount
        grand_total += (unit * quantity).quantize(CENT, ROUND_HALF_UP)
    return grand_total


def floor_loop(prices: dict[ProductId, Decimal], lines: Sequence[Line]) -> Decimal:
    """The least any pricing can cost: a dict lookup, a multiply, a quantize."""
    grand_total = Decimal(0)
    for _, product, quantity, _ in lines:
        grand_total += (prices[product] * quantity).quantize(CENT, ROUND_HALF_UP)
    return grand_total


# -- the ERP-style SQLite baseline --------------------------------------------

SCHEMA = """
CREATE TABLE products (id TEXT PRIMARY KEY, category TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE price_lists (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, currency TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX price_lists_by_kind ON price_lists (kind, currency);
CREATE TABLE price_items (
    list_id TEXT NOT NULL, product_id TEXT NOT NULL, min_quantity INTEGER NOT NULL,
    valid_from TEXT NOT NULL, valid_to TEXT NOT NULL,
    unit_price TEXT NOT NULL, discountable INTEGER
);
CREATE INDEX price_items_lookup
    ON price_items (list_id, product_id, min_quantity DESC);
CREATE TABLE client_groups (
    id TEXT PRIMARY KEY, priority INTEGER NOT NULL, price_list TEXT
) WITHOUT ROWID;
CREATE TABLE clients (
    id TEXT PRIMARY KEY, currency TEXT NOT NULL,
    price_list TEXT, discount_group TEXT
) WITHOUT ROWID;
CREATE TABLE client_group_members (
    client_id TEXT NOT NULL, group_id TEXT NOT NULL,
    PRIMARY KEY (client_id, group_id)
) WITHOUT ROWID;
CREATE TABLE discount_rules (
    group_id TEXT NOT NULL, scope INTEGER NOT NULL, target TEXT NOT NULL,
    min_quantity INTEGER NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT NOT NULL,
    percentage TEXT NOT NULL
);
CREATE INDEX discount_rules_lookup
    ON discount_rules (group_id, scope, target, min_quantity DESC);
"""

CLIENT_PRICE = """
SELECT i.unit_price, coalesce(i.discountable, 0)
FROM clients c JOIN price_items i ON i.list_id = c.price_list
WHERE c.id = ? AND i.product_id = ? AND i.min_quantity <= ?
  AND i.valid_from <= ?4 AND i.valid_to >= ?4
ORDER BY i.min_quantity DESC LIMIT 1
"""

GROUP_PRICE = """
SELECT i.unit_price, coalesce(i.discountable, 1)
FROM client_group_members m
JOIN client_groups g ON g.id = m.group_id
JOIN price_items i ON i.list_id = g.price_list
WHERE m.client_id = ? AND i.product_id = ? AND i.min_quantity <= ?
  AND i.valid_from <= ?4 AND i.valid_to >= ?4
ORDER BY g.priority DESC, i.min_quantity DESC LIMIT 1
"""

BASE_PRICE = """
SELECT i.unit_price, coalesce(i.discountable, 1)
FROM clients c
JOIN price_lists l ON l.kind = 'base' AND l.currency = c.currency
JOIN price_items i ON i.list_id = l.id
WHERE c.id = ? AND i.product_id = ? AND i.min_quantity <= ?
  AND i.valid_from <= ?4 AND i.valid_to >= ?4
ORDER BY i.min_quantity DESC LIMIT 1
"""

DISCOUNT = """
SELECT r.percentage
FROM clients c JOIN discount_rules r ON r.group_id = c.discount_group
WHERE c.id = ?1
  AND ((r.scope = 0 AND r.target = ?2)
       OR (r.scope = 1 AND r.target = (SELECT category FROM products WHERE id = ?2))
       OR (r.scope = 2 AND r.target = ''))
  AND r.min_quantity <= ?3 AND r.valid_from <= ?4 AND r.valid_to >= ?4
ORDER BY r.scope, r.min_quantity DESC LIMIT 1
"""

SCOPE_RANK = {DiscountScope.PRODUCT: 0, DiscountScope.CATEGORY: 1, DiscountScope.ALL: 2}


def iso(day: dt.date | None, default: dt.date) -> str:
    return (day or default).isoformat()


def derive(derivation: Derivation, source_price: Decimal) -> Decimal:
    """A derived price, computed the ERP way to be stored as a fixed price."""
    adjusted = source_price * (100 + derivation.adjustment.value) / 100
    adjusted += derivation.surcharge
    step = derivation.rounding_step
    if step is None:
        return adjusted
    return (adjusted / step).quantize(Decimal(1), ROUND_HALF_UP) * step


def item_rows(
    catalogue: Catalogue, fixed: dict[PriceListId, dict[ProductId, Decimal]]
) -> Iterable[tuple[str, str, int, str, str, str, int | None]]:
    """Every price item as a row; derived ones priced from their (fixed) source."""
    for price_list in catalogue.price_lists:
        for item in price_list.items:
            if item.unit_price is not None:
                price = item.unit_price.amount
            else:
                assert item.derived is not None
                source = fixed[item.derived.source][item.product]
                price = derive(item.derived, source)
            yield (
                price_list.id,
                item.product,
                int(item.min_quantity),
                iso(item.valid_from, OPEN_START),
                iso(item.valid_to, OPEN_END),
                str(price),
                None if item.discountable is None else int(item.discountable),
            )


def fixed_prices(catalogue: Catalogue) -> dict[PriceListId, dict[ProductId, Decimal]]:
    """The base lists' prices, per product.

    This scenario derives only from the base list, whose items are fixed, open
    and from quantity 0: one price per product, so pre-computing is exact.
    """
    prices: dict[PriceListId, dict[ProductId, Decimal]] = {}
    for price_list in catalogue.price_lists:
        if price_list.kind is not PriceListKind.BASE:
            continue
        by_product = prices.setdefault(price_list.id, {})
        for item in price_list.items:
            price = item.unit_price
            windowed = item.valid_from is not None or item.valid_to is not None
            if (
                price is None
                or item.min_quantity
                or windowed
                or (item.product in by_product)
            ):
                raise ValueError(f"cannot pre-compute from {price_list.id}: {item}")
            by_product[item.product] = price.amount
    return prices


def rule_rows(
    catalogue: Catalogue,
) -> Iterable[tuple[str, int, str, int, str, str, str]]:
    for group in catalogue.discount_groups:
        for rule in group.rules:
            yield (
                group.id,
                SCOPE_RANK[rule.scope],
                rule.target or "",
                int(rule.min_quantity),
                iso(rule.valid_from, OPEN_START),
                iso(rule.valid_to, OPEN_END),
                str(rule.percentage.value),
            )


def load_sqlite(catalogue: Catalogue) -> sqlite3.Connection:
    """An in-memory database holding the whole catalogue, indexed."""
    db = sqlite3.connect(":memory:")
    db.executescript(SCHEMA)
    db.executemany(
        "INSERT INTO products VALUES (?, ?)",
        ((p.id, p.category) for p in catalogue.products),
    )
    db.executemany(
        "INSERT INTO price_lists VALUES (?, ?, ?)",
        ((pl.id, pl.kind.value, pl.currency) for pl in catalogue.price_lists),
    )
    db.executemany(
        "INSERT INTO price_items VALUES (?, ?, ?, ?, ?, ?, ?)",
        item_rows(catalogue, fixed_prices(catalogue)),
    )
    db.executemany(
        "INSERT INTO client_groups VALUES (?, ?, ?)",
        ((g.id, g.priority, g.price_list) for g in catalogue.client_groups),
    )
    db.executemany(
        "INSERT INTO clients VALUES (?, ?, ?, ?)",
        ((c.id, c.currency, c.price_list, c.discount_group) for c in catalogue.clients),
    )
    db.executemany(
        "INSERT INTO client_group_members VALUES (?, ?)",
        ((c.id, g) for c in catalogue.clients for g in c.groups),
    )
    db.executemany(
        "INSERT INTO discount_rules VALUES (?, ?, ?, ?, ?, ?, ?)", rule_rows(catalogue)
    )
    db.commit()
    db.execute("ANALYZE")
    return db


def sqlite_unit_price(db: sqlite3.Cursor, params: SqlLine) -> Decimal:
    """One line, the ERP way: client list, else groups, else base; then discount."""
    row = db.execute(CLIENT_PRICE, params).fetchone()
    if row is None:
        row = db.execute(GROUP_PRICE, params).fetchone()
        if row is None:
            row = db.execute(BASE_PRICE, params).fetchone()
            if row is None:
                raise LookupError(f"no price for {params}")
    price = Decimal(row[0])
    if row[1]:
        rule = db.execute(DISCOUNT, params).fetchone()
        if rule is not None:
            price = price * (1 - Decimal(rule[0]).scaleb(-2))
    return price.quantize(UNIT_QUANTUM, ROUND_HALF_UP)


def sqlite_loop(db: sqlite3.Cursor, lines: Sequence[SqlLine]) -> Decimal:
    """Price every line with SQL queries and sum the line totals."""
    grand_total = Decimal(0)
    for params in lines:
        unit = sqlite_unit_price(db, params)
        grand_total += (unit * params[2]).quantize(CENT, ROUND_HALF_UP)
    return grand_total


def sql_lines(lines: Iterable[Line]) -> list[SqlLine]:
    return [
        (line.client.id, line.product, int(line.quantity), line.on.isoformat())
        for line in lines
    ]


def query_plans(db: sqlite3.Connection) -> list[str]:
    """The plan of each per-line query (to show that the indexes are used)."""
    params = ("K0000", "P00000", 1, "2026-01-01")
    plans = []
    for name, sql in [
        ("client", CLIENT_PRICE),
        ("group", GROUP_PRICE),
        ("base", BASE_PRICE),
        ("discount", DISCOUNT),
    ]:
        steps = db.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        plans.append(f"  {name}: " + " | ".join(str(step[3]) for step in steps))
    return plans


# -- cross-check ------------------------------------------------------------


def cross_check(
    index: PricingIndex,
    db: sqlite3.Cursor,
    lines: Sequence[Line],
    sample_size: int,
) -> Counter[str]:
    """Assert that SQLite and kamcore give the same unit price on a sample.

    Returns which paths the sample exercised.
    """
    stride = max(1, len(lines) // sample_size)
    sample = lines[::stride][:sample_size]
    paths: Counter[str] = Counter()
    mismatches: list[str] = []
    for line, params in zip(sample, sql_lines(sample), strict=True):
        resolved = index.resolve(*line)
        expected = sqlite_unit_price(db, params)
        if resolved.unit_price.amount != expected:
            mismatches.append(
                f"{params}: kamcore {resolved.unit_price.amount}, sqlite {expected}"
                f"\n{resolved.explain()}"
            )
        paths[f"won by a {resolved.source_kind.value} list"] += 1
        paths["discounted" if resolved.discount is not None else "not discounted"] += 1
        outcomes = {c.outcome for c in resolved.explain().candidates}
        if CandidateOutcome.SAME_PRICE_TIE in outcomes:
            paths["equal-priority tie"] += 1
        if CandidateOutcome.SMALLER_BREAK in outcomes:
            paths["quantity break"] += 1
        if outcomes & {CandidateOutcome.NOT_YET_VALID, CandidateOutcome.EXPIRED}:
            paths["item out of its window"] += 1
    paths["lines checked"] = len(sample)
    assert not mismatches, f"{len(mismatches)} mismatches:\n" + "\n".join(
        mismatches[:5]
    )
    return paths


# -- profiling --------------------------------------------------------------


def profile_resolve(index: PricingIndex, lines: Sequence[Line], top: int = 20) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(kamcore_loop, index, lines)
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)


# -- report -----------------------------------------------------------------


def runs_text(timing: Timing) -> str:
    runs = ", ".join(f"{seconds:.3f}" for seconds in timing.runs)
    return f"runs {runs} s; worst {timing.spread:.0%} above best"


TABLE_HEADER = (
    f"  {'':<27}{'lines/s':>10} {'us/line':>9} {'cpu us/line':>12}"
    "  wall runs (s), worst vs best"
)


def row(label: str, count: int, timing: Timing) -> str:
    per_second = count / timing.best
    per_line = timing.best / count * 1e6
    cpu_per_line = timing.best_cpu / count * 1e6
    runs = ", ".join(f"{seconds:.3f}" for seconds in timing.runs)
    return (
        f"  {label:<27}{per_second:>10,.0f} {per_line:>9.2f} {cpu_per_line:>12.2f}"
        f"  {runs}, +{timing.spread:.0%}"
    )


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def print_header(scenario: Scenario, seed: int) -> None:
    affinity = (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    )
    print("kamcore pricing benchmark")
    print(
        f"  Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.platform()}"
    )
    print(f"  cores: {os.cpu_count()} (usable by this process: {affinity})")
    print(f"  seed {seed}; {scenario}")


def print_catalogue(catalogue: Catalogue, elapsed: float) -> None:
    items = Counter[str]()
    for price_list in catalogue.price_lists:
        items[price_list.kind.value] += len(price_list.items)
    rules = sum(len(group.rules) for group in catalogue.discount_groups)
    print(
        f"catalogue: {len(catalogue.products):,} products, "
        f"{len(catalogue.price_lists):,} lists "
        f"(items: {', '.join(f'{k} {v:,}' for k, v in items.items())}), "
        f"{len(catalogue.client_groups)} client groups, "
        f"{len(catalogue.discount_groups)} discount groups ({rules:,} rules), "
        f"{len(catalogue.clients):,} clients; built in {elapsed:.1f} s"
    )


def print_summary(
    lines: int, build: Timing, memory: Memory, timings: dict[str, Timing]
) -> None:
    kamcore, explain = timings[KAMCORE], timings[EXPLAIN]
    floor_ratio = kamcore.best / timings[FLOOR].best
    speed_up = timings[SQLITE].best / kamcore.best
    together = memory.catalogue + memory.build_peak
    print()
    print(f"summary ({lines:,} lines, best of {len(kamcore.runs)})")
    print(TABLE_HEADER)
    for name, timing in timings.items():
        print(row(name, lines, timing))
    print(f"  index build: {build.best:.3f} s best ({runs_text(build)})")
    print(
        f"  index build peak: {memory.build_peak:.1f} MB above the catalogue "
        f"(retained {memory.index_retained:.1f} MB; the catalogue itself "
        f"{memory.catalogue:.1f} MB; together {together:.1f} MB)"
        f"   target < {TARGET_PEAK_MB:.0f} MB: "
        f"{verdict(memory.build_peak < TARGET_PEAK_MB)}"
    )
    print(
        f"  kamcore / floor time ratio: {floor_ratio:.1f}x"
        f"   target <= {TARGET_FLOOR_RATIO:.0f}x: "
        f"{verdict(floor_ratio <= TARGET_FLOOR_RATIO)}"
    )
    print(
        f"  sqlite / kamcore speed-up: {speed_up:.1f}x"
        f"   target >= {TARGET_SQLITE_SPEEDUP:.0f}x: "
        f"{verdict(speed_up >= TARGET_SQLITE_SPEEDUP)}"
    )
    print(
        "  the same ratios on CPU time (less sensitive to a shared machine): "
        f"kamcore / floor {kamcore.best_cpu / timings[FLOOR].best_cpu:.1f}x, "
        f"sqlite / kamcore {timings[SQLITE].best_cpu / kamcore.best_cpu:.1f}x"
    )
    print(
        f"  explanations: resolve + explain takes {explain.best / kamcore.best:.1f}x "
        "the resolve loop (computed on demand, by design)"
    )


# -- main -------------------------------------------------------------------


def time_documents(
    index: PricingIndex, documents: Sequence[Document], runs: int
) -> dict[str, Timing]:
    """Time fifty resolves a document against pricing the documents."""
    lines = len(documents) * DOCUMENT_LINES
    print(
        f"\ntiming {len(documents):,} documents of {DOCUMENT_LINES} lines, "
        f"{runs} interleaved rounds (collector off):"
    )
    timings, totals = interleaved(
        runs,
        {
            RESOLVES: lambda: resolve_loop(index, documents),
            DOCUMENTS: lambda: document_loop(index, documents, explain=False),
            EXPLAINED: lambda: document_loop(index, documents, explain=True),
        },
    )
    assert totals[RESOLVES] == lines, totals
    expected = resolved_total(index, documents)
    assert totals[DOCUMENTS] == totals[EXPLAINED] == expected, (totals, expected)
    print(f"document totals == resolve line totals: {expected} {CURRENCY}")
    return timings


def with_lists(catalogue: Catalogue, lists: list[PriceList]) -> Catalogue:
    """The catalogue with other price lists."""
    return Catalogue(
        catalogue.products,
        lists,
        catalogue.client_groups,
        catalogue.discount_groups,
        catalogue.clients,
    )


def print_service_summary(
    count: int,
    build: Timing,
    timings: dict[str, Timing],
    refreshes: Refreshes,
) -> None:
    lines = count * DOCUMENT_LINES
    resolves = timings[RESOLVES]
    print()
    print(f"a quote service ({count:,} documents of {DOCUMENT_LINES} lines)")
    print(TABLE_HEADER)
    for name, timing in timings.items():
        print(row(name, lines, timing))
    ratio = timings[DOCUMENTS].best / resolves.best
    print(
        f"  document / fifty resolves: {ratio:.2f}x"
        f"   target <= {TARGET_DOCUMENT_RATIO}x: "
        f"{verdict(ratio <= TARGET_DOCUMENT_RATIO)}; with explanations "
        f"{timings[EXPLAINED].best / resolves.best:.1f}x"
    )
    print(
        f"  index build: {build.best:.3f} s   target <= {TARGET_BUILD_S:.0f} s: "
        f"{verdict(build.best <= TARGET_BUILD_S)}"
    )
    print(
        f"  one client list refreshed: median {refreshes.median_ms:.1f} ms, worst "
        f"{refreshes.worst_ms:.1f} ms over {len(refreshes.seconds)} lists "
        f"(collector on)   target <= {TARGET_REFRESH_MS:.0f} ms: "
        f"{verdict(refreshes.median_ms <= TARGET_REFRESH_MS)}; "
        f"{refreshes.lines_checked:,} lines equal to a full rebuild"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument(
        "--lines", type=int, default=Scenario.lines, help="lines to price"
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed")
    parser.add_argument(
        "--runs", type=int, default=3, help="runs per timing (best kept)"
    )
    parser.add_argument("--sample", type=int, default=2_000, help="lines cross-checked")
    parser.add_argument(
        "--profile", action="store_true", help="also cProfile the resolve loop"
    )
    return parser.parse_args(argv)


def open_sqlite(catalogue: Catalogue) -> sqlite3.Connection:
    start = time.perf_counter()
    db = load_sqlite(catalogue)
    print(f"sqlite loaded in {time.perf_counter() - start:.1f} s; query plans:")
    print("\n".join(query_plans(db)))
    return db


def time_loops(
    index: PricingIndex,
    cursor: sqlite3.Cursor,
    catalogue: Catalogue,
    lines: list[Line],
    runs: int,
) -> dict[str, Timing]:
    """Time the four loops; their grand totals must agree (floor aside)."""
    prices = fixed_prices(catalogue)[BASE_LIST]
    params = sql_lines(lines)
    print(f"timing the loops, {runs} interleaved rounds (collector off):")
    timings, totals = interleaved(
        runs,
        {
            KAMCORE: lambda: kamcore_loop(index, lines),
            EXPLAIN: lambda: kamcore_explain_loop(index, lines),
            FLOOR: lambda: floor_loop(prices, lines),
            SQLITE: lambda: sqlite_loop(cursor, params),
        },
    )
    assert totals[KAMCORE] == totals[EXPLAIN] == totals[SQLITE], totals
    print(
        f"grand total over every line, kamcore == sqlite: {totals[KAMCORE]} {CURRENCY}"
    )
    return timings


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    scenario = Scenario(lines=args.lines)
    runs: int = args.runs
    print_header(scenario, args.seed)

    start = time.perf_counter()
    catalogue, assortments = build_catalogue(scenario, args.seed)
    print_catalogue(catalogue, time.perf_counter() - start)
    lines = make_lines(scenario, catalogue, assortments, args.seed)
    print(f"lines: {len(lines):,}")

    memory = measure_memory(scenario, args.seed)
    build, index = best_of(runs, lambda: build_index(catalogue))
    print(f"index built: best {build.best:.3f} s; peak {memory.build_peak:.1f} MB")

    db = open_sqlite(catalogue)
    cursor = db.cursor()
    paths = cross_check(index, cursor, lines, args.sample)
    print(
        "cross-check sqlite == kamcore on the sample: ok; paths exercised: "
        + ", ".join(f"{k} {v}" for k, v in sorted(paths.items()))
    )
    timings = time_loops(index, cursor, catalogue, lines, runs)
    print_summary(len(lines), build, memory, timings)
    documents = documents_of(lines)
    document_timings = time_documents(index, documents, runs)
    refreshes = time_refreshes(
        index,
        catalogue.price_lists,
        lambda lists: build_index(with_lists(catalogue, lists)),
        lines,
        count=REFRESHES,
        seed=args.seed,
    )
    print_service_summary(len(documents), build, document_timings, refreshes)
    if args.profile:
        print("\ncProfile of the kamcore resolve loop (top 20 by own time):")
        profile_resolve(index, lines)
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
