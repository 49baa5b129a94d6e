"""A late alert in the ledger tells of a stretch of term ends: the first, the
last and how many. Entries stored before stretches were told at once read as
one term end each."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from kamcore.contracts import AlertKind, RenewalAlert
from kamcore.errors import ValidationError
from kamcore.serialization import structure, unstructure
from kamcore.testing._contract_samples import renewal_alert

FIRST, LAST = dt.date(2026, 1, 31), dt.date(2026, 5, 31)


def late(**fields: Any) -> RenewalAlert:
    entry = renewal_alert("k-1", FIRST, AlertKind.LATE, raised_on=dt.date(2026, 6, 15))
    return attrs.evolve(entry, **fields)


def refusal(**fields: Any) -> tuple[str, object, str]:
    with pytest.raises(ValidationError) as raised:
        late(**fields)
    [error] = raised.value.errors
    return error.path, error.value, error.message


def test_a_late_alert_covers_every_term_end_of_its_stretch() -> None:
    stretch = late(last_term_end=LAST, terms=5)
    days = [
        dt.date(2025, 12, 31),
        FIRST,
        dt.date(2026, 3, 31),
        LAST,
        dt.date(2026, 6, 30),
    ]
    assert [stretch.covers(day) for day in days] == [False, True, True, True, False]


def test_a_late_alert_stored_without_a_stretch_reads_as_one_term_end() -> None:
    document = unstructure(late())
    del document["last_term_end"], document["terms"]
    stored = structure(document, RenewalAlert)
    assert (stored.last_term_end, stored.terms) == (None, 1)
    assert [stored.covers(FIRST), stored.covers(LAST)] == [True, False]


def test_a_stretch_round_trips_through_the_converter() -> None:
    stretch = late(last_term_end=LAST, terms=5)
    assert structure(unstructure(stretch), RenewalAlert) == stretch


def test_a_stretch_ending_before_it_starts_is_refused() -> None:
    assert refusal(last_term_end=dt.date(2026, 1, 30), terms=2) == (
        "last_term_end",
        dt.date(2026, 1, 30),
        "is before the first term end it covers (2026-01-31)",
    )


def test_a_stretch_of_several_term_ends_counted_as_one_is_refused() -> None:
    assert refusal(last_term_end=LAST) == (
        "terms",
        1,
        "does not match the term ends covered (2026-01-31 to 2026-05-31)",
    )


def test_a_count_below_one_is_refused() -> None:
    assert refusal(terms=0) == (
        "terms",
        0,
        "expected a whole number of term ends, at least 1",
    )


def test_only_a_late_alert_covers_several_term_ends() -> None:
    renewal = renewal_alert("k-1", FIRST)
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(renewal, last_term_end=LAST, terms=5)
    [error] = raised.value.errors
    assert (error.path, error.message) == (
        "last_term_end",
        "only a late alert covers several term ends, not a renewal one",
    )
