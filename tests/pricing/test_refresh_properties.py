"""A refreshed index answers exactly as an index built from its catalogue.

``PricingIndex.refreshed`` updates the tables of the lists a change reaches
instead of building them all again; these properties hold it to the rebuild on
random catalogues and random changes: every price, every winning item, every
error, before and after the old index has merged equal-priority levels.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from catalogue_strategies import (
    CATEGORIES,
    PRODUCTS,
    START,
    Catalogue,
    build,
    catalogues,
    fast_outcome,
    general_outcome,
    items,
    tangled_catalogues,
)
from hypothesis import given
from hypothesis import strategies as st

from kamcore.accounts import Client, ClientGroup, Product
from kamcore.errors import KamcoreError, ValidationError
from kamcore.kernel import (
    CategoryId,
    ClientGroupId,
    ClientId,
    DiscountGroupId,
    Money,
    PriceListId,
    ProductId,
)
from kamcore.pricing import (
    PriceItem,
    PriceList,
    PriceListKind,
    PricingIndex,
)

QUANTITIES = (Decimal(1), Decimal(5), Decimal(10))
DAYS = (START, START + dt.timedelta(days=40))
GROUP_IDS = [ClientGroupId(f"group-{i}") for i in range(3)]


@attrs.frozen
class Change:
    """What ``refreshed`` is given."""

    lists: tuple[PriceList, ...] = ()
    groups: tuple[ClientGroup, ...] = ()
    removed_lists: tuple[PriceListId, ...] = ()
    removed_groups: tuple[ClientGroupId, ...] = ()

    def apply(self, index: PricingIndex) -> PricingIndex:
        return index.refreshed(
            price_lists=self.lists,
            client_groups=self.groups,
            removed_price_lists=self.removed_lists,
            removed_client_groups=self.removed_groups,
        )

    def catalogue(self, catalogue: Catalogue) -> Catalogue:
        """The catalogue after the change, as a rebuild is given it."""
        given = {price_list.id for price_list in self.lists}
        lists = tuple(
            price_list
            for price_list in catalogue.lists
            if price_list.id not in given and price_list.id not in self.removed_lists
        )
        named = {group.id for group in self.groups}
        groups = tuple(
            group
            for group in catalogue.groups
            if group.id not in named and group.id not in self.removed_groups
        )
        return attrs.evolve(
            catalogue,
            lists=(*lists, *self.lists),
            groups=(*groups, *self.groups),
        )


@st.composite
def changes(draw: st.DrawFn, catalogue: Catalogue) -> Change:
    """Lists edited, added or removed; groups moved, added or removed."""
    present = [price_list.id for price_list in catalogue.lists]
    edited = draw(st.lists(st.sampled_from(present), unique=True, max_size=2))
    new_lists = [
        attrs.evolve(
            next(p for p in catalogue.lists if p.id == list_id),
            items=draw(items(None if list_id == "base" else PriceListId("base"))),
        )
        for list_id in edited
    ]
    if draw(st.booleans()):
        new_lists.append(
            PriceList(
                id=PriceListId("g9"),
                name="g9",
                currency="EUR",
                kind=PriceListKind.GROUP,
                items=draw(
                    items(
                        PriceListId(
                            draw(st.sampled_from([i for i in present if i != "g9"]))
                        )
                    )
                ),
            )
        )
    given = {price_list.id for price_list in new_lists}
    removable = [list_id for list_id in present if list_id not in given]
    removed = (
        draw(st.lists(st.sampled_from(removable), unique=True, max_size=1))
        if removable
        else []
    )
    lists_now = [*present, *(p.id for p in new_lists)]
    group_ids = [group.id for group in catalogue.groups]
    moved = [
        ClientGroup(
            id=group_id,
            name=str(group_id),
            priority=draw(st.integers(0, 2)),
            price_list=draw(st.sampled_from(lists_now)),
        )
        for group_id in draw(
            st.lists(st.sampled_from(GROUP_IDS), unique=True, max_size=2)
        )
    ]
    gone_groups = draw(
        st.lists(
            st.sampled_from(group_ids or [ClientGroupId("none")]),
            unique=True,
            max_size=1,
        ).filter(
            lambda drawn: (
                all(g in group_ids for g in drawn)
                and not {g.id for g in moved}.intersection(drawn)
            )
        )
    )
    return Change(
        lists=tuple(new_lists),
        groups=tuple(moved),
        removed_lists=tuple(PriceListId(r) for r in removed),
        removed_groups=tuple(gone_groups),
    )


def answers(index: PricingIndex, catalogue: Catalogue) -> list[object]:
    """Every product, quantity and day, for the client and each group subset
    (both paths: the fast one and the traced general one)."""
    found: list[object] = []
    clients = [
        catalogue.client,
        attrs.evolve(catalogue.client, groups=frozenset(GROUP_IDS)),
    ]
    for client in clients:
        for product in PRODUCTS:
            for quantity in QUANTITIES:
                for on in DAYS:
                    found.append(fast_outcome(index, client, product, quantity, on))
                    found.append(general_outcome(index, client, product, quantity, on))
    return found


def refreshed_or_error(index: PricingIndex, change: Change) -> object:
    try:
        return change.apply(index)
    except KamcoreError as error:
        return (type(error).__name__, str(error))


def rebuilt_or_error(catalogue: Catalogue) -> object:
    try:
        return build(catalogue)
    except KamcoreError as error:
        return (type(error).__name__, str(error))


def check_refresh(catalogue: Catalogue, change: Change, *, warm: bool) -> None:
    old = build(catalogue)
    before = answers(old, catalogue) if warm else None
    refreshed = refreshed_or_error(old, change)
    rebuilt = rebuilt_or_error(change.catalogue(catalogue))
    if not isinstance(rebuilt, PricingIndex):
        assert refreshed == rebuilt
        return
    assert isinstance(refreshed, PricingIndex), refreshed
    assert answers(refreshed, catalogue) == answers(rebuilt, catalogue)
    if before is not None:  # the old index answers on as before
        assert answers(old, catalogue) == before


@given(st.data())
def test_a_refreshed_index_answers_as_a_rebuild(data: st.DataObject) -> None:
    catalogue = data.draw(catalogues())
    change = data.draw(changes(catalogue))
    check_refresh(catalogue, change, warm=data.draw(st.booleans()))


@given(st.data())
def test_a_refreshed_tangled_index_answers_as_a_rebuild(data: st.DataObject) -> None:
    # Equal priorities merged into the records before the change (warm) or
    # after it; groups sharing lists; unknown discount groups.
    catalogue = data.draw(tangled_catalogues())
    change = data.draw(changes(catalogue))
    check_refresh(catalogue, change, warm=data.draw(st.booleans()))


@given(st.data())
def test_refreshing_twice_answers_as_one_rebuild(data: st.DataObject) -> None:
    catalogue = data.draw(tangled_catalogues())
    first = data.draw(changes(catalogue))
    middle = first.catalogue(catalogue)
    if not isinstance(rebuilt_or_error(middle), PricingIndex):
        return
    second = data.draw(changes(middle))
    index = first.apply(build(catalogue))
    answers(index, catalogue)  # merges levels into the refreshed records
    check_refresh(middle, second, warm=True)
    refreshed = refreshed_or_error(index, second)
    rebuilt = rebuilt_or_error(second.catalogue(middle))
    if isinstance(rebuilt, PricingIndex):
        assert isinstance(refreshed, PricingIndex)
        assert answers(refreshed, catalogue) == answers(rebuilt, catalogue)
    else:
        assert refreshed == rebuilt


# -- examples -----------------------------------------------------------------


def small_index() -> PricingIndex:
    base = PriceList(
        id=PriceListId("base"),
        name="Base",
        currency="EUR",
        kind=PriceListKind.BASE,
        items=(PriceItem(product=PRODUCTS[0], unit_price=Money("10.00", "EUR")),),
    )
    return PricingIndex(
        [base],
        products=[Product(id=p, name=str(p), category=CATEGORIES[p]) for p in PRODUCTS],
    )


def test_a_list_edited_prices_the_new_price_and_the_old_index_the_old() -> None:
    index = small_index()
    base = index.price_list(PriceListId("base"))
    assert base is not None
    cheaper = attrs.evolve(
        base,
        items=(PriceItem(product=PRODUCTS[0], unit_price=Money("9.50", "EUR")),),
    )
    acme = Client(id=ClientId("acme"), name="ACME", currency="EUR", locale="en_GB")
    new = index.refreshed(price_lists=[cheaper])
    on = dt.date(2026, 3, 2)
    assert new.resolve(acme, PRODUCTS[0], Decimal(1), on).unit_price == Money(
        "9.5000", "EUR"
    )
    assert index.resolve(acme, PRODUCTS[0], Decimal(1), on).unit_price == Money(
        "10.0000", "EUR"
    )
    assert new.price_list(PriceListId("base")) == cheaper


def test_nothing_to_remove_or_both_given_and_removed_is_refused_by_name() -> None:
    index = small_index()
    base = index.price_list(PriceListId("base"))
    assert base is not None
    with pytest.raises(ValidationError) as caught:
        index.refreshed(
            price_lists=[base],
            removed_price_lists=[PriceListId("base"), PriceListId("ghost")],
            removed_discount_groups=[DiscountGroupId("dg")],
            removed_products="p0",  # type: ignore[arg-type]
        )
    message = str(caught.value)
    assert "is both given and removed @ removed_price_lists[0]" in message
    assert (
        "the index has nothing with this id to remove @ removed_price_lists[1]"
        in message
    )
    assert (
        "the index has nothing with this id to remove @ removed_discount_groups[0]"
        in message
    )
    assert "expected an iterable of ids, got str @ removed_products" in message


def test_products_need_an_index_built_with_a_catalogue() -> None:
    index = PricingIndex([])
    with pytest.raises(ValidationError, match="built without a catalogue"):
        index.refreshed(
            products=[Product(id=ProductId("p9"), name="p9", category=CategoryId("c"))]
        )


def test_a_refresh_that_would_conflict_raises_what_a_rebuild_raises() -> None:
    index = small_index()
    second_base = PriceList(
        id=PriceListId("base-2"), name="Base 2", currency="EUR", kind=PriceListKind.BASE
    )
    with pytest.raises(KamcoreError) as refreshed:
        index.refreshed(price_lists=[second_base])
    base = index.price_list(PriceListId("base"))
    assert base is not None
    with pytest.raises(KamcoreError) as rebuilt:
        PricingIndex(
            [base, second_base],
            products=[
                Product(id=p, name=str(p), category=CATEGORIES[p]) for p in PRODUCTS
            ],
        )
    assert str(refreshed.value) == str(rebuilt.value)
    assert "two base lists in EUR" in str(refreshed.value)
