"""Pricing policy: ad-hoc discounts for key accounts, floor prices, minimum margins.

A policy is checked against each *priced* line (its resolved unit price, its
ad-hoc discount and its rounded totals). A rule set to refuse raises
:class:`~kamcore.errors.PolicyViolationError`; a rule set to warn or flag returns
a :class:`PolicyFinding` that travels with the priced document.

Floors and costs are unit amounts on the :class:`~kamcore.accounts.Product`; a
line is compared with them multiplied by its quantity and rounded to the minor
unit, the way the line's own gross total is rounded.
"""

from __future__ import annotations

import decimal
import enum
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, get_args

import attrs

from kamcore.accounts import Client, LineItem, Product
from kamcore.errors import CurrencyMismatchError, PolicyViolationError
from kamcore.kernel import Checks, Money, Percentage, is_int
from kamcore.pricing._conflicts import PricingConfigurationError, PricingConflict
from kamcore.pricing._resolution import PricingIndex

__all__ = [
    "DEFAULT_POLICY",
    "AdHocRule",
    "FindingCode",
    "FloorRule",
    "PolicyFinding",
    "PricingPolicy",
    "check_line",
]

FindingCode = Literal["ad_hoc_on_key_account", "below_floor", "below_margin"]
"""What a :class:`PolicyFinding` is about."""

_CODES: frozenset[str] = frozenset(get_args(FindingCode))
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
# Margins in messages divide; a local context keeps the host's context (its
# precision, its traps) out of it.
_DISPLAY = decimal.Context(prec=40, rounding=ROUND_HALF_UP)


class AdHocRule(enum.Enum):
    """What happens when an ad-hoc discount is put on a key account's line.

    Lines of accounts that are not key accounts always accept ad-hoc discounts.
    """

    ALLOW = "allow"
    WARN = "warn"
    REFUSE = "refuse"


class FloorRule(enum.Enum):
    """What happens when a line nets less than its floor or minimum margin."""

    IGNORE = "ignore"
    FLAG = "flag"
    REFUSE = "refuse"


@attrs.frozen(kw_only=True)
class PricingPolicy:
    """The rules a priced line must follow beyond the price lists themselves.

    Attributes:
        key_account_ad_hoc: Ad-hoc discounts on key accounts' lines: allow, warn
            (a finding) or refuse. Key accounts' custom prices belong in their
            price list, not in ad-hoc discounts.
        max_ad_hoc: For key accounts, the largest ad-hoc discount as a share of
            the line's gross total (0 to 100 %). The ceiling is that share
            rounded like an ad-hoc value (minor unit, ``ROUND_HALF_UP``), so a
            percentage discount equal to the maximum is always accepted. Worth
            more is refused, whatever ``key_account_ad_hoc`` says.
        below_floor: A line whose total (after every discount) is below
            ``(floor_price x quantity).rounded()``: ignore, flag or refuse.
        min_margin: The smallest margin ``(total - cost) / total`` a line may
            have (at most 100 %), where cost is ``(cost x quantity).rounded()``.
            ``None`` checks no margin.
        below_margin: A line below ``min_margin``: ignore, flag or refuse.

    Raises:
        ValidationError: naming every offending field.

    Example:
        >>> PricingPolicy(key_account_ad_hoc=AdHocRule.REFUSE).below_floor
        <FloorRule.REFUSE: 'refuse'>
    """

    key_account_ad_hoc: AdHocRule = AdHocRule.WARN
    max_ad_hoc: Percentage | None = None
    below_floor: FloorRule = FloorRule.REFUSE
    min_margin: Percentage | None = None
    below_margin: FloorRule = FloorRule.FLAG

    def __attrs_post_init__(self) -> None:
        checks = Checks("PricingPolicy")
        checks.instance("key_account_ad_hoc", self.key_account_ad_hoc, AdHocRule)
        if self.max_ad_hoc is not None and checks.instance(
            "max_ad_hoc", self.max_ad_hoc, Percentage
        ):
            checks.require(
                0 <= self.max_ad_hoc.value <= _HUNDRED,
                "max_ad_hoc",
                "must be from 0 to 100",
                self.max_ad_hoc,
            )
        checks.instance("below_floor", self.below_floor, FloorRule)
        if self.min_margin is not None and checks.instance(
            "min_margin", self.min_margin, Percentage
        ):
            checks.require(
                self.min_margin.value <= _HUNDRED,
                "min_margin",
                "a margin cannot be above 100",
                self.min_margin,
            )
        checks.instance("below_margin", self.below_margin, FloorRule)
        checks.raise_if_any()


DEFAULT_POLICY = PricingPolicy()
"""The policy used when none is given: warn on key accounts' ad-hoc discounts,
refuse lines below their floor, check no margin."""


@attrs.frozen
class PolicyFinding:
    """A rule the policy flags (or warns about) on one line, without refusing it.

    Attributes:
        line: The line's position in the document (0-based).
        code: ``"ad_hoc_on_key_account"``, ``"below_floor"`` or ``"below_margin"``.
        message: What was found, with the figures, for a person to read.
        value: The figure at fault: the ad-hoc discount's value, or the line's
            net total for a floor or margin finding.
    """

    line: int
    code: FindingCode
    message: str
    value: Money

    def __attrs_post_init__(self) -> None:
        checks = Checks("PolicyFinding")
        if checks.instance("line", self.line, int):
            checks.require(self.line >= 0, "line", "must not be negative", self.line)
        checks.require(
            self.code in _CODES, "code", f"must be one of {sorted(_CODES)}", self.code
        )
        checks.text("message", self.message)
        checks.instance("value", self.value, Money)
        checks.raise_if_any()

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def check_line(
    index: PricingIndex,
    client: Client,
    line: LineItem,
    *,
    position: int,
    policy: PricingPolicy,
) -> tuple[PolicyFinding, ...]:
    """Check one priced line against ``policy``.

    Floors and costs come from ``index.product(line.product)``; a product
    without a floor or cost is not checked against them. A floor or cost is
    only read when its rule is active, and an active floor or margin rule
    needs the catalogue: against an index built without ``products=``, or for
    a product its catalogue lacks, the line is refused rather than waved
    through unchecked.

    Args:
        index: The index the line was priced with (its catalogue gives floors
            and costs).
        client: The client the line is priced for.
        line: The priced line (unit price, quantity, ad-hoc discount).
        position: The line's position in its document, for messages.
        policy: The rules to apply.

    Returns:
        The findings of rules set to warn or flag, in rule order (ad-hoc,
        floor, margin); empty when the line is clean.

    Raises:
        PolicyViolationError: on the first rule set to refuse that the line
            breaks; ``policy`` names the rule (``"PricingPolicy.below_floor"``),
            ``detail`` the line, product and figures, ``value`` the figure at
            fault (as in :attr:`PolicyFinding.value`).
        CurrencyMismatchError: the product's floor or cost is in another
            currency than the line.
        PricingConfigurationError: a floor or margin rule is active but the
            index has no catalogue, or its catalogue lacks the product.
        ValidationError: ``position`` is not an integer >= 0.
    """
    checks = Checks("check_line")
    checks.require(
        is_int(position) and position >= 0,
        "position",
        "must be an integer >= 0",
        position,
    )
    checks.raise_if_any()
    return line_findings(index, client, line, position, policy)


def line_findings(
    index: PricingIndex,
    client: Client,
    line: LineItem,
    position: int,
    policy: PricingPolicy,
) -> tuple[PolicyFinding, ...]:
    """:func:`check_line` for a ``position`` known to be good (document pricing)."""
    findings: list[PolicyFinding] = []
    if client.key_account and line.ad_hoc is not None:
        findings.extend(_check_ad_hoc(client, line, position, policy))
    floors = policy.below_floor is not FloorRule.IGNORE
    margins = policy.min_margin is not None and policy.below_margin is not (
        FloorRule.IGNORE
    )
    if not (floors or margins):
        return tuple(findings)
    product = _catalogued(index, line, position, policy)
    if floors and product.floor_price is not None:
        findings.extend(_check_floor(line, position, product.floor_price, policy))
    if margins and product.cost is not None:
        assert policy.min_margin is not None  # noqa: S101 - margins says so
        findings.extend(
            _check_margin(line, position, product.cost, policy.min_margin, policy)
        )
    return tuple(findings)


def _catalogued(
    index: PricingIndex, line: LineItem, position: int, policy: PricingPolicy
) -> Product:
    """The line's product from the index's catalogue, which an active floor or
    margin rule needs: without it the line could sell below its floor unseen."""
    product = index.product(line.product)
    if product is not None:
        return product
    rule = (
        "PricingPolicy.below_floor"
        if policy.below_floor is not FloorRule.IGNORE
        else "PricingPolicy.below_margin"
    )
    if not index.has_catalogue:
        detail = (
            f"line {position}: {rule} is active but the pricing index was built "
            f"without products=, so the floor and cost of {line.product} are "
            "unknown; build the index with the catalogue, or use a policy that "
            "ignores floors and margins"
        )
    else:
        detail = (
            f"line {position}: {rule} is active but {line.product} is not in the "
            "catalogue the pricing index was built with"
        )
    raise PricingConfigurationError(
        [PricingConflict(detail, (f"lines[{position}].product", str(line.product)))]
    )


def _check_ad_hoc(
    client: Client, line: LineItem, position: int, policy: PricingPolicy
) -> list[PolicyFinding]:
    assert line.ad_hoc is not None  # noqa: S101 - checked by the caller
    value = line.ad_hoc_value
    what = (
        f"line {position}: ad-hoc discount of {value} on {line.product} "
        f"for key account {client.id}"
    )
    if policy.key_account_ad_hoc is AdHocRule.REFUSE:
        raise PolicyViolationError(
            "PricingPolicy.key_account_ad_hoc",
            f"{what} is refused: custom prices for key accounts belong in their "
            "price list",
            value,
        )
    if policy.max_ad_hoc is not None:
        gross = line.gross_total
        ceiling = policy.max_ad_hoc.of(gross).rounded()
        if value > ceiling:
            raise PolicyViolationError(
                "PricingPolicy.max_ad_hoc",
                f"{what} is more than {policy.max_ad_hoc} of the gross total "
                f"{gross} (at most {ceiling})",
                value,
            )
    if policy.key_account_ad_hoc is AdHocRule.ALLOW:
        return []
    return [
        PolicyFinding(
            position,
            "ad_hoc_on_key_account",
            f"{what} ({line.ad_hoc.reason}, granted by {line.ad_hoc.granted_by}): "
            "custom prices for key accounts belong in their price list",
            value,
        )
    ]


def _line_amount(line: LineItem, position: int, unit: Money, what: str) -> Money:
    """``unit x quantity`` rounded like a line's gross total, in the line currency."""
    currency = line.unit_price.currency
    if unit.currency != currency:
        raise CurrencyMismatchError(
            currency,
            unit.currency,
            f"compare line {position} ({line.product}) with {what}",
        )
    return (unit * line.quantity).rounded()


def _flag_or_refuse(
    rule: FloorRule, policy_name: str, finding: PolicyFinding
) -> list[PolicyFinding]:
    if rule is FloorRule.REFUSE:
        raise PolicyViolationError(policy_name, finding.message, finding.value)
    return [finding]


def _check_floor(
    line: LineItem, position: int, floor: Money, policy: PricingPolicy
) -> list[PolicyFinding]:
    floor_total = _line_amount(line, position, floor, "its floor price")
    total = line.total
    if total >= floor_total:
        return []
    return _flag_or_refuse(
        policy.below_floor,
        "PricingPolicy.below_floor",
        PolicyFinding(
            position,
            "below_floor",
            f"line {position}: {line.product} x {line.quantity} nets {total}, "
            f"below its floor {floor_total} ({floor} per unit)",
            total,
        ),
    )


def _check_margin(
    line: LineItem,
    position: int,
    cost: Money,
    min_margin: Percentage,
    policy: PricingPolicy,
) -> list[PolicyFinding]:
    cost_total = _line_amount(line, position, cost, "its cost")
    total = line.total
    # margin < minimum  <=>  total - cost < minimum x total: no division, exact,
    # and a zero total with a positive cost is below any minimum.
    if total - cost_total >= min_margin.of(total):
        return []
    return _flag_or_refuse(
        policy.below_margin,
        "PricingPolicy.below_margin",
        PolicyFinding(
            position,
            "below_margin",
            f"line {position}: {line.product} x {line.quantity} nets {total} "
            f"against a cost of {cost_total}: margin {_margin(total, cost_total)}, "
            f"below the minimum {min_margin}",
            total,
        ),
    )


def _margin(total: Money, cost_total: Money) -> str:
    """The margin in percent, to 2 places, for a message."""
    if total.is_zero():
        return "undefined on a zero total"
    share = _DISPLAY.divide((total.amount - cost_total.amount) * _HUNDRED, total.amount)
    return f"{share.quantize(_CENT, context=_DISPLAY)}%"
