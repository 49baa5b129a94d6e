"""Groups of equal priority: compared on the net price the client would pay.

Two groups of one priority that give different net prices for a line are a
configuration conflict naming both items, whichever group's id sorts first. The
same net price is no conflict, even from different list prices; the winning
item is then the one of the first list by list id, so that renaming or
reordering groups never changes a price or its explanation.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import attrs
import pytest
from catalogue_strategies import (
    DAYS,
    PRODUCTS,
    TIED_PRIORITY,
    Catalogue,
    build,
    equal_priority_catalogues,
)
from hypothesis import given
from hypothesis import strategies as st
from pricing_samples import (
    DACH,
    DAY,
    IN_BOTH_GROUPS,
    NORDICS,
    VALVE,
    VOLUME,
    base,
    client,
    discounts,
    group,
    group_list,
    index,
    item,
    rule,
)

from kamcore.accounts import CandidateOutcome, Client
from kamcore.errors import KamcoreError
from kamcore.kernel import ClientGroupId, PriceListId, ProductId
from kamcore.pricing import (
    DiscountScope,
    PricingConfigurationError,
    PricingIndex,
    ResolvedPrice,
)
from kamcore.pricing._trace import Trace

TIED = [group("g-dach", 10, DACH), group("g-nordics", 10, NORDICS)]
FIVE_OFF = discounts(rule(DiscountScope.ALL, None, "5"))
TIED_CLIENT = client(groups=IN_BOTH_GROUPS, discount_group=VOLUME)


def tied_index(dach_item_fields: dict[str, Any], nordics_price: str) -> PricingIndex:
    return index(
        base(item(price="12.00")),
        group_list(DACH, item(price="10.00", **dach_item_fields)),
        group_list(NORDICS, item(price=nordics_price)),
        client_groups=TIED,
        discount_groups=FIVE_OFF,
    )


# -- examples ---------------------------------------------------------------


def test_equal_list_prices_with_different_net_prices_conflict() -> None:
    idx = tied_index({"discountable": False}, "10.00")
    with pytest.raises(PricingConfigurationError) as caught:
        idx.resolve(TIED_CLIENT, VALVE, Decimal(1), DAY)
    assert caught.value.sources == ("dach.items[0]", "nordics.items[0]")
    assert caught.value.conflicts[0].detail == (
        "groups g-dach and g-nordics have the same priority and price valve at "
        "10.0000 and 9.5000 net (list prices 10.00 and 10.00) on 2026-03-15"
    )


def test_the_net_conflict_does_not_depend_on_which_group_id_sorts_first() -> None:
    renamed = [group("z-dach", 10, DACH), group("a-nordics", 10, NORDICS)]
    idx = index(
        base(item(price="12.00")),
        group_list(DACH, item(price="10.00", discountable=False)),
        group_list(NORDICS, item(price="10.00")),
        client_groups=renamed,
        discount_groups=FIVE_OFF,
    )
    who = client(
        groups=frozenset({ClientGroupId("z-dach"), ClientGroupId("a-nordics")}),
        discount_group=VOLUME,
    )
    with pytest.raises(PricingConfigurationError) as caught:
        idx.resolve(who, VALVE, Decimal(1), DAY)
    assert caught.value.sources == ("dach.items[0]", "nordics.items[0]")


def test_the_same_net_price_from_different_list_prices_is_no_conflict() -> None:
    # DACH: 10.00 less 5 % = 9.50; Nordics: 9.50 net of discounts.
    idx = index(
        base(item(price="12.00")),
        group_list(DACH, item(price="10.00")),
        group_list(NORDICS, item(price="9.50", discountable=False)),
        client_groups=TIED,
        discount_groups=FIVE_OFF,
    )
    resolved = idx.resolve(TIED_CLIENT, VALVE, Decimal(1), DAY)
    assert (resolved.unit_price.amount, resolved.source) == (
        Decimal("9.5000"),
        "dach.items[0]",
    )


def test_a_tie_at_one_net_price_goes_to_the_first_list_whatever_the_group_ids() -> None:
    renamed = [group("z-dach", 10, DACH), group("a-nordics", 10, NORDICS)]
    idx = index(
        base(item(price="12.00")),
        group_list(DACH, item(price="11.00")),
        group_list(NORDICS, item(price="11.00")),
        client_groups=renamed,
    )
    who = client(
        groups=frozenset({ClientGroupId("z-dach"), ClientGroupId("a-nordics")})
    )
    resolved = idx.resolve(who, VALVE, Decimal(1), DAY)
    assert resolved.source == "dach.items[0]"
    assert [(c.source, c.outcome) for c in resolved.explain().candidates][:2] == [
        ("dach.items[0]", CandidateOutcome.CHOSEN),
        ("nordics.items[0]", CandidateOutcome.SAME_PRICE_TIE),
    ]


# -- the class: any tied catalogue ---------------------------------------------

QUANTITIES = st.sampled_from([Decimal(1), Decimal(5), Decimal(10)])
NAMES = ["alpha", "beta", "gamma"]

Outcome = tuple[object, ...]


def result(
    resolve: ResolvedPrice | Exception,
) -> Outcome:
    """The price and its source, or the error's kind and the sources it names."""
    if isinstance(resolve, PricingConfigurationError):
        return ("conflict", resolve.sources)
    if isinstance(resolve, Exception):
        return ("error", type(resolve).__name__)
    return (str(resolve.unit_price), resolve.source)


def attempt(
    index: PricingIndex,
    client: Client,
    product: ProductId,
    quantity: Decimal,
    on: dt.date,
    *,
    general: bool = False,
) -> ResolvedPrice | KamcoreError:
    try:
        if general:
            return index.resolve_traced(client, product, quantity, on, Trace())
        return index.resolve(client, product, quantity, on)
    except KamcoreError as error:
        return error


def relabelled(catalogue: Catalogue, names: list[str]) -> Catalogue:
    """The same catalogue with every group renamed (its list kept)."""
    renames = {
        group.id: ClientGroupId(name)
        for group, name in zip(catalogue.groups, names, strict=False)
    }
    groups = tuple(attrs.evolve(g, id=renames[g.id]) for g in catalogue.groups)
    client = attrs.evolve(
        catalogue.client, groups=frozenset(renames[g] for g in catalogue.client.groups)
    )
    return attrs.evolve(catalogue, groups=groups, client=client)


@given(
    equal_priority_catalogues(),
    st.sampled_from(PRODUCTS),
    QUANTITIES,
    DAYS,
    st.tuples(st.permutations(NAMES), st.randoms()),
)
def test_renaming_or_reordering_tied_groups_never_changes_the_answer(
    catalogue: Catalogue,
    product: ProductId,
    quantity: Decimal,
    on: dt.date,
    renaming: tuple[list[str], random.Random],
) -> None:
    names, rnd = renaming
    renamed = relabelled(catalogue, names)
    shuffled = list(renamed.groups)
    rnd.shuffle(shuffled)
    renamed = attrs.evolve(renamed, groups=tuple(shuffled))
    before = build(catalogue)
    after = build(renamed)
    for general in (False, True):
        first = attempt(
            before, catalogue.client, product, quantity, on, general=general
        )
        second = attempt(after, renamed.client, product, quantity, on, general=general)
        assert result(second) == result(first)
        if isinstance(first, ResolvedPrice) and isinstance(second, ResolvedPrice):
            assert second.explain().source == first.explain().source


def alone_in(catalogue: Catalogue, group_id: ClientGroupId) -> Client:
    return attrs.evolve(catalogue.client, groups=frozenset({group_id}))


@given(equal_priority_catalogues(), st.sampled_from(PRODUCTS), QUANTITIES, DAYS)
def test_tied_groups_give_one_net_price_or_a_conflict_naming_two_that_differ(
    catalogue: Catalogue, product: ProductId, quantity: Decimal, on: dt.date
) -> None:
    index = build(catalogue)
    # What each group's list alone gives the client: its net unit price.
    alone: dict[str, str] = {}
    for tied in catalogue.groups:
        assert tied.priority == TIED_PRIORITY
        own = attempt(index, alone_in(catalogue, tied.id), product, quantity, on)
        if isinstance(own, ResolvedPrice) and own.source.startswith(
            f"{tied.price_list}.items["
        ):
            alone[own.source] = str(own.unit_price)
    for general in (False, True):
        together = attempt(
            index, catalogue.client, product, quantity, on, general=general
        )
        if not alone:
            nobody = attrs.evolve(catalogue.client, groups=frozenset())
            assert result(together) == result(
                attempt(index, nobody, product, quantity, on)
            )
        elif len(set(alone.values())) == 1:
            first = min(alone, key=lambda source: source.split(".items[")[0])
            assert result(together) == (alone[first], first)
        else:
            assert isinstance(together, PricingConfigurationError)
            named = together.sources
            assert len(named) == 2
            assert all(source in alone for source in named)
            assert alone[str(named[0])] != alone[str(named[1])]


@given(equal_priority_catalogues(), st.sampled_from(PRODUCTS), QUANTITIES, DAYS)
def test_a_tied_level_explains_only_the_winning_items_steps(
    catalogue: Catalogue, product: ProductId, quantity: Decimal, on: dt.date
) -> None:
    index = build(catalogue)
    resolved = attempt(index, catalogue.client, product, quantity, on)
    if not isinstance(resolved, ResolvedPrice):
        return
    explanation = resolved.explain()
    listed = [s.label for s in explanation.steps if s.label.startswith("list price")]
    assert listed == [f"list price {resolved.source}"]
    chosen = [c.source for c in explanation.candidates if c.outcome.name == "CHOSEN"]
    assert chosen == [resolved.source]
    winning_list = PriceListId(resolved.source.split(".items[")[0])
    assert index.price_list(winning_list) is not None
