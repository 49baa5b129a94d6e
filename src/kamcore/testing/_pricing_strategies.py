"""Strategies for pricing: price lists, discount groups and priced-line records."""

from __future__ import annotations

import functools
from decimal import Decimal

from hypothesis import strategies as st

from kamcore.accounts import (
    AdHocDiscount,
    Candidate,
    CandidateOutcome,
    PriceExplanation,
    PricingStep,
)
from kamcore.kernel import (
    CategoryId,
    DiscountGroupId,
    ManagerId,
    Money,
    PriceListId,
    ProductId,
    currency_precision,
)
from kamcore.pricing import (
    Derivation,
    DiscountGroup,
    DiscountRule,
    DiscountScope,
    PriceItem,
    PriceList,
    PriceListKind,
)
from kamcore.testing._value_strategies import (
    currencies,
    date_ranges,
    free_text,
    ids,
    minor_unit,
    money,
    money_in,
    names,
    percentages,
)

__all__ = [
    "ad_hoc_discounts",
    "derivations",
    "discount_groups",
    "discount_rules",
    "fixed_price_items",
    "maybe_unit_prices",
    "price_explanations",
    "price_items",
    "price_lists",
    "unit_prices",
]

_MAX_UNIT_PRICE = 10_000
_MAX_PRICE = Decimal(_MAX_UNIT_PRICE)
_ZERO = Decimal(0)
_QUANTITY_BREAKS = tuple(Decimal(q) for q in ("0", "1", "2.5", "10", "100", "1000"))
_ROUNDING_STEPS = tuple(Decimal(s) for s in ("0.0001", "0.01", "0.05", "0.5", "1"))
_ROUNDINGS = ("", "2 places, ROUND_HALF_UP", "4 places, ROUND_HALF_UP")


# Built once: the composites below draw from these on every example.
_WINDOWS = date_ranges()
_SURCHARGES = st.decimals(-10, 10, places=4)
_MAYBE_ROUNDING_STEP = st.none() | st.sampled_from(_ROUNDING_STEPS)
_MIN_QUANTITIES = st.sampled_from(_QUANTITY_BREAKS)
_DISCOUNTABLE = st.sampled_from([None, True, False])
_PRODUCT_IDS = ids(ProductId)
_PRICE_LIST_IDS = ids(PriceListId)
_LIST_PRODUCTS = st.lists(_PRODUCT_IDS, min_size=1, max_size=3, unique=True)
_ADJUSTMENTS = percentages(-100, 100)
_DISCOUNT_PERCENTAGES = percentages(Decimal("0.01"), 100)
_MAYBE_NAME = st.none() | names
_SOURCE_INDEXES = st.integers(0, 20)


def _code(draw: st.DrawFn, currency: str | None) -> str:
    return draw(currencies()) if currency is None else currency


def unit_prices(currency: str | None = None) -> st.SearchStrategy[Money]:
    """Non-negative unit prices with the currency's decimals or 4."""
    return _unit_prices(currency)


@functools.lru_cache(maxsize=256)
def _unit_prices(currency: str | None) -> st.SearchStrategy[Money]:
    codes = currencies() if currency is None else st.just(currency)
    return codes.flatmap(_unit_prices_in)


@functools.lru_cache(maxsize=256)
def _unit_prices_in(code: str) -> st.SearchStrategy[Money]:
    places = st.sampled_from([currency_precision(code), 4])
    return places.flatmap(functools.partial(_unit_prices_to, code))


def _unit_prices_to(code: str, places: int) -> st.SearchStrategy[Money]:
    """``money(code, min_value=0, max_value=10_000, places=places)``."""
    return money_in(_ZERO, _MAX_PRICE, places, code)


@functools.lru_cache(maxsize=256)
def maybe_unit_prices(code: str) -> st.SearchStrategy[Money | None]:
    """:func:`unit_prices` in ``code``, or ``None``."""
    return st.none() | unit_prices(code)


@functools.lru_cache(maxsize=256)
def _sources(
    source: PriceListId | None, not_from: PriceListId | None
) -> st.SearchStrategy[PriceListId]:
    sources = _PRICE_LIST_IDS if source is None else st.just(source)
    return sources.filter(functools.partial(_is_not, not_from))


def _is_not(not_from: PriceListId | None, source: PriceListId) -> bool:
    return source != not_from


@functools.lru_cache(maxsize=256)
def _derived(not_from: PriceListId | None) -> st.SearchStrategy[Derivation]:
    return derivations(not_from=not_from)


@st.composite
def derivations(
    draw: st.DrawFn,
    *,
    source: PriceListId | None = None,
    not_from: PriceListId | None = None,
) -> Derivation:
    """Derivation rules: -100 % to +100 %, a surcharge of -10 to 10, maybe a step.

    Args:
        draw: Supplied by Hypothesis.
        source: Pin the list derived from.
        not_from: A list id the source must not be (the deriving list's own).
    """
    return Derivation(
        source=draw(_sources(source, not_from)),
        adjustment=draw(_ADJUSTMENTS),
        surcharge=draw(_SURCHARGES),
        rounding_step=draw(_MAYBE_ROUNDING_STEP),
    )


@st.composite
def price_items(
    draw: st.DrawFn,
    currency: str | None = None,
    *,
    product: ProductId | None = None,
    not_from: PriceListId | None = None,
) -> PriceItem:
    """Price list items, fixed (in ``currency``) or derived, maybe windowed.

    Args:
        draw: Supplied by Hypothesis.
        currency: The list's currency; any of :func:`currencies` otherwise.
        product: Pin the product priced.
        not_from: A list id a derived item must not derive from.
    """
    return _price_item(draw, _code(draw, currency), product, not_from, derived=None)


@functools.lru_cache(maxsize=256)
def fixed_price_items(currency: str) -> st.SearchStrategy[PriceItem]:
    """:func:`price_items` in ``currency`` that are fixed (not derived): drawn
    as those are, without drawing the items a filter would throw away."""
    return _fixed_price_items(currency)


@st.composite
def _fixed_price_items(draw: st.DrawFn, currency: str) -> PriceItem:
    return _price_item(draw, currency, None, None, derived=False)


def _price_item(
    draw: st.DrawFn,
    code: str,
    product: ProductId | None,
    not_from: PriceListId | None,
    *,
    derived: bool | None,
) -> PriceItem:
    window = draw(_WINDOWS)
    if derived is None:
        derived = draw(st.booleans())
    return PriceItem(
        product=draw(_PRODUCT_IDS) if product is None else product,
        unit_price=None if derived else draw(unit_prices(code)),
        derived=draw(_derived(not_from)) if derived else None,
        min_quantity=draw(_MIN_QUANTITIES),
        valid_from=window.start,
        valid_to=window.end,
        discountable=draw(_DISCOUNTABLE),
    )


@st.composite
def price_lists(
    draw: st.DrawFn,
    *,
    currency: str | None = None,
    kind: PriceListKind | None = None,
    max_items: int = 6,
) -> PriceList:
    """Price lists that pass their own :meth:`~kamcore.pricing.PriceList.validate`.

    Items price a few products with quantity breaks; no two share a product and
    a minimum quantity (so no two can conflict), and no item derives from the
    list itself.

    Args:
        draw: Supplied by Hypothesis.
        currency: Pin the list's currency.
        kind: Pin the list's kind.
        max_items: At most this many items (none at all is possible).
    """
    code = _code(draw, currency)
    list_id = draw(_PRICE_LIST_IDS)
    products = draw(_LIST_PRODUCTS)
    items = draw(
        st.lists(
            st.sampled_from(products).flatmap(
                lambda p: price_items(code, product=p, not_from=list_id)
            ),
            max_size=max_items,
            unique_by=lambda item: (item.product, item.min_quantity),
        )
    )
    return PriceList(
        id=list_id,
        name=draw(names),
        currency=code,
        kind=draw(st.sampled_from(PriceListKind)) if kind is None else kind,
        items=tuple(items),
    )


_TARGETS: dict[DiscountScope, st.SearchStrategy[ProductId | CategoryId | None]] = {
    DiscountScope.PRODUCT: _PRODUCT_IDS,
    DiscountScope.CATEGORY: ids(CategoryId),
    DiscountScope.ALL: st.none(),
}


@st.composite
def discount_rules(
    draw: st.DrawFn, *, scope: DiscountScope | None = None
) -> DiscountRule:
    """Discount rules of 0.01 to 100 %, maybe from a quantity, maybe windowed."""
    chosen = draw(st.sampled_from(DiscountScope)) if scope is None else scope
    window = draw(_WINDOWS)
    return DiscountRule(
        scope=chosen,
        percentage=draw(_DISCOUNT_PERCENTAGES),
        target=draw(_TARGETS[chosen]),
        min_quantity=draw(_MIN_QUANTITIES),
        valid_from=window.start,
        valid_to=window.end,
    )


@st.composite
def discount_groups(draw: st.DrawFn, *, max_rules: int = 5) -> DiscountGroup:
    """Discount groups without conflicting rules.

    Each (scope, target, minimum quantity) appears at most once, at most
    ``max_rules`` rules.
    """
    rules = draw(
        st.lists(
            discount_rules(),
            max_size=max_rules,
            unique_by=lambda r: (r.scope, r.target, r.min_quantity),
        )
    )
    return DiscountGroup(
        id=draw(ids(DiscountGroupId)), name=draw(names), rules=tuple(rules)
    )


@st.composite
def ad_hoc_discounts(
    draw: st.DrawFn, currency: str | None = None, *, max_amount: Money | None = None
) -> AdHocDiscount:
    """Ad-hoc discounts: a percentage (0.01 to 100) or a positive rounded amount.

    Args:
        draw: Supplied by Hypothesis.
        currency: The amount's currency; ``max_amount``'s, if that is given.
        max_amount: The largest amount (a line's gross total): a discount drawn
            with it never exceeds it. Below one minor unit, only percentages.
    """
    code = _code(draw, currency) if max_amount is None else max_amount.currency
    ceiling = Decimal(100_000) if max_amount is None else max_amount.amount
    by_amount = ceiling >= minor_unit(code) and draw(st.booleans())
    return AdHocDiscount(
        reason=draw(names),
        granted_by=draw(ids(ManagerId)),
        percentage=None if by_amount else draw(_DISCOUNT_PERCENTAGES),
        amount=(
            draw(money(code, min_value=minor_unit(code), max_value=ceiling))
            if by_amount
            else None
        ),
    )


@st.composite
def _candidates(draw: st.DrawFn, code: str) -> Candidate:
    return Candidate(
        source=draw(ids(str)),
        kind=draw(st.sampled_from(PriceListKind)).value,
        outcome=draw(st.sampled_from(CandidateOutcome)),
        unit_price=draw(maybe_unit_prices(code)),
        detail=draw(free_text),
    )


@st.composite
def price_explanations(
    draw: st.DrawFn, currency: str | None = None
) -> PriceExplanation:
    """Price explanations: candidates considered, steps with their rounding."""
    code = _code(draw, currency)
    candidates, steps = _explanation_parts(code)
    return PriceExplanation(
        source=f"{draw(_PRICE_LIST_IDS)}.items[{draw(_SOURCE_INDEXES)}]",
        source_kind=draw(st.sampled_from(PriceListKind)).value,
        candidates=tuple(draw(candidates)),
        steps=tuple(draw(steps)),
        discount=draw(_MAYBE_NAME),
    )


@functools.lru_cache(maxsize=256)
def _explanation_parts(
    code: str,
) -> tuple[st.SearchStrategy[list[Candidate]], st.SearchStrategy[list[PricingStep]]]:
    """The candidates and steps of explanations in ``code``, built once each."""
    steps = st.builds(
        PricingStep,
        label=names,
        amount=unit_prices(code),
        rounding=st.sampled_from(_ROUNDINGS),
    )
    return (
        st.lists(_candidates(code), min_size=1, max_size=4),
        st.lists(steps, min_size=1, max_size=4),
    )
