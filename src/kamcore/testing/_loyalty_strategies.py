"""Strategies for loyalty programmes and memberships.

A membership is only valid if its ledger is one the posting functions could
have written (lots drawn oldest first, never overdrawn, fractions carried...),
so memberships are built the way an application builds them: a random history
of documents posted through the real functions of :mod:`kamcore.loyalty` (see
:mod:`kamcore.testing._loyalty_histories`).
"""

from __future__ import annotations

import datetime as dt
import functools

import attrs
from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st

from kamcore.kernel import (
    ClientId,
    ManagerId,
    MembershipId,
    Money,
    Percentage,
    ProgrammeId,
    ProposalId,
    Rate,
)
from kamcore.loyalty import (
    CategoryMultiplier,
    EarnRules,
    EarnTrigger,
    Membership,
    Programme,
    QualificationWindow,
    Reservation,
    ReversalPolicy,
    Tier,
    TierBenefits,
    TierOverride,
)
from kamcore.testing._loyalty_histories import CATEGORIES, LoyaltyHistory, post, steps
from kamcore.testing._value_strategies import currencies, dates, ids, names

__all__ = ["loyalty_histories", "memberships", "programmes", "tier_overrides"]

_TIER_CODES = ("bronze", "silver", "gold", "platinum")
_LATEST_START = dt.date(2090, 1, 1)
_LAST_END = dt.date(2099, 12, 31)


_CURRENCIES = currencies()
_PROGRAMME_IDS = ids(ProgrammeId)
_MEMBERSHIP_IDS = ids(MembershipId)
_ENROLMENTS = dates(max_value=_LATEST_START)
_TIER_COUNTS = st.integers(1, len(_TIER_CODES))
_RISES = st.integers(1, 500_000)
_DISCOUNTS = st.sampled_from([Percentage(0), Percentage(5)])
_MULTIPLIERS = st.sampled_from([Rate(1), Rate("1.5"), Rate(2)])
_CATEGORY_LISTS = st.lists(
    st.sampled_from(sorted(set(CATEGORIES.values()))), unique=True
)
_CATEGORY_RATES = st.sampled_from([Rate(0), Rate(2), Rate("0.5")])
_POINTS_PER_UNIT = st.sampled_from([Rate(1), Rate("0.1"), Rate("1.25"), Rate("0.07")])
_MINIMUMS = st.sampled_from([None, 50])
_EXPIRIES = st.sampled_from([None, 1, 12, 24])
_WINDOWS = st.sampled_from(QualificationWindow)
_TRIGGERS = st.sampled_from(EarnTrigger)
_POLICIES = st.sampled_from(ReversalPolicy)
_PLACES = st.integers(0, 3)
_RATES = st.sampled_from(["0.01", "0.005", "1", "0.125"])
_SHARES = st.sampled_from([Percentage(100), Percentage(50), Percentage("33.5")])
_GRACE = st.sampled_from([0, 1, 30])
_WARNING = st.sampled_from([0, 30, 45])
_EXPIRY_WARNING = st.sampled_from([0, 30, 60])
_PROPOSAL_IDS = ids(ProposalId)
_MANAGERS = ids(ManagerId)
_OVERRIDE_COUNTS = st.integers(0, 2)


@functools.lru_cache(maxsize=256)
def _tier_choices(codes: tuple[str, ...]) -> st.SearchStrategy[str | None]:
    return st.sampled_from([*codes, None])


def _tiers(draw: st.DrawFn, currency: str) -> tuple[Tier, ...]:
    count = draw(_TIER_COUNTS)
    threshold = Money.zero(currency)
    tiers = []
    for index, code in enumerate(_TIER_CODES[:count]):
        if index:
            threshold = threshold + Money.from_minor_units(draw(_RISES), currency)
        tiers.append(
            Tier(
                code=code,
                name=code.title(),
                threshold=threshold,
                benefits=TierBenefits(
                    description=f"{code} benefits",
                    extra_discount=draw(_DISCOUNTS),
                    earn_multiplier=draw(_MULTIPLIERS),
                ),
            )
        )
    return tuple(tiers)


def _earn_rules(draw: st.DrawFn, currency: str) -> EarnRules:
    minimum = draw(_MINIMUMS)
    return EarnRules(
        points_per_unit=draw(_POINTS_PER_UNIT),
        category_multipliers=tuple(
            CategoryMultiplier(category=category, multiplier=draw(_CATEGORY_RATES))
            for category in draw(_CATEGORY_LISTS)
        ),
        minimum_invoice=None if minimum is None else Money(minimum, currency),
    )


@st.composite
def programmes(
    draw: st.DrawFn,
    currency: str | None = None,
    *,
    window: QualificationWindow | None = None,
    earn_on: EarnTrigger | None = None,
    reversal: ReversalPolicy | None = None,
    point_places: int | None = None,
) -> Programme:
    """Loyalty programmes: one to four tiers, every setting drawn.

    Thresholds rise by up to 500 000 minor units a tier (5 000.00 EUR), so
    that histories reach them; expiries, when drawn, are 1, 12 or 24 months.

    Args:
        draw: Supplied by Hypothesis.
        currency: Pin the currency.
        window: Pin the qualification window.
        earn_on: Pin when points are earned.
        reversal: Pin the reversal policy.
        point_places: Pin the point places (0 to 3 otherwise).
    """
    code = draw(_CURRENCIES) if currency is None else currency
    months = draw(_EXPIRIES)
    return Programme(
        id=draw(_PROGRAMME_IDS),
        name=draw(names),
        currency=code,
        earn=_earn_rules(draw, code),
        tiers=_tiers(draw, code),
        window=draw(_WINDOWS) if window is None else window,
        expiry=None if months is None else relativedelta(months=months),
        earn_on=draw(_TRIGGERS) if earn_on is None else earn_on,
        redemption_rate=Money(draw(_RATES), code),
        max_redemption_share=draw(_SHARES),
        reversal=draw(_POLICIES) if reversal is None else reversal,
        point_places=draw(_PLACES) if point_places is None else point_places,
        downgrade_grace_days=draw(_GRACE),
        downgrade_warning_days=draw(_WARNING),
        expiry_warning_days=draw(_EXPIRY_WARNING),
    )


_PROGRAMMES = programmes()


@st.composite
def loyalty_histories(
    draw: st.DrawFn,
    programme: Programme | st.SearchStrategy[Programme] | None = None,
    *,
    max_steps: int = 12,
) -> LoyaltyHistory:
    """A programme (given, or drawn from a strategy, by default
    :func:`programmes`), a fresh membership of client ``c-1`` and a history of
    up to ``max_steps`` steps posted to it."""
    return _history(draw, programme, max_steps)


def _history(
    draw: st.DrawFn,
    programme: Programme | st.SearchStrategy[Programme] | None,
    max_steps: int,
) -> LoyaltyHistory:
    if programme is None:
        programme = _PROGRAMMES
    chosen = programme if isinstance(programme, Programme) else draw(programme)
    membership = Membership(
        id=draw(_MEMBERSHIP_IDS),
        client=ClientId("c-1"),
        programme=chosen.id,
        enrolled_on=draw(_ENROLMENTS),
    )
    return post(chosen, membership, draw(steps(max_steps)))


@st.composite
def memberships(
    draw: st.DrawFn,
    programme: Programme | st.SearchStrategy[Programme] | None = None,
    *,
    max_steps: int = 12,
) -> Membership:
    """Memberships whose ledgers were written by the posting functions.

    Besides the history (see :func:`loyalty_histories`, which may set tier
    overrides along the way), some hold points reserved on proposals (within
    what is available), or tier overrides set later by the account manager
    (:func:`tier_overrides`), in the order they were set.

    Args:
        draw: Supplied by Hypothesis.
        programme: The programme, or a strategy to draw it from
            (:func:`programmes` when not given).
        max_steps: The most documents posted.
    """
    history = _history(draw, programme, max_steps)
    membership = history.membership
    available = membership.available()
    if available > 0 and draw(st.booleans()):
        reserved = Reservation(
            proposal=draw(_PROPOSAL_IDS),
            points=available,
            rate=history.programme.redemption_rate,
            reserved_on=draw(dates(membership.enrolled_on, _LATEST_START)),
        )
        membership = attrs.evolve(membership, reservations=(reserved,))
    codes = [tier.code for tier in history.programme.tiers]
    for _ in range(draw(_OVERRIDE_COUNTS)):
        membership = membership.with_override(
            _tier_override(draw, codes, _last_set_on(membership))
        )
    return membership


def _last_set_on(membership: Membership) -> dt.date:
    if membership.overrides:
        return membership.overrides[-1].set_on
    return membership.enrolled_on


@st.composite
def tier_overrides(
    draw: st.DrawFn, codes: list[str], *, set_from: dt.date
) -> TierOverride:
    """Tier overrides set on or after ``set_from``, starting no earlier than
    they are set: one of ``codes``, or ``None`` (back to the earned tier).

    Args:
        draw: Supplied by Hypothesis.
        codes: The programme's tier codes.
        set_from: The earliest ``set_on`` (the last override's, to append).
    """
    return _tier_override(draw, codes, set_from)


def _tier_override(
    draw: st.DrawFn, codes: list[str], set_from: dt.date
) -> TierOverride:
    set_on = draw(dates(set_from, max(set_from, _LATEST_START)))
    starts = draw(dates(set_on, max(set_on, _LATEST_START)))
    return TierOverride(
        tier=draw(_tier_choices(tuple(codes))),
        reason=draw(names),
        by=draw(_MANAGERS),
        starts_on=starts,
        ends_on=draw(dates(starts, max(starts, _LAST_END))),
        set_on=set_on,
    )
