"""Programme configuration: validation names every offending field; reading."""

from __future__ import annotations

from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from loyalty_builders import eur, programme, tier

from kamcore.errors import ValidationError
from kamcore.kernel import CategoryId, Money, Percentage, Rate
from kamcore.loyalty import (
    CategoryMultiplier,
    EarnRules,
    EarnTrigger,
    QualificationWindow,
    ReversalPolicy,
    Tier,
    TierBenefits,
)


def paths(error: ValidationError) -> list[str]:
    return [field.path for field in error.errors]


def test_defaults_are_a_rolling_window_whole_points_and_claw_back() -> None:
    lp = programme()
    assert lp.window is QualificationWindow.ROLLING_12_MONTHS
    assert lp.earn_on is EarnTrigger.ISSUE
    assert lp.reversal is ReversalPolicy.CLAW_BACK
    assert lp.expiry is None
    assert lp.point_places == 0
    assert lp.max_redemption_share == Percentage(100)


def test_every_offending_field_is_named_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        programme(
            name=" ",
            currency="EURO",
            tiers=(tier("silver", "5.00"), tier("silver", "3.00")),
            expiry=relativedelta(months=-1),
            redemption_rate=eur("0.00"),
            max_redemption_share=Percentage(0),
            point_places=7,
            downgrade_grace_days=-1,
        )
    assert paths(caught.value) == [
        "name",
        "currency",
        "expiry.months",
        "redemption_rate",
        "max_redemption_share",
        "point_places",
        "downgrade_grace_days",
        "tiers[0].threshold",
        "tiers[1].threshold",
        "tiers",
    ]
    assert caught.value.subject == "Programme"


def test_amounts_in_another_currency_are_named() -> None:
    dollars = Tier(
        code="gold",
        name="Gold",
        threshold=Money("10000.00", "USD"),
        benefits=TierBenefits(description="gold"),
    )
    with pytest.raises(ValidationError) as caught:
        programme(
            tiers=(tier("silver", "0"), dollars),
            redemption_rate=Money("0.01", "USD"),
            earn=EarnRules(
                points_per_unit=Rate(1), minimum_invoice=Money("50.00", "CHF")
            ),
        )
    assert paths(caught.value) == [
        "redemption_rate.currency",
        "earn.minimum_invoice.currency",
        "tiers[1].threshold.currency",
    ]
    assert [f.value for f in caught.value.errors] == ["USD", "CHF", "USD"]


def test_the_first_tier_is_reached_at_zero() -> None:
    with pytest.raises(ValidationError) as caught:
        programme(tiers=(tier("silver", "0.01"),))
    assert paths(caught.value) == ["tiers[0].threshold"]
    assert caught.value.errors[0].value == eur("0.01")


def test_tier_thresholds_must_rise() -> None:
    with pytest.raises(ValidationError) as caught:
        programme(tiers=(tier("silver", "0"), tier("gold", "0.00")))
    assert paths(caught.value) == ["tiers[1].threshold"]


def test_a_programme_needs_a_tier() -> None:
    with pytest.raises(ValidationError) as caught:
        programme(tiers=())
    assert paths(caught.value) == ["tiers"]


def test_tiers_of_the_wrong_type_are_named_by_position() -> None:
    with pytest.raises(ValidationError) as caught:
        programme(tiers=(tier("silver", "0"), "gold"))
    assert paths(caught.value) == ["tiers[1]"]


def test_an_expiry_must_be_a_length() -> None:
    with pytest.raises(ValidationError) as caught:
        programme(expiry=relativedelta(month=2))
    assert paths(caught.value) == ["expiry.month", "expiry"]


def test_earn_rules_name_every_offending_field() -> None:
    pumps = CategoryId("pumps")
    with pytest.raises(ValidationError) as caught:
        EarnRules(
            points_per_unit=Rate(0),
            category_multipliers=(
                CategoryMultiplier(category=pumps, multiplier=Rate(2)),
                CategoryMultiplier(category=pumps, multiplier=Rate(3)),
            ),
            minimum_invoice=eur("-0.01"),
        )
    assert paths(caught.value) == [
        "points_per_unit",
        "minimum_invoice",
        "category_multipliers",
    ]


def test_a_category_multiplier_may_be_zero_but_not_negative() -> None:
    free = CategoryMultiplier(category=CategoryId("seals"), multiplier=Rate(0))
    assert free.multiplier == Rate(0)
    with pytest.raises(ValidationError) as caught:
        CategoryMultiplier(category=CategoryId(" "), multiplier=Rate(-1))
    assert paths(caught.value) == ["category", "multiplier"]


def test_tier_benefits_are_checked() -> None:
    with pytest.raises(ValidationError) as caught:
        TierBenefits(
            description="",
            extra_discount=Percentage(101),
            earn_multiplier=Rate(0),
        )
    assert paths(caught.value) == ["description", "extra_discount", "earn_multiplier"]


def test_a_category_without_a_multiplier_earns_at_one() -> None:
    rules = EarnRules(
        points_per_unit=Rate(1),
        category_multipliers=(
            CategoryMultiplier(category=CategoryId("pumps"), multiplier=Rate(2)),
        ),
    )
    assert rules.multiplier_for(CategoryId("pumps")) == Rate(2)
    assert rules.multiplier_for(CategoryId("seals")) == Rate(1)
    assert rules.multiplier_for(None) == Rate(1)


@pytest.mark.parametrize(
    ("places", "quantum"),
    [(0, Decimal(1)), (2, Decimal("0.01")), (3, Decimal("0.001"))],
)
def test_the_point_quantum_follows_the_point_places(
    places: int, quantum: Decimal
) -> None:
    assert programme(point_places=places).point_quantum == quantum


def test_the_tier_for_a_spend_is_the_highest_reached() -> None:
    lp = programme()
    assert lp.tier_for_spend(eur("9999.99")).code == "silver"
    assert lp.tier_for_spend(eur("10000.00")).code == "gold"
    assert lp.tier_for_spend(eur("50000.00")).code == "platinum"
    assert lp.tier_for_spend(eur("-5.00")).code == "silver"


def test_an_unknown_tier_code_is_named() -> None:
    with pytest.raises(ValidationError) as caught:
        programme().tier("diamond")
    assert paths(caught.value) == ["tier"]
    assert caught.value.errors[0].value == "diamond"
    assert "silver, gold, platinum" in caught.value.errors[0].message
    assert programme().rank("platinum") == 2
