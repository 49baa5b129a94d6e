"""A loyalty programme's configuration: earn rules, tiers, windows, expiry, redemption.

Everything here is data (SPEC §8: no formulas from data). The engines in this
package read it; nothing in it reads a clock or a store.
"""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs
from dateutil.relativedelta import relativedelta

from kamcore.errors import ValidationError
from kamcore.kernel import (
    EXACT,
    CategoryId,
    Checks,
    Money,
    Percentage,
    ProgrammeId,
    Rate,
    is_int,
    validate_currency,
    validate_term,
)

__all__ = [
    "CategoryMultiplier",
    "EarnRules",
    "EarnTrigger",
    "Programme",
    "QualificationWindow",
    "ReversalPolicy",
    "Tier",
    "TierBenefits",
]

_ZERO = Percentage(0)
_ONE = Rate(1)
_HUNDRED = Percentage(100)
_MAX_PLACES = 6


class QualificationWindow(enum.Enum):
    """Which spend qualifies a membership for a tier.

    ``rolling_12_months``: the 12 months up to the date asked, periods are
    membership years from the enrolment date; ``calendar_year``: the calendar
    year so far, periods are calendar years; ``lifetime``: everything since
    enrolment, one period that never ends (no downgrades).
    """

    ROLLING_12_MONTHS = "rolling_12_months"
    CALENDAR_YEAR = "calendar_year"
    LIFETIME = "lifetime"


class EarnTrigger(enum.Enum):
    """When an invoice's points are earned: when it is issued, or once paid.

    Under ``payment``, an issued invoice's points are *pending*: they show,
    but count toward nothing (balance, tier, redemption) until it is settled.
    """

    ISSUE = "issue"
    PAYMENT = "payment"


class ReversalPolicy(enum.Enum):
    """What a credit note does when the points it must take back were spent.

    ``refuse``: the reversal is refused (the credit note must be handled by
    hand); ``claw_back``: the balance may not go negative, so what cannot be
    taken back now is owed and taken from the next earnings; ``allow_negative``:
    the balance goes negative.
    """

    REFUSE = "refuse"
    CLAW_BACK = "claw_back"
    ALLOW_NEGATIVE = "allow_negative"


@attrs.frozen(kw_only=True)
class TierBenefits:
    """What a tier gives, machine-readable plus a description for people.

    Attributes:
        description: The benefits in words ("5 % off every order, priority
            support").
        extra_discount: An extra discount the host applies to the member's
            orders (kamcore reports it; pricing stays in price lists).
        earn_multiplier: Points earned in this tier are multiplied by it.
    """

    description: str
    extra_discount: Percentage = _ZERO
    earn_multiplier: Rate = _ONE

    def __attrs_post_init__(self) -> None:
        checks = Checks("TierBenefits")
        checks.text("description", self.description)
        if checks.instance("extra_discount", self.extra_discount, Percentage):
            checks.require(
                _ZERO <= self.extra_discount <= _HUNDRED,
                "extra_discount",
                "must be between 0 % and 100 %",
                self.extra_discount,
            )
        if checks.instance("earn_multiplier", self.earn_multiplier, Rate):
            checks.require(
                self.earn_multiplier.value > 0,
                "earn_multiplier",
                "must be greater than zero",
                self.earn_multiplier,
            )
        checks.raise_if_any()


@attrs.frozen(kw_only=True)
class Tier:
    """A membership level, reached by qualifying spend.

    Attributes:
        code: A stable machine name (``"gold"``).
        name: What people read ("Gold").
        threshold: The qualifying spend that reaches it (the first tier's is
            zero: every member has a tier).
        benefits: What it gives.
    """

    code: str
    name: str
    threshold: Money
    benefits: TierBenefits

    def __attrs_post_init__(self) -> None:
        checks = Checks("Tier")
        checks.text("code", self.code)
        checks.text("name", self.name)
        if checks.instance("threshold", self.threshold, Money):
            checks.require(
                not self.threshold.is_negative(),
                "threshold",
                "must not be negative",
                self.threshold,
            )
        checks.instance("benefits", self.benefits, TierBenefits)
        checks.raise_if_any()


@attrs.frozen(kw_only=True)
class CategoryMultiplier:
    """Earn faster (or slower) on a product category.

    Attributes:
        category: The category.
        multiplier: Points on its lines are multiplied by it.
    """

    category: CategoryId
    multiplier: Rate

    def __attrs_post_init__(self) -> None:
        checks = Checks("CategoryMultiplier")
        checks.text("category", self.category)
        if checks.instance("multiplier", self.multiplier, Rate):
            checks.require(
                self.multiplier.value >= 0,
                "multiplier",
                "must not be negative",
                self.multiplier,
            )
        checks.raise_if_any()


@attrs.frozen(kw_only=True)
class EarnRules:
    """How many points a net invoiced amount earns.

    A line earns ``line total x points_per_unit x category multiplier x tier
    multiplier``, exactly; the invoice's points are the sum over its lines,
    rounded *down* to the programme's point places once per invoice, the
    fraction carried to the next posting (never lost).

    Attributes:
        points_per_unit: Points per one unit of currency (``Rate("1")``: a
            point per euro).
        category_multipliers: Per-category multipliers (one per category).
        minimum_invoice: An invoice whose total is below it earns nothing.
    """

    points_per_unit: Rate
    category_multipliers: tuple[CategoryMultiplier, ...] = ()
    minimum_invoice: Money | None = None

    def __attrs_post_init__(self) -> None:
        checks = Checks("EarnRules")
        if checks.instance("points_per_unit", self.points_per_unit, Rate):
            checks.require(
                self.points_per_unit.value > 0,
                "points_per_unit",
                "must be greater than zero",
                self.points_per_unit,
            )
        checks.each(
            "category_multipliers", self.category_multipliers, CategoryMultiplier
        )
        if self.minimum_invoice is not None and checks.instance(
            "minimum_invoice", self.minimum_invoice, Money
        ):
            checks.require(
                not self.minimum_invoice.is_negative(),
                "minimum_invoice",
                "must not be negative",
                self.minimum_invoice,
            )
        if isinstance(self.category_multipliers, tuple):
            # Members of another type were reported above; skip them here.
            multipliers: tuple[object, ...] = self.category_multipliers
            categories = [
                m.category for m in multipliers if isinstance(m, CategoryMultiplier)
            ]
            checks.require(
                len(categories) == len(set(categories)),
                "category_multipliers",
                "one multiplier per category",
                categories,
            )
        checks.raise_if_any()

    def multiplier_for(self, category: CategoryId | None) -> Rate:
        """The category's multiplier; 1 for a category without one."""
        for rule in self.category_multipliers:
            if rule.category == category:
                return rule.multiplier
        return _ONE


def _currency_ok(checks: Checks, currency: object) -> bool:
    """Check the programme's currency; return whether it is a known code."""
    try:
        validate_currency(currency, subject="Programme")
    except ValidationError as error:
        for field in error.errors:
            checks.fail(field.path, field.message, field.value)
        return False
    return True


def _tiers_ok(checks: Checks, tiers: object) -> bool:
    """Check ``tiers`` is a tuple of :class:`Tier`; return whether it is."""
    if not isinstance(tiers, tuple):
        checks.instance("tiers", tiers, tuple)
        return False
    ok = True
    for index, tier in enumerate(tiers):
        ok = checks.instance(f"tiers[{index}]", tier, Tier) and ok
    return ok


def _check_expiry(checks: Checks, expiry: relativedelta) -> None:
    """The expiry is a positive length; its errors are named ``expiry...``."""
    try:
        validate_term(expiry, subject="Programme")
    except ValidationError as error:
        for field in error.errors:
            path = "expiry" + field.path.removeprefix("term")
            checks.fail(path, field.message, field.value)


def _count(checks: Checks, path: str, value: object, low: int, high: int) -> None:
    if not is_int(value) or not low <= value <= high:
        checks.fail(path, f"expected an integer from {low} to {high}", value)


@attrs.frozen(kw_only=True)
class Programme:
    """A loyalty programme.

    Attributes:
        id: The programme's id.
        name: Its name.
        currency: The currency it earns and redeems in.
        earn: The earn rules.
        tiers: The tiers, by ascending threshold; the first is reached at zero.
        window: Which spend qualifies for a tier.
        expiry: How long earned points live (``relativedelta(months=24)``);
            ``None``: they never expire. Oldest points are consumed first.
        earn_on: Earn at invoice issue, or only once it is paid.
        redemption_rate: The value of one point (``Money("0.01", "EUR")``).
        max_redemption_share: The largest share of an invoice points may pay.
        reversal: What a credit note does when its points were already spent.
        point_places: Decimal places of points: 0 for whole points.
        downgrade_grace_days: Days after a period ends before a downgrade
            takes effect.
        downgrade_warning_days: Days before a period ends that a member on
            course for a downgrade is warned.
        expiry_warning_days: Days ahead that "points expiring soon" looks.
        version: Optimistic-locking version.

    Raises:
        ValidationError: naming every offending field: tiers out of order or
            in another currency, a first tier above zero, duplicate codes...
    """

    id: ProgrammeId
    name: str
    currency: str
    earn: EarnRules
    tiers: tuple[Tier, ...]
    window: QualificationWindow = QualificationWindow.ROLLING_12_MONTHS
    expiry: relativedelta | None = None
    earn_on: EarnTrigger = EarnTrigger.ISSUE
    redemption_rate: Money
    max_redemption_share: Percentage = _HUNDRED
    reversal: ReversalPolicy = ReversalPolicy.CLAW_BACK
    point_places: int = 0
    downgrade_grace_days: int = 0
    downgrade_warning_days: int = 30
    expiry_warning_days: int = 30
    version: int = 0

    def __attrs_post_init__(self) -> None:
        checks = Checks("Programme")
        checks.text("id", self.id)
        checks.text("name", self.name)
        currency_ok = _currency_ok(checks, self.currency)
        earn_ok = checks.instance("earn", self.earn, EarnRules)
        tiers_ok = _tiers_ok(checks, self.tiers)
        checks.instance("window", self.window, QualificationWindow)
        if self.expiry is not None:
            _check_expiry(checks, self.expiry)
        checks.instance("earn_on", self.earn_on, EarnTrigger)
        rate_ok = checks.instance("redemption_rate", self.redemption_rate, Money)
        if rate_ok:
            checks.require(
                self.redemption_rate.is_positive(),
                "redemption_rate",
                "must be greater than zero",
                self.redemption_rate,
            )
        if checks.instance(
            "max_redemption_share", self.max_redemption_share, Percentage
        ):
            checks.require(
                _ZERO < self.max_redemption_share <= _HUNDRED,
                "max_redemption_share",
                "must be above 0 % and at most 100 %",
                self.max_redemption_share,
            )
        checks.instance("reversal", self.reversal, ReversalPolicy)
        _count(checks, "point_places", self.point_places, 0, _MAX_PLACES)
        for name in (
            "downgrade_grace_days",
            "downgrade_warning_days",
            "expiry_warning_days",
        ):
            _count(checks, name, getattr(self, name), 0, 3660)
        checks.version(self.version)
        # The checks across fields run on whatever parts are well-formed, so
        # one error never hides another.
        if currency_ok:
            amounts: list[tuple[str, Money]] = []
            if rate_ok:
                amounts.append(("redemption_rate", self.redemption_rate))
            if earn_ok and self.earn.minimum_invoice is not None:
                amounts.append(("earn.minimum_invoice", self.earn.minimum_invoice))
            if tiers_ok:
                amounts += [
                    (f"tiers[{i}].threshold", tier.threshold)
                    for i, tier in enumerate(self.tiers)
                ]
            self._check_currencies(checks, amounts)
        if tiers_ok:
            self._check_tiers(checks)
        checks.raise_if_any()

    def _check_currencies(
        self, checks: Checks, amounts: list[tuple[str, Money]]
    ) -> None:
        for path, amount in amounts:
            checks.require(
                amount.currency == self.currency,
                f"{path}.currency",
                f"must be the programme currency {self.currency}",
                amount.currency,
            )

    def _check_tiers(self, checks: Checks) -> None:
        if not self.tiers:
            checks.fail("tiers", "needs at least one tier", self.tiers)
            return
        checks.require(
            self.tiers[0].threshold.is_zero(),
            "tiers[0].threshold",
            "the first tier is every member's: its threshold must be zero",
            self.tiers[0].threshold,
        )
        for index in range(1, len(self.tiers)):
            before, tier = self.tiers[index - 1], self.tiers[index]
            if tier.threshold.currency == before.threshold.currency:
                checks.require(
                    tier.threshold > before.threshold,
                    f"tiers[{index}].threshold",
                    f"must be above the previous tier's ({before.threshold})",
                    tier.threshold,
                )
        codes = [tier.code for tier in self.tiers]
        checks.require(
            len(codes) == len(set(codes)), "tiers", "tier codes must be unique", codes
        )

    # -- reading --------------------------------------------------------------
    @property
    def point_quantum(self) -> Decimal:
        """The smallest point: ``1`` for whole points, ``0.01`` for 2 places."""
        return Decimal(1).scaleb(-self.point_places, EXACT)

    def tier(self, code: str) -> Tier:
        """The tier with ``code``.

        Raises:
            ValidationError: no tier has that code.
        """
        for tier in self.tiers:
            if tier.code == code:
                return tier
        raise _unknown_tier(code, self)

    def tier_for_spend(self, spend: Money) -> Tier:
        """The highest tier whose threshold ``spend`` reaches."""
        reached = self.tiers[0]
        for tier in self.tiers[1:]:
            if spend >= tier.threshold:
                reached = tier
        return reached

    def rank(self, code: str) -> int:
        """The tier's position, 0 for the first.

        Raises:
            ValidationError: no tier has that code.
        """
        return self.tiers.index(self.tier(code))


def _unknown_tier(code: str, programme: Programme) -> ValidationError:
    known = ", ".join(t.code for t in programme.tiers)
    return ValidationError.single(
        "Programme", "tier", f"no tier {code!r}; tiers: {known}", code
    )
