"""Pricing policy: ad-hoc discounts on key accounts, maximum ad-hoc share, floor
prices and minimum margins."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest

from kamcore.accounts import AdHocDiscount, Client, LineItem, Product
from kamcore.errors import CurrencyMismatchError, PolicyViolationError, ValidationError
from kamcore.kernel import (
    CategoryId,
    ClientId,
    ManagerId,
    Money,
    Percentage,
    PriceListId,
    ProductId,
)
from kamcore.pricing import (
    PriceItem,
    PriceList,
    PriceListKind,
    PricingConfigurationError,
    PricingIndex,
)
from kamcore.pricing._documents import DocumentKind, LineRequest, price_document
from kamcore.pricing._policy import (
    AdHocRule,
    FloorRule,
    PolicyFinding,
    PricingPolicy,
    check_line,
)

VALVE = ProductId("valve")
KIM = ManagerId("kim")
DAY = dt.date(2026, 3, 2)

KEY_ACCOUNT = Client(
    id=ClientId("acme"),
    name="Acme",
    currency="EUR",
    locale="en_GB",
    key_account=True,
    account_manager=KIM,
)
SMALL_ACCOUNT = Client(
    id=ClientId("corner-shop"), name="Corner shop", currency="EUR", locale="en_GB"
)

ALLOW = PricingPolicy(key_account_ad_hoc=AdHocRule.ALLOW)


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def catalogue(*, floor: Money | None = None, cost: Money | None = None) -> PricingIndex:
    valve = Product(
        id=VALVE,
        name="Valve",
        category=CategoryId("valves"),
        floor_price=floor,
        cost=cost,
    )
    return PricingIndex([], products=[valve])


def line(
    unit_price: str, quantity: str = "1", ad_hoc: AdHocDiscount | None = None
) -> LineItem:
    return LineItem(
        product=VALVE,
        quantity=Decimal(quantity),
        unit_price=eur(unit_price),
        ad_hoc=ad_hoc,
    )


def off(amount: str) -> AdHocDiscount:
    return AdHocDiscount(reason="late delivery", granted_by=KIM, amount=eur(amount))


def percent_off(value: str) -> AdHocDiscount:
    return AdHocDiscount(
        reason="late delivery", granted_by=KIM, percentage=Percentage(value)
    )


def check(
    priced: LineItem,
    policy: PricingPolicy,
    *,
    who: Client = KEY_ACCOUNT,
    index: PricingIndex | None = None,
) -> tuple[PolicyFinding, ...]:
    return check_line(
        catalogue() if index is None else index,
        who,
        priced,
        position=2,
        policy=policy,
    )


# -- ad-hoc discounts on key accounts -----------------------------------------


def test_key_account_ad_hoc_passes_silently_when_policy_allows() -> None:
    assert check(line("100.00", ad_hoc=off("5.00")), ALLOW) == ()


def test_key_account_ad_hoc_gives_a_finding_when_policy_warns() -> None:
    policy = PricingPolicy(key_account_ad_hoc=AdHocRule.WARN)
    assert check(line("100.00", ad_hoc=off("5.00")), policy) == (
        PolicyFinding(
            2,
            "ad_hoc_on_key_account",
            "line 2: ad-hoc discount of 5.00 EUR on valve for key account acme "
            "(late delivery, granted by kim): custom prices for key accounts "
            "belong in their price list",
            eur("5.00"),
        ),
    )


def test_key_account_ad_hoc_is_refused_when_policy_refuses() -> None:
    policy = PricingPolicy(key_account_ad_hoc=AdHocRule.REFUSE)
    with pytest.raises(PolicyViolationError) as caught:
        check(line("100.00", ad_hoc=off("5.00")), policy)
    assert (caught.value.policy, caught.value.detail, caught.value.value) == (
        "PricingPolicy.key_account_ad_hoc",
        "line 2: ad-hoc discount of 5.00 EUR on valve for key account acme is "
        "refused: custom prices for key accounts belong in their price list",
        eur("5.00"),
    )


def test_the_default_policy_warns_on_key_account_ad_hoc() -> None:
    findings = check(line("100.00", ad_hoc=off("5.00")), PricingPolicy())
    assert [finding.code for finding in findings] == ["ad_hoc_on_key_account"]


def test_key_account_line_without_ad_hoc_has_no_finding() -> None:
    assert check(line("100.00"), PricingPolicy()) == ()


def test_ad_hoc_exactly_at_the_maximum_is_allowed() -> None:
    policy = attrs.evolve(ALLOW, max_ad_hoc=Percentage(10))
    assert check(line("100.00", ad_hoc=off("10.00")), policy) == ()


def test_ad_hoc_one_cent_above_the_maximum_is_refused() -> None:
    policy = attrs.evolve(ALLOW, max_ad_hoc=Percentage(10))
    with pytest.raises(PolicyViolationError) as caught:
        check(line("100.00", ad_hoc=off("10.01")), policy)
    assert (caught.value.policy, caught.value.detail, caught.value.value) == (
        "PricingPolicy.max_ad_hoc",
        "line 2: ad-hoc discount of 10.01 EUR on valve for key account acme is "
        "more than 10% of the gross total 100.00 EUR (at most 10.00 EUR)",
        eur("10.01"),
    )


def test_percentage_equal_to_the_maximum_is_allowed_when_its_value_rounds_up() -> None:
    # 10 % of 41.25 is 4.125, valued 4.13: the ceiling rounds the same way.
    policy = attrs.evolve(ALLOW, max_ad_hoc=Percentage(10))
    assert check(line("41.25", ad_hoc=percent_off("10")), policy) == ()


def test_maximum_ad_hoc_applies_even_when_policy_warns() -> None:
    policy = PricingPolicy(key_account_ad_hoc=AdHocRule.WARN, max_ad_hoc=Percentage(5))
    with pytest.raises(PolicyViolationError) as caught:
        check(line("100.00", ad_hoc=off("5.01")), policy)
    assert caught.value.policy == "PricingPolicy.max_ad_hoc"


def test_non_key_account_ad_hoc_is_never_refused_or_flagged() -> None:
    policy = PricingPolicy(
        key_account_ad_hoc=AdHocRule.REFUSE, max_ad_hoc=Percentage(0)
    )
    assert check(line("100.00", ad_hoc=off("50.00")), policy, who=SMALL_ACCOUNT) == ()


# -- floors -------------------------------------------------------------------


def test_line_exactly_at_its_floor_is_allowed() -> None:
    # 12.00 x 3 = 36.00, less 6.00 = 30.00: the floor 10.00 x 3.
    index = catalogue(floor=eur("10.00"))
    priced = line("12.00", "3", off("6.00"))
    assert check(priced, PricingPolicy(), who=SMALL_ACCOUNT, index=index) == ()


def test_line_one_cent_below_its_floor_is_refused() -> None:
    index = catalogue(floor=eur("10.00"))
    priced = line("12.00", "3", off("6.01"))
    with pytest.raises(PolicyViolationError) as caught:
        check(priced, PricingPolicy(), who=SMALL_ACCOUNT, index=index)
    assert (caught.value.policy, caught.value.detail, caught.value.value) == (
        "PricingPolicy.below_floor",
        "line 2: valve x 3 nets 29.99 EUR, below its floor 30.00 EUR "
        "(10.00 EUR per unit)",
        eur("29.99"),
    )


def test_line_one_cent_below_its_floor_is_flagged_when_policy_flags() -> None:
    index = catalogue(floor=eur("10.00"))
    policy = PricingPolicy(below_floor=FloorRule.FLAG)
    priced = line("12.00", "3", off("6.01"))
    assert check(priced, policy, who=SMALL_ACCOUNT, index=index) == (
        PolicyFinding(
            2,
            "below_floor",
            "line 2: valve x 3 nets 29.99 EUR, below its floor 30.00 EUR "
            "(10.00 EUR per unit)",
            eur("29.99"),
        ),
    )


def test_line_below_its_floor_passes_when_policy_ignores_floors() -> None:
    index = catalogue(floor=eur("10.00"))
    policy = PricingPolicy(below_floor=FloorRule.IGNORE)
    assert check(line("1.00", "3"), policy, who=SMALL_ACCOUNT, index=index) == ()


def test_floor_is_compared_once_rounded_to_the_cent() -> None:
    # A floor of 3.3335 x 3 is 10.0005, which rounds to 10.00: 10.00 passes.
    index = catalogue(floor=eur("3.3335"))
    priced = line("3.3334", "3")
    assert check(priced, PricingPolicy(), who=SMALL_ACCOUNT, index=index) == ()


def test_floor_in_another_currency_is_a_currency_mismatch() -> None:
    index = catalogue(floor=Money("10.00", "USD"))
    with pytest.raises(CurrencyMismatchError) as caught:
        check(line("12.00", "3"), PricingPolicy(), who=SMALL_ACCOUNT, index=index)
    assert (caught.value.expected, caught.value.actual, caught.value.operation) == (
        "EUR",
        "USD",
        "compare line 2 (valve) with its floor price",
    )


def test_an_index_without_a_catalogue_cannot_check_a_floor() -> None:
    # Waving the line through would sell below a floor nobody could see.
    index = PricingIndex([])
    with pytest.raises(PricingConfigurationError) as caught:
        check(line("0.01"), PricingPolicy(), who=SMALL_ACCOUNT, index=index)
    assert caught.value.conflicts[0].sources == ("lines[2].product", "valve")
    assert "built without products=" in str(caught.value)


def test_a_product_missing_from_the_catalogue_cannot_be_checked_for_a_margin() -> None:
    index = PricingIndex([], products=[])
    policy = PricingPolicy(below_floor=FloorRule.IGNORE, min_margin=Percentage(10))
    with pytest.raises(PricingConfigurationError) as caught:
        check(line("0.01"), policy, who=SMALL_ACCOUNT, index=index)
    assert "PricingPolicy.below_margin is active but valve is not in the catalogue" in (
        str(caught.value)
    )


def test_a_policy_ignoring_floors_and_margins_needs_no_catalogue() -> None:
    index = PricingIndex([])
    policy = PricingPolicy(below_floor=FloorRule.IGNORE)
    assert check(line("0.01"), policy, who=SMALL_ACCOUNT, index=index) == ()


# -- margins ------------------------------------------------------------------


def test_margin_below_the_minimum_is_flagged() -> None:
    # 10.00 x 2 = 20.00 against a cost of 16.00: a margin of 20 %.
    index = catalogue(cost=eur("8.00"))
    policy = PricingPolicy(min_margin=Percentage(25))
    assert check(line("10.00", "2"), policy, who=SMALL_ACCOUNT, index=index) == (
        PolicyFinding(
            2,
            "below_margin",
            "line 2: valve x 2 nets 20.00 EUR against a cost of 16.00 EUR: "
            "margin 20.00%, below the minimum 25%",
            eur("20.00"),
        ),
    )


def test_margin_exactly_at_the_minimum_is_allowed() -> None:
    index = catalogue(cost=eur("7.50"))
    policy = PricingPolicy(min_margin=Percentage(25))
    assert check(line("10.00", "2"), policy, who=SMALL_ACCOUNT, index=index) == ()


def test_margin_below_the_minimum_is_refused_when_policy_refuses() -> None:
    index = catalogue(cost=eur("8.00"))
    policy = PricingPolicy(min_margin=Percentage(25), below_margin=FloorRule.REFUSE)
    with pytest.raises(PolicyViolationError) as caught:
        check(line("10.00", "2"), policy, who=SMALL_ACCOUNT, index=index)
    assert (caught.value.policy, caught.value.value) == (
        "PricingPolicy.below_margin",
        eur("20.00"),
    )


def test_margin_counts_the_ad_hoc_discount() -> None:
    # 10.00 x 2 = 20.00, less 10 % = 18.00 against 15.00: a margin of 16.67 %.
    index = catalogue(cost=eur("7.50"))
    policy = attrs.evolve(ALLOW, min_margin=Percentage(25))
    findings = check(line("10.00", "2", percent_off("10")), policy, index=index)
    assert [finding.message for finding in findings] == [
        "line 2: valve x 2 nets 18.00 EUR against a cost of 15.00 EUR: "
        "margin 16.67%, below the minimum 25%"
    ]


def test_zero_total_with_a_cost_is_below_any_margin() -> None:
    index = catalogue(cost=eur("1.00"))
    policy = PricingPolicy(min_margin=Percentage(-50))
    findings = check(line("0.00"), policy, who=SMALL_ACCOUNT, index=index)
    assert [finding.message for finding in findings] == [
        "line 2: valve x 1 nets 0.00 EUR against a cost of 1.00 EUR: "
        "margin undefined on a zero total, below the minimum -50%"
    ]


def test_cost_in_another_currency_is_a_currency_mismatch() -> None:
    index = catalogue(cost=Money("8.00", "USD"))
    policy = PricingPolicy(min_margin=Percentage(25))
    with pytest.raises(CurrencyMismatchError) as caught:
        check(line("10.00", "2"), policy, who=SMALL_ACCOUNT, index=index)
    assert caught.value.operation == "compare line 2 (valve) with its cost"


def test_cost_is_not_read_without_a_minimum_margin() -> None:
    index = catalogue(cost=Money("8.00", "USD"))
    assert check(line("1.00"), PricingPolicy(), who=SMALL_ACCOUNT, index=index) == ()


# -- the policy record --------------------------------------------------------


def test_policy_reports_every_out_of_range_percentage() -> None:
    with pytest.raises(ValidationError) as caught:
        PricingPolicy(max_ad_hoc=Percentage(101), min_margin=Percentage(101))
    assert caught.value.messages == [
        "must be from 0 to 100 @ max_ad_hoc",
        "a margin cannot be above 100 @ min_margin",
    ]


def test_policy_refuses_a_rule_of_the_wrong_kind() -> None:
    wrong: Any = AdHocRule.REFUSE
    with pytest.raises(ValidationError) as caught:
        PricingPolicy(below_floor=wrong)
    assert caught.value.messages == ["expected FloorRule, got AdHocRule @ below_floor"]


def test_check_line_refuses_a_negative_position() -> None:
    with pytest.raises(ValidationError) as caught:
        check_line(catalogue(), KEY_ACCOUNT, line("1.00"), position=-1, policy=ALLOW)
    assert caught.value.messages == ["must be an integer >= 0 @ position"]


# -- within a document --------------------------------------------------------


def priced_list() -> PricingIndex:
    valve = Product(
        id=VALVE, name="Valve", category=CategoryId("valves"), floor_price=eur("10.00")
    )
    base = PriceList(
        id=PriceListId("base"),
        name="Base",
        currency="EUR",
        kind=PriceListKind.BASE,
        items=(PriceItem(product=VALVE, unit_price=eur("12.00")),),
    )
    return PricingIndex([base], products=[valve])


def test_document_keeps_the_findings_of_its_lines() -> None:
    document = price_document(
        priced_list(),
        KEY_ACCOUNT,
        [
            LineRequest(product=VALVE, quantity=Decimal(1)),
            LineRequest(product=VALVE, quantity=Decimal(3), ad_hoc=off("6.00")),
        ],
        pricing_date=DAY,
        kind=DocumentKind.ORDER,
    )
    assert [(finding.line, finding.code) for finding in document.findings] == [
        (1, "ad_hoc_on_key_account")
    ]


def test_document_with_one_refused_line_prices_nothing() -> None:
    with pytest.raises(PolicyViolationError) as caught:
        price_document(
            priced_list(),
            SMALL_ACCOUNT,
            [
                LineRequest(product=VALVE, quantity=Decimal(1)),
                LineRequest(product=VALVE, quantity=Decimal(3), ad_hoc=off("6.01")),
            ],
            pricing_date=DAY,
            kind=DocumentKind.INVOICE,
        )
    assert caught.value.detail.startswith("line 1: valve x 3 nets 29.99 EUR")
