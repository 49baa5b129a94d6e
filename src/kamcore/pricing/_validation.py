"""Checking a set of price lists as a whole: what no list can check alone.

One rule, used twice: :func:`validate_price_lists` checks a set of lists on its
own (an import, an editor saving a list), and :class:`~kamcore.pricing.PricingIndex`
runs the same check on the lists it is built from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol, TypeVar

from kamcore.kernel import Checks, PriceListId, ProductId
from kamcore.pricing._conflicts import PricingConfigurationError, PricingConflict
from kamcore.pricing._lists import PriceList, PriceListKind

__all__ = [
    "derivation_conflicts",
    "find_cycles",
    "members",
    "price_list_conflicts",
    "unique",
    "validate_price_lists",
]


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T")
I = TypeVar("I", bound=_Identified)  # noqa: E741 - "I" for "identified"


def members(checks: Checks, path: str, values: object, kind: type[T]) -> tuple[T, ...]:
    """``values`` as a tuple, each of them checked to be a ``kind``.

    Records one error at ``path`` for something that is not iterable (a
    string counts as one value, not as characters), and one per member of
    another kind at ``path[i]``.
    """
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        checks.fail(
            path,
            f"expected an iterable of {kind.__name__}, got {type(values).__name__}",
            values,
        )
        return ()
    given = tuple(values)
    checks.each(path, given, kind)
    return tuple(value for value in given if isinstance(value, kind))


def unique(
    what: str, values: Sequence[I]
) -> tuple[dict[str, I], list[PricingConflict]]:
    """``values`` by id, and a conflict for every id given to different values.

    The same value given twice is one value; two different values under one
    id would make one of them silently lost.
    """
    by_id: dict[str, I] = {}
    positions: dict[str, list[int]] = {}
    for position, value in enumerate(values):
        by_id.setdefault(value.id, value)
        positions.setdefault(value.id, []).append(position)
    conflicts = [
        PricingConflict(
            detail=(
                f"{len(at)} {what} have the id {value_id} and differ "
                f"(at {', '.join(map(str, at))})"
            ),
            sources=(value_id,),
        )
        for value_id, at in positions.items()
        if any(values[i] != by_id[value_id] for i in at)
    ]
    return by_id, conflicts


def price_list_conflicts(
    lists: Sequence[PriceList],
) -> tuple[dict[PriceListId, PriceList], list[PricingConflict]]:
    """The lists by id and every problem of the set, in list-id order.

    Two different lists with one id; each list's own overlapping items; two
    base lists in one currency; a derived item whose source list is not in the
    set, or in another currency; derivation cycles (per product).
    """
    by_id, conflicts = unique("price lists", lists)
    listed = {PriceListId(list_id): price_list for list_id, price_list in by_id.items()}
    base_by_currency: dict[str, PriceListId] = {}
    for list_id in sorted(listed):
        price_list = listed[list_id]
        conflicts.extend(price_list.conflicts())
        if price_list.kind is PriceListKind.BASE:
            other = base_by_currency.setdefault(price_list.currency, list_id)
            if other != list_id:
                conflicts.append(
                    PricingConflict(
                        detail=f"two base lists in {price_list.currency}",
                        sources=(other, list_id),
                    )
                )
        conflicts.extend(derivation_conflicts(price_list, listed))
    conflicts.extend(find_cycles(listed))
    return listed, conflicts


def validate_price_lists(lists: Iterable[PriceList]) -> None:
    """Check a set of price lists as a whole, without building an index.

    Finds every problem that shows only across lists, and each list's own:
    two different lists with one id, overlapping items of one list, two base
    lists in one currency, a derived item whose source list is not in the set
    or is in another currency, derivation cycles. :class:`PricingIndex` runs
    the same check on the lists it is built from.

    Args:
        lists: The lists, in any order (any iterable).

    Raises:
        ValidationError: something in ``lists`` is not a :class:`PriceList`
            (path ``lists[i]``).
        PricingConfigurationError: listing every problem, each with its
            sources: list ids and item paths (``"dach.items[0]"``).

    Example:
        >>> from decimal import Decimal
        >>> from kamcore.kernel import Money, Percentage, ProductId
        >>> from kamcore.pricing import Derivation, PriceItem
        >>> dach = PriceList(id=PriceListId("dach"), name="DACH", currency="EUR",
        ...     kind=PriceListKind.GROUP, items=(PriceItem(product=ProductId("valve"),
        ...     derived=Derivation(source=PriceListId("base"))),))
        >>> try:
        ...     validate_price_lists([dach])
        ... except PricingConfigurationError as error:
        ...     print(error.conflicts[0])
        dach.items[0] derives from a list that does not exist (dach.items[0], base)
    """
    checks = Checks("validate_price_lists")
    given = members(checks, "lists", lists, PriceList)
    checks.raise_if_any()
    _, conflicts = price_list_conflicts(given)
    if conflicts:
        raise PricingConfigurationError(conflicts)


def derivation_conflicts(
    price_list: PriceList, lists: Mapping[PriceListId, PriceList]
) -> list[PricingConflict]:
    """``price_list``'s derived items whose source is missing or in another
    currency."""
    found: list[PricingConflict] = []
    derives_from = {
        item.derived.source for item in price_list.items if item.derived is not None
    }
    if all(
        source in lists and lists[source].currency == price_list.currency
        for source in derives_from
    ):
        return found  # the common case, told without naming any item
    for position, item in enumerate(price_list.items):
        if item.derived is None:
            continue
        here = f"{price_list.id}.items[{position}]"
        source = lists.get(item.derived.source)
        if source is None:
            found.append(
                PricingConflict(
                    detail=f"{here} derives from a list that does not exist",
                    sources=(here, item.derived.source),
                )
            )
        elif source.currency != price_list.currency:
            found.append(
                PricingConflict(
                    detail=(
                        f"{here} in {price_list.currency} derives from a list in "
                        f"{source.currency}: kamcore does no currency conversion"
                    ),
                    sources=(here, source.id),
                )
            )
    return found


def find_cycles(lists: Mapping[PriceListId, PriceList]) -> list[PricingConflict]:
    """Derivation cycles, per product: A's price of X from B's, B's from A's.

    Derivations always keep the product, so a cycle is a loop among lists for one
    product. Each cycle is reported once. A loop for one product is a loop of
    lists first: only lists on a loop of the lists' own derivations are
    searched product by product (none, in a catalogue without cycles).
    """
    looped = _on_list_loops(lists)
    edges: dict[tuple[PriceListId, ProductId], set[PriceListId]] = {}
    for list_id in looped:
        for item in lists[list_id].items:
            if item.derived is not None and item.derived.source in looped:
                edges.setdefault((list_id, item.product), set()).add(
                    item.derived.source
                )
    found: list[PricingConflict] = []
    reported: set[tuple[ProductId, frozenset[PriceListId]]] = set()

    def walk(path: list[PriceListId], product: ProductId) -> None:
        for nxt in sorted(edges.get((path[-1], product), ())):
            if nxt not in path:
                walk([*path, nxt], product)
                continue
            loop = path[path.index(nxt) :]
            if (product, frozenset(loop)) in reported:
                continue
            reported.add((product, frozenset(loop)))
            found.append(
                PricingConflict(
                    detail=f"derived prices of {product} form a cycle: "
                    + " -> ".join([*loop, nxt]),
                    sources=tuple(loop),
                )
            )

    for start, product in sorted(edges):
        walk([start], product)
    return found


def _on_list_loops(lists: Mapping[PriceListId, PriceList]) -> set[PriceListId]:
    """The lists that can reach themselves through their items' derivations."""
    sources = {
        list_id: {
            item.derived.source
            for item in price_list.items
            if item.derived is not None and item.derived.source in lists
        }
        for list_id, price_list in lists.items()
    }
    # Peel off lists deriving from none left, until only loops (and the lists
    # between them) remain; then keep those a loop leads back to.
    remaining = {list_id for list_id, found in sources.items() if found}
    changed = True
    while changed:
        kept = {
            list_id
            for list_id in remaining
            if not sources[list_id].isdisjoint(remaining)
        }
        changed = kept != remaining
        remaining = kept
    return remaining
