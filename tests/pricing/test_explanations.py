"""Explanations list the steps a price went through, and a document line's
explanation goes on to its gross total, ad-hoc discount and line total."""

from __future__ import annotations

from decimal import Decimal

from pricing_samples import (
    DACH,
    DAY,
    IN_BOTH_GROUPS,
    NORDICS,
    VALVE,
    base,
    catalogue_for,
    client,
    group,
    group_list,
    index,
    item,
    price_list,
)

from kamcore.accounts import AdHocDiscount, CandidateOutcome
from kamcore.kernel import ManagerId, Money, Percentage, PriceListId
from kamcore.pricing import (
    DocumentKind,
    LineRequest,
    PriceItem,
    PriceListKind,
    PricingIndex,
    price_document,
)

TIED = [group("g-dach", 10, DACH), group("g-nordics", 10, NORDICS)]
KIM = ManagerId("kim")


def tied_index() -> PricingIndex:
    return index(
        base(item(price="12.00")),
        group_list(DACH, item(price="11.00")),
        group_list(NORDICS, item(price="11.00")),
        client_groups=TIED,
    )


# -- unit-price steps -----------------------------------------------------------


def test_a_tied_groups_list_is_a_candidate_not_a_step() -> None:
    explanation = (
        tied_index()
        .resolve(client(groups=IN_BOTH_GROUPS), VALVE, Decimal(1), DAY)
        .explain()
    )
    assert [str(step) for step in explanation.steps] == [
        "list price dach.items[0]: 11.00 EUR",
        "unit price: 11.0000 EUR (rounded: 4 places, ROUND_HALF_UP)",
    ]


def test_a_tied_group_says_why_it_was_not_used() -> None:
    explanation = (
        tied_index()
        .resolve(client(groups=IN_BOTH_GROUPS), VALVE, Decimal(1), DAY)
        .explain()
    )
    tie = CandidateOutcome.SAME_PRICE_TIE
    [tied] = [c for c in explanation.candidates if c.outcome is tie]
    assert str(tied) == (
        "nordics.items[0] (group) 11.00 EUR: equal-priority group with the same "
        "price [group g-nordics, net 11.0000 EUR]"
    )


# -- line steps ---------------------------------------------------------------------


def line_steps(
    unit: str,
    quantity: str,
    ad_hoc: AdHocDiscount | None = None,
    currency: str = "EUR",
) -> list[str]:
    lists = [
        price_list(
            PriceListId("base"),
            PriceListKind.BASE,
            PriceItem(product=VALVE, unit_price=Money(unit, currency)),
            currency=currency,
        )
    ]
    document = price_document(
        PricingIndex(lists, products=catalogue_for(lists)),
        client(currency=currency),
        [LineRequest(product=VALVE, quantity=Decimal(quantity), ad_hoc=ad_hoc)],
        pricing_date=DAY,
        kind=DocumentKind.INVOICE,
        explain=True,
    )
    explanation = document.lines[0].explanation
    assert explanation is not None
    return [str(step) for step in explanation.steps]


def test_a_line_explains_its_unit_price_then_its_gross_and_line_totals() -> None:
    assert line_steps("13.7350", "3") == [
        "list price base.items[0]: 13.7350 EUR",
        "unit price: 13.7350 EUR (rounded: 4 places, ROUND_HALF_UP)",
        "gross total 3 x 13.7350 EUR: 41.21 EUR (rounded: 2 places, ROUND_HALF_UP)",
        "line total: 41.21 EUR",
    ]


def test_a_line_explains_its_percentage_ad_hoc_discount_and_its_rounding() -> None:
    goodwill = AdHocDiscount(
        reason="late delivery", granted_by=KIM, percentage=Percentage("10")
    )
    assert line_steps("13.7350", "3", goodwill)[2:] == [
        "gross total 3 x 13.7350 EUR: 41.21 EUR (rounded: 2 places, ROUND_HALF_UP)",
        "ad-hoc discount 10% of 41.21 EUR (late delivery, granted by kim): "
        "4.12 EUR (rounded: 2 places, ROUND_HALF_UP)",
        "line total 41.21 EUR - 4.12 EUR: 37.09 EUR",
    ]


def test_a_line_explains_its_amount_ad_hoc_discount() -> None:
    goodwill = AdHocDiscount(
        reason="late delivery", granted_by=KIM, amount=Money("5.00", "EUR")
    )
    assert line_steps("13.7350", "3", goodwill)[3:] == [
        "ad-hoc discount of 5.00 EUR (late delivery, granted by kim): 5.00 EUR",
        "line total 41.21 EUR - 5.00 EUR: 36.21 EUR",
    ]


def test_a_yen_line_rounds_its_gross_total_to_the_yen() -> None:
    assert line_steps("333.5", "3", currency="JPY")[2] == (
        "gross total 3 x 333.5000 JPY: 1001 JPY (rounded: 0 places, ROUND_HALF_UP)"
    )
