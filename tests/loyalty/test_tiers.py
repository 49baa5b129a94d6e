"""The tier engine: upgrades at once, downgrades at period ends after the grace,
the windows, overrides, past dates, and the spend still needed."""

from __future__ import annotations

import datetime as dt

import pytest
from loyalty_builders import (
    AT,
    ENROLLED,
    bill,
    credit,
    earn,
    eur,
    member,
    note,
    programme,
)

from kamcore.kernel import DateRange, ManagerId
from kamcore.loyalty import (
    Membership,
    Programme,
    QualificationWindow,
    TierOverride,
    period_of,
    reverse_credit_note,
    spend_needed,
    tier_on,
)

ROLLING = programme()
CALENDAR = programme(window=QualificationWindow.CALENDAR_YEAR)
LIFETIME = programme(window=QualificationWindow.LIFETIME)
GRACE = programme(window=QualificationWindow.CALENDAR_YEAR, downgrade_grace_days=30)
DAY = dt.timedelta(days=1)


def tier(ms: Membership, lp: Programme, day: dt.date) -> str:
    return tier_on(ms, lp, day).tier.code


def spent(
    lp: Programme, *invoices: tuple[dt.date, str], enrolled: dt.date = ENROLLED
) -> Membership:
    """A member who was invoiced these amounts on these days."""
    ms = member(enrolled=enrolled)
    for number, (day, amount) in enumerate(invoices):
        ms = earn(ms, lp, bill(f"i-{number}", day, amount))
    return ms


# -- upgrades -------------------------------------------------------------------


def test_an_upgrade_takes_effect_the_day_the_threshold_is_reached() -> None:
    ms = spent(ROLLING, (dt.date(2025, 3, 1), "10000.00"))
    assert tier(ms, ROLLING, dt.date(2025, 2, 28)) == "silver"
    assert tier(ms, ROLLING, dt.date(2025, 3, 1)) == "gold"


def test_one_cent_below_the_threshold_is_not_enough() -> None:
    ms = spent(ROLLING, (dt.date(2025, 3, 1), "9999.99"))
    assert tier(ms, ROLLING, dt.date(2025, 3, 1)) == "silver"
    ms = earn(ms, ROLLING, bill("i-9", dt.date(2025, 3, 5), "0.01"))
    assert tier(ms, ROLLING, dt.date(2025, 3, 4)) == "silver"
    assert tier(ms, ROLLING, dt.date(2025, 3, 5)) == "gold"


def test_spend_before_the_enrolment_counts_from_the_enrolment_day() -> None:
    ms = spent(ROLLING, (dt.date(2025, 1, 10), "10000.00"))
    assert tier(ms, ROLLING, ENROLLED - DAY) == "silver"
    assert tier(ms, ROLLING, ENROLLED) == "gold"


def test_a_reversal_leaving_the_rolling_window_can_upgrade() -> None:
    invoice = bill("i-a", dt.date(2025, 2, 1), "5000.00")
    ms = earn(member(), ROLLING, invoice)
    invoice = credit(invoice, "cn-a", dt.date(2025, 3, 1), "5000.00")
    ms = reverse_credit_note(ms, ROLLING, invoice, note(invoice, "cn-a"), at=AT)
    ms = earn(ms, ROLLING, bill("i-b", dt.date(2026, 2, 15), "12000.00"))
    # 12 000.00 less the 5 000.00 credited on 2025-03-01, until that leaves.
    assert tier_on(ms, ROLLING, dt.date(2026, 2, 28)).spend == eur("7000.00")
    assert tier(ms, ROLLING, dt.date(2026, 2, 28)) == "silver"
    assert tier(ms, ROLLING, dt.date(2026, 3, 1)) == "gold"


# -- downgrades -----------------------------------------------------------------


def test_a_calendar_year_downgrade_waits_for_the_period_end() -> None:
    ms = spent(CALENDAR, (dt.date(2025, 3, 1), "10000.00"))
    # 2025's spend keeps gold through 2026; 2026's (none) loses it for 2027.
    assert tier(ms, CALENDAR, dt.date(2026, 1, 1)) == "gold"
    assert tier(ms, CALENDAR, dt.date(2026, 12, 31)) == "gold"
    assert tier(ms, CALENDAR, dt.date(2027, 1, 1)) == "silver"


def test_a_rolling_downgrade_waits_for_the_membership_year_end() -> None:
    ms = spent(ROLLING, (dt.date(2025, 3, 1), "10000.00"))
    # The spend left the window on 2026-03-01; the tier stays to the period end.
    standing = tier_on(ms, ROLLING, dt.date(2026, 6, 1))
    assert (standing.tier.code, standing.spend) == ("gold", eur("0.00"))
    assert tier(ms, ROLLING, dt.date(2027, 1, 14)) == "gold"
    assert tier(ms, ROLLING, dt.date(2027, 1, 15)) == "silver"


def test_a_downgrade_waits_for_the_grace_days() -> None:
    ms = spent(GRACE, (dt.date(2025, 3, 1), "10000.00"))
    assert tier(ms, GRACE, dt.date(2027, 1, 30)) == "gold"
    assert tier(ms, GRACE, dt.date(2027, 1, 31)) == "silver"


def test_requalifying_during_the_grace_cancels_the_downgrade() -> None:
    ms = spent(
        GRACE, (dt.date(2025, 3, 1), "10000.00"), (dt.date(2027, 1, 20), "10000.00")
    )
    assert tier(ms, GRACE, dt.date(2027, 1, 31)) == "gold"
    assert tier(ms, GRACE, dt.date(2027, 12, 31)) == "gold"


def test_requalifying_after_the_grace_is_an_upgrade_again() -> None:
    ms = spent(
        GRACE, (dt.date(2025, 3, 1), "10000.00"), (dt.date(2027, 3, 1), "10000.00")
    )
    assert tier(ms, GRACE, dt.date(2027, 2, 28)) == "silver"
    assert tier(ms, GRACE, dt.date(2027, 3, 1)) == "gold"


def test_a_partial_requalification_lands_on_the_tier_reached() -> None:
    ms = spent(
        GRACE, (dt.date(2025, 3, 1), "50000.00"), (dt.date(2027, 1, 10), "10000.00")
    )
    assert tier(ms, GRACE, dt.date(2027, 1, 30)) == "platinum"
    assert tier(ms, GRACE, dt.date(2027, 1, 31)) == "gold"


def test_a_lifetime_tier_never_downgrades() -> None:
    ms = spent(LIFETIME, (dt.date(2025, 3, 1), "10000.00"))
    assert tier(ms, LIFETIME, dt.date(2035, 6, 1)) == "gold"


# -- periods ---------------------------------------------------------------------


def test_calendar_periods_are_calendar_years() -> None:
    assert period_of(CALENDAR, member(), dt.date(2025, 7, 1)) == DateRange(
        dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    )


def test_rolling_periods_are_membership_years() -> None:
    assert period_of(ROLLING, member(), dt.date(2026, 1, 14)) == DateRange(
        dt.date(2025, 1, 15), dt.date(2026, 1, 14)
    )
    assert period_of(ROLLING, member(), dt.date(2026, 1, 15)) == DateRange(
        dt.date(2026, 1, 15), dt.date(2027, 1, 14)
    )


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (dt.date(2025, 2, 27), dt.date(2024, 2, 29), dt.date(2025, 2, 27)),
        (dt.date(2025, 2, 28), dt.date(2025, 2, 28), dt.date(2026, 2, 27)),
        (dt.date(2028, 2, 28), dt.date(2027, 2, 28), dt.date(2028, 2, 28)),
        (dt.date(2028, 2, 29), dt.date(2028, 2, 29), dt.date(2029, 2, 27)),
    ],
)
def test_periods_of_a_29_february_enrolment_stay_anchored(
    day: dt.date, start: dt.date, end: dt.date
) -> None:
    leap = member(enrolled=dt.date(2024, 2, 29))
    assert period_of(ROLLING, leap, day) == DateRange(start, end)


def test_a_29_february_member_is_downgraded_on_the_anniversary() -> None:
    leap_day = dt.date(2024, 2, 29)
    ms = spent(ROLLING, (leap_day, "10000.00"), enrolled=leap_day)
    # 2025-02-28 starts the second period; the spend of the first keeps gold.
    assert tier(ms, ROLLING, dt.date(2026, 2, 27)) == "gold"
    assert tier(ms, ROLLING, dt.date(2026, 2, 28)) == "silver"


def test_the_lifetime_period_never_ends() -> None:
    assert period_of(LIFETIME, member(), dt.date(2030, 1, 1)) == DateRange(
        ENROLLED, None
    )


# -- overrides and past dates ------------------------------------------------------


def test_an_override_applies_between_its_dates() -> None:
    override = TierOverride(
        tier="platinum",
        reason="strategic account",
        by=ManagerId("m-1"),
        starts_on=dt.date(2025, 6, 1),
        ends_on=dt.date(2025, 6, 30),
        set_on=dt.date(2025, 5, 20),
    )
    ms = spent(ROLLING, (dt.date(2025, 3, 1), "10000.00"))
    ms = Membership(
        id=ms.id,
        client=ms.client,
        programme=ms.programme,
        enrolled_on=ms.enrolled_on,
        entries=ms.entries,
        overrides=(override,),
    )
    before = tier_on(ms, ROLLING, dt.date(2025, 5, 31))
    first = tier_on(ms, ROLLING, dt.date(2025, 6, 1))
    last = tier_on(ms, ROLLING, dt.date(2025, 6, 30))
    after = tier_on(ms, ROLLING, dt.date(2025, 7, 1))
    assert [(s.tier.code, s.held.code, s.overridden) for s in (before, first)] == [
        ("gold", "gold", False),
        ("platinum", "gold", True),
    ]
    assert (last.tier.code, after.tier.code, after.overridden) == (
        "platinum",
        "gold",
        False,
    )


def test_later_entries_never_change_a_past_tier() -> None:
    ms = spent(ROLLING, (dt.date(2025, 3, 1), "10000.00"))
    past = tier_on(ms, ROLLING, dt.date(2025, 3, 15))
    ms = earn(ms, ROLLING, bill("i-9", dt.date(2025, 4, 1), "50000.00"))
    assert tier_on(ms, ROLLING, dt.date(2025, 3, 15)) == past
    assert tier(ms, ROLLING, dt.date(2025, 4, 1)) == "platinum"


def test_the_standing_tells_the_spend_to_the_next_tier() -> None:
    ms = spent(ROLLING, (dt.date(2025, 3, 1), "4000.00"))
    standing = tier_on(ms, ROLLING, dt.date(2025, 3, 1))
    assert standing.next_tier is not None
    assert (standing.next_tier.code, standing.to_next) == ("gold", eur("6000.00"))
    top = spent(ROLLING, (dt.date(2025, 3, 1), "60000.00"))
    assert tier_on(top, ROLLING, dt.date(2025, 3, 1)).next_tier is None


# -- spend needed ----------------------------------------------------------------


def test_spend_needed_by_the_calendar_year_end() -> None:
    ms = spent(CALENDAR, (dt.date(2025, 3, 1), "4000.00"))
    as_of = dt.date(2025, 10, 1)
    assert spend_needed(ms, CALENDAR, "gold", as_of=as_of) == eur("6000.00")
    assert spend_needed(ms, CALENDAR, "platinum", as_of=as_of) == eur("46000.00")
    assert spend_needed(ms, CALENDAR, "silver", as_of=as_of) == eur("0.00")


def test_spend_leaving_the_rolling_window_by_the_period_end_does_not_count() -> None:
    # 9 000.00 in the first membership year, 3 000.00 in the second.
    ms = spent(
        ROLLING, (dt.date(2025, 12, 1), "9000.00"), (dt.date(2026, 3, 1), "3000.00")
    )
    as_of = dt.date(2026, 6, 1)
    assert tier_on(ms, ROLLING, as_of).spend == eur("12000.00")
    assert spend_needed(ms, ROLLING, "gold", as_of=as_of) == eur("7000.00")


def test_spend_dated_after_the_date_asked_is_not_counted() -> None:
    ms = spent(
        CALENDAR, (dt.date(2025, 3, 1), "4000.00"), (dt.date(2025, 11, 1), "6000.00")
    )
    needed = spend_needed(ms, CALENDAR, "gold", as_of=dt.date(2025, 10, 1))
    assert needed == eur("6000.00")


def test_spend_needed_over_a_lifetime_is_what_reaches_the_tier() -> None:
    ms = spent(LIFETIME, (dt.date(2025, 3, 1), "4000.00"))
    assert spend_needed(ms, LIFETIME, "gold", as_of=dt.date(2030, 1, 1)) == eur(
        "6000.00"
    )
