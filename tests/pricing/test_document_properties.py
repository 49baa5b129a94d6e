"""Invariants of document pricing over random lines and a small random catalogue.

* the document total is the sum of the line totals, each recomputed here
  independently: ``(unit price x quantity)`` rounded half-up to the minor unit,
  less the ad-hoc value rounded the same way;
* every line total is rounded to the minor unit and never negative;
* pricing is deterministic: the same inputs, even with a freshly built index,
  give equal documents.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import attrs
from hypothesis import given
from hypothesis import strategies as st
from pricing_samples import catalogue_for

from kamcore.accounts import AdHocDiscount, Client, LineItem
from kamcore.kernel import (
    ClientId,
    DiscountGroupId,
    ManagerId,
    Money,
    Percentage,
    PriceListId,
    ProductId,
    currency_precision,
)
from kamcore.pricing import (
    DiscountGroup,
    DiscountRule,
    DiscountScope,
    PriceItem,
    PriceList,
    PriceListKind,
    PricingIndex,
)
from kamcore.pricing._documents import (
    DocumentKind,
    LineRequest,
    PricedDocument,
    price_document,
)

DAY = dt.date(2026, 3, 2)
DISCOUNTS = DiscountGroupId("dg")


@attrs.frozen
class Catalogue:
    """Everything one example prices with."""

    currency: str
    products: tuple[ProductId, ...]
    lists: tuple[PriceList, ...]
    discounts: tuple[DiscountGroup, ...]
    client: Client

    def index(self) -> PricingIndex:
        return PricingIndex(
            self.lists,
            discount_groups=self.discounts,
            products=catalogue_for(self.lists),
        )


unit_amounts = st.decimals(min_value=1, max_value=1000, places=4)


@st.composite
def catalogues(draw: st.DrawFn) -> Catalogue:
    """A base list pricing 1 to 4 products, some with a break at 10 units, maybe a
    client discount group (at most 50 % off everything)."""
    currency = draw(st.sampled_from(["EUR", "JPY", "KWD"]))
    products = tuple(ProductId(f"p{n}") for n in range(draw(st.integers(1, 4))))
    items: list[PriceItem] = []
    for product in products:
        items.append(
            PriceItem(product=product, unit_price=Money(draw(unit_amounts), currency))
        )
        if draw(st.booleans()):
            items.append(
                PriceItem(
                    product=product,
                    unit_price=Money(draw(unit_amounts), currency),
                    min_quantity=Decimal(10),
                )
            )
    base = PriceList(
        id=PriceListId("base"),
        name="Base",
        currency=currency,
        kind=PriceListKind.BASE,
        items=tuple(items),
    )
    discount = draw(st.none() | st.decimals(min_value="0.01", max_value=50, places=2))
    groups = (
        ()
        if discount is None
        else (
            DiscountGroup(
                id=DISCOUNTS,
                name="Discounts",
                rules=(
                    DiscountRule(
                        scope=DiscountScope.ALL, percentage=Percentage(discount)
                    ),
                ),
            ),
        )
    )
    client = Client(
        id=ClientId("acme"),
        name="Acme",
        currency=currency,
        locale="en_GB",
        discount_group=None if discount is None else DISCOUNTS,
    )
    return Catalogue(currency, products, (base,), groups, client)


@st.composite
def requests(draw: st.DrawFn, catalogue: Catalogue) -> LineRequest:
    """A line for a catalogue product, maybe with an ad-hoc discount.

    Every unit price is at least 0.50, so from one unit on a line's gross total
    is at least one minor unit and an amount of one minor unit always fits.
    """
    quantity = draw(st.decimals(min_value="0.001", max_value=1000, places=3))
    choice = draw(st.sampled_from(["none", "percentage", "amount"]))
    ad_hoc = None
    if choice == "percentage":
        ad_hoc = AdHocDiscount(
            reason="goodwill",
            granted_by=ManagerId("kim"),
            percentage=Percentage(
                draw(st.decimals(min_value="0.01", max_value=100, places=2))
            ),
        )
    elif choice == "amount" and quantity >= 1:
        ad_hoc = AdHocDiscount(
            reason="goodwill",
            granted_by=ManagerId("kim"),
            amount=Money.from_minor_units(1, catalogue.currency),
        )
    return LineRequest(
        product=draw(st.sampled_from(catalogue.products)),
        quantity=quantity,
        ad_hoc=ad_hoc,
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[Catalogue, list[LineRequest]]:
    catalogue = draw(catalogues())
    lines = draw(st.lists(requests(catalogue), min_size=1, max_size=8))
    return catalogue, lines


def priced(
    catalogue: Catalogue, lines: list[LineRequest], *, explain: bool = False
) -> PricedDocument:
    return price_document(
        catalogue.index(),
        catalogue.client,
        lines,
        pricing_date=DAY,
        kind=DocumentKind.INVOICE,
        explain=explain,
    )


def expected_line_total(line: LineItem) -> Decimal:
    """The line total recomputed from scratch, one rounding per stage."""
    minor = Decimal(1).scaleb(-currency_precision(line.unit_price.currency))
    gross = (line.unit_price.amount * line.quantity).quantize(
        minor, rounding=ROUND_HALF_UP
    )
    ad_hoc = line.ad_hoc
    if ad_hoc is None:
        return gross
    if ad_hoc.percentage is not None:
        value = (gross * ad_hoc.percentage.value / 100).quantize(
            minor, rounding=ROUND_HALF_UP
        )
    else:
        assert ad_hoc.amount is not None
        value = ad_hoc.amount.amount
    return gross - value


@given(cases())
def test_document_total_is_the_sum_of_the_rounded_line_totals(
    case: tuple[Catalogue, list[LineRequest]],
) -> None:
    catalogue, lines = case
    document = priced(catalogue, lines)
    recomputed = sum((expected_line_total(line) for line in document.lines), Decimal(0))
    assert document.total == Money.sum(
        (line.total for line in document.lines), catalogue.currency
    )
    assert document.total.amount == recomputed


@given(cases())
def test_every_line_total_is_rounded_and_not_negative(
    case: tuple[Catalogue, list[LineRequest]],
) -> None:
    document = priced(*case)
    assert all(
        line.total.is_rounded() and not line.total.is_negative()
        for line in document.lines
    )


@given(cases())
def test_unit_prices_keep_at_most_four_places(
    case: tuple[Catalogue, list[LineRequest]],
) -> None:
    document = priced(*case)
    assert all(
        line.unit_price.amount == line.unit_price.amount.quantize(Decimal("0.0001"))
        for line in document.lines
    )


@given(cases())
def test_pricing_is_deterministic(case: tuple[Catalogue, list[LineRequest]]) -> None:
    catalogue, lines = case
    index = catalogue.index()
    first = price_document(
        index, catalogue.client, lines, pricing_date=DAY, kind=DocumentKind.INVOICE
    )
    again = price_document(
        index, catalogue.client, lines, pricing_date=DAY, kind=DocumentKind.INVOICE
    )
    assert first == again == priced(catalogue, lines)


@given(cases())
def test_every_line_explains_its_unit_price_gross_ad_hoc_and_total(
    case: tuple[Catalogue, list[LineRequest]],
) -> None:
    for line in priced(*case, explain=True).lines:
        assert line.explanation is not None
        amounts = {step.label: step.amount for step in line.explanation.steps}
        assert amounts["unit price"] == line.unit_price
        tail = line.explanation.steps[-3 if line.ad_hoc else -2 :]
        assert [step.amount for step in tail] == [
            line.gross_total,
            *([line.ad_hoc_value] if line.ad_hoc else []),
            line.total,
        ]
        assert tail[-1].amount.amount == expected_line_total(line)


@given(cases(), st.data())
def test_explained_or_not_a_document_has_the_same_prices_totals_and_findings(
    case: tuple[Catalogue, list[LineRequest]], data: st.DataObject
) -> None:
    catalogue, lines = case
    asked = [
        attrs.evolve(line, explain=data.draw(st.booleans(), label=f"explain {i}"))
        for i, line in enumerate(lines)
    ]
    plain = priced(catalogue, lines)
    some = priced(catalogue, asked)
    every = priced(catalogue, lines, explain=True)
    assert all(line.explanation is None for line in plain.lines)
    assert all(line.explanation is not None for line in every.lines)
    assert [line.explanation is not None for line in some.lines] == [
        line.explain for line in asked
    ]
    bare = [
        [attrs.evolve(line, explanation=None) for line in document.lines]
        for document in (plain, some, every)
    ]
    assert bare[0] == bare[1] == bare[2]
    assert plain.total == some.total == every.total
    assert plain.gross_total == some.gross_total == every.gross_total
    assert plain.findings == some.findings == every.findings
