"""Tier overrides as an append-only history: the one set last wins on the days
it covers, none applies before the day it was set, and ending one early adds a
record instead of deleting anything."""

from __future__ import annotations

import datetime as dt

import pytest
from loyalty_builders import bill, earn, member, programme

from kamcore.errors import FieldError, ValidationError
from kamcore.kernel import ManagerId, Rate
from kamcore.loyalty import (
    Membership,
    TierOverride,
    earn_multiplier,
    tier_on,
)

LP = programme()
ROSSI = ManagerId("m.rossi")


def override(
    tier: str | None, starts: dt.date, ends: dt.date, *, set_on: dt.date
) -> TierOverride:
    return TierOverride(
        tier=tier,
        reason="framework agreement" if tier else "agreement cancelled",
        by=ROSSI,
        starts_on=starts,
        ends_on=ends,
        set_on=set_on,
    )


JAN_TO_MAR = override(
    "gold", dt.date(2026, 1, 1), dt.date(2026, 3, 31), set_on=dt.date(2026, 1, 1)
)
FEB_TO_JUN = override(
    "platinum", dt.date(2026, 2, 1), dt.date(2026, 6, 30), set_on=dt.date(2026, 2, 1)
)


def standing(ms: Membership, day: dt.date) -> tuple[str, str, bool]:
    found = tier_on(ms, LP, day)
    return (found.tier.code, found.held.code, found.overridden)


def test_a_later_override_leaves_the_tier_of_earlier_days_as_it_was() -> None:
    january = member(overrides=(JAN_TO_MAR,))
    before = standing(january, dt.date(2026, 1, 15))
    both = january.with_override(FEB_TO_JUN)
    assert before == ("gold", "silver", True)
    assert standing(both, dt.date(2026, 1, 15)) == ("gold", "silver", True)
    assert tier_on(both, LP, dt.date(2026, 1, 15)) == tier_on(
        january, LP, dt.date(2026, 1, 15)
    )
    assert both.overrides == (JAN_TO_MAR, FEB_TO_JUN)


def test_points_earned_on_a_past_day_keep_that_days_override_multiplier() -> None:
    both = member(overrides=(JAN_TO_MAR, FEB_TO_JUN))
    assert earn_multiplier(both, LP, dt.date(2026, 1, 15)) == Rate("1.5")
    assert earn_multiplier(both, LP, dt.date(2026, 2, 15)) == Rate(2)
    # Spend later in January does not move the January day either.
    spent = earn(both, LP, bill("i-1", dt.date(2026, 1, 20), "10000.00"))
    assert earn_multiplier(spent, LP, dt.date(2026, 1, 15)) == Rate("1.5")


def test_the_override_set_last_wins_on_the_days_both_cover() -> None:
    both = member(overrides=(JAN_TO_MAR, FEB_TO_JUN))
    days = [dt.date(2026, 1, 31), dt.date(2026, 2, 1), dt.date(2026, 3, 31)]
    assert [standing(both, day)[0] for day in days] == ["gold", "platinum", "platinum"]
    assert both.override_on(dt.date(2026, 3, 31)) == FEB_TO_JUN
    assert standing(both, dt.date(2026, 6, 30)) == ("platinum", "silver", True)
    assert standing(both, dt.date(2026, 7, 1)) == ("silver", "silver", False)


def test_a_shorter_override_set_later_lets_the_earlier_one_resume() -> None:
    inside = override(
        "platinum",
        dt.date(2026, 2, 10),
        dt.date(2026, 2, 20),
        set_on=dt.date(2026, 2, 5),
    )
    ms = member(overrides=(JAN_TO_MAR, inside))
    days = [dt.date(2026, 2, d) for d in (9, 10, 20, 21)]
    assert [standing(ms, day)[0] for day in days] == [
        "gold",
        "platinum",
        "platinum",
        "gold",
    ]


def test_an_ending_record_brings_back_the_earned_tier_from_its_first_day() -> None:
    ending = override(
        None, dt.date(2026, 2, 16), dt.date(2026, 3, 31), set_on=dt.date(2026, 2, 16)
    )
    ms = member(overrides=(JAN_TO_MAR, ending))
    assert standing(ms, dt.date(2026, 2, 15)) == ("gold", "silver", True)
    assert standing(ms, dt.date(2026, 2, 16)) == ("silver", "silver", False)
    assert ms.override_on(dt.date(2026, 2, 16)) is None
    assert ms.override_on(dt.date(2026, 2, 15)) == JAN_TO_MAR
    # Nothing was removed: the history keeps both records.
    assert ms.overrides == (JAN_TO_MAR, ending)
    assert ending.ends_override
    assert not JAN_TO_MAR.ends_override


def test_an_override_set_after_an_ending_applies_again() -> None:
    ending = override(
        None, dt.date(2026, 2, 16), dt.date(2026, 3, 31), set_on=dt.date(2026, 2, 16)
    )
    again = override(
        "platinum",
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 10),
        set_on=dt.date(2026, 2, 20),
    )
    ms = member(overrides=(JAN_TO_MAR, ending, again))
    days = [dt.date(2026, 2, 28), dt.date(2026, 3, 1), dt.date(2026, 3, 11)]
    assert [standing(ms, day)[0] for day in days] == ["silver", "platinum", "silver"]


def test_an_override_cannot_start_before_the_day_it_is_set() -> None:
    with pytest.raises(ValidationError) as caught:
        override(
            "gold",
            dt.date(2026, 1, 31),
            dt.date(2026, 3, 31),
            set_on=dt.date(2026, 2, 1),
        )
    assert caught.value.subject == "TierOverride"
    assert caught.value.errors == (
        FieldError(
            "starts_on",
            "2026-01-31 is before the day the override is set (2026-02-01): "
            "an override never applies retroactively",
            dt.date(2026, 1, 31),
        ),
    )


def test_an_override_may_start_the_day_it_is_set() -> None:
    same_day = override(
        "gold", dt.date(2026, 2, 1), dt.date(2026, 2, 1), set_on=dt.date(2026, 2, 1)
    )
    assert member(overrides=(same_day,)).override_on(dt.date(2026, 2, 1)) == same_day


def test_overrides_must_be_in_the_order_they_were_set() -> None:
    with pytest.raises(ValidationError) as caught:
        member(overrides=(FEB_TO_JUN, JAN_TO_MAR))
    assert caught.value.errors == (
        FieldError(
            "overrides[1].set_on",
            "2026-01-01 is before the previous override's (2026-02-01): "
            "overrides are appended in the order set",
            dt.date(2026, 1, 1),
        ),
    )
    with pytest.raises(ValidationError, match=r"@ overrides\[1\]\.set_on"):
        member(overrides=(FEB_TO_JUN,)).with_override(JAN_TO_MAR)


def test_overrides_set_the_same_day_keep_their_order() -> None:
    first = override(
        "gold", dt.date(2026, 2, 1), dt.date(2026, 2, 28), set_on=dt.date(2026, 2, 1)
    )
    second = override(
        "platinum",
        dt.date(2026, 2, 1),
        dt.date(2026, 2, 28),
        set_on=dt.date(2026, 2, 1),
    )
    assert standing(member(overrides=(first, second)), dt.date(2026, 2, 1))[0] == (
        "platinum"
    )
    assert standing(member(overrides=(second, first)), dt.date(2026, 2, 1))[0] == (
        "gold"
    )


def test_an_override_needs_a_set_on_date_and_a_non_blank_tier() -> None:
    with pytest.raises(ValidationError) as caught:
        TierOverride(
            tier=" ",
            reason="x",
            by=ROSSI,
            starts_on=dt.date(2026, 2, 1),
            ends_on=dt.date(2026, 2, 1),
            set_on=dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
        )
    assert [(e.path, e.message) for e in caught.value.errors] == [
        ("tier", "must not be empty"),
        ("set_on", "expected a date, got a datetime"),
    ]
