"""The integer matrices of a state against plain ``Decimal`` arithmetic.

A state holds its sums as 64-bit cells while they stay small and as Python
integers beyond (``kamcore.metrics._sums``). Whatever the amounts — cents,
yen, sums near the 64-bit limit or far past it, months far apart — every
figure must be the one exact ``Decimal`` arithmetic gives: the sums per
account and month, the ranking, the average value, revenue growth and the
declines, from records, from events, and from merged parts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kamcore.accounts import Client
from kamcore.kernel import ClientId, ManagerId, Money, Percentage
from kamcore.metrics import (
    AccountSelection,
    Basis,
    DeclineRule,
    PortfolioState,
    account_ranking,
    average_value,
    month_key,
    order_decline,
    revenue_growth,
)
from kamcore.metrics._sums import CELL_LIMIT

AS_OF = dt.date(2026, 3, 9)
LAST = month_key(AS_OF) - 1
CURRENCIES = {"a": "EUR", "b": "EUR", "c": "EUR", "d": "JPY", "e": "JPY"}
CLIENTS = [
    Client(
        id=ClientId(name),
        name=name.upper(),
        currency=code,
        locale="en_GB",
        key_account=True,
        account_manager=ManagerId("m"),
    )
    for name, code in CURRENCIES.items()
]
SELECTION = AccountSelection.key_accounts().resolve(CLIENTS)
PLACES = {"EUR": 2, "JPY": 0}

# Minor units: small, either side of the cell limit, past 64 bits.
UNITS = (
    st.integers(-(10**6), 10**6)
    | st.sampled_from([CELL_LIMIT, CELL_LIMIT + 1, -CELL_LIMIT - 1, 2**62, 2**63])
    | st.integers(-(10**27), 10**27)
)
# The months the figures read, and some far from them.
MONTHS = st.sampled_from(
    [LAST, LAST - 1, LAST - 5, LAST - 12, LAST - 13, LAST - 30, 12 * 1900, 12 * 9000]
)

Record = tuple[str, dt.date, Decimal]


def _day(month: int) -> dt.date:
    return dt.date(month // 12, month % 12 + 1, 1)


records = st.lists(
    st.builds(
        lambda who, month, units: (
            who,
            _day(month),
            Decimal(units).scaleb(-PLACES[CURRENCIES[who]]),
        ),
        st.sampled_from(sorted(CURRENCIES)),
        MONTHS,
        UNITS,
    ),
    max_size=25,
)


def _state(rows: list[Record]) -> PortfolioState:
    state = PortfolioState()
    for code in ("EUR", "JPY"):
        mine = [r for r in rows if CURRENCIES[r[0]] == code]
        state.add_invoice_records(mine, currency=code)
    return state


def _sums(rows: list[Record]) -> dict[str, dict[int, Decimal]]:
    """The sums per account and month, by plain Decimal arithmetic."""
    found: dict[str, dict[int, Decimal]] = {}
    for who, day, amount in rows:
        cells = found.setdefault(who, {})
        month = month_key(day)
        cells[month] = cells.get(month, Decimal(0)) + amount
    return {who: {m: a for m, a in cells.items() if a} for who, cells in found.items()}


def _window(cells: dict[int, Decimal], months: range) -> Decimal:
    return sum((a for m, a in cells.items() if m in months), Decimal(0))


@given(records)
def test_the_cells_are_the_exact_sums(rows: list[Record]) -> None:
    state = _state(rows)
    expected = _sums(rows)
    assert {who: dict(state.accounts[ClientId(who)].invoiced) for who in expected} == (
        expected
    )


@given(records, st.integers(0, 25))
def test_merged_parts_equal_one_pass(rows: list[Record], cut: int) -> None:
    assert _state(rows[:cut]).merge(_state(rows[cut:])) == _state(rows)


@given(records, st.sampled_from([1, 2, 12, 40]))
def test_the_ranking_is_the_exact_sort(rows: list[Record], months: int) -> None:
    ranking = account_ranking(_state(rows), SELECTION, as_of=AS_OF, months=months)
    window = range(LAST - months + 1, LAST + 1)
    sums = _sums(rows)
    expected = sorted(
        (
            (CURRENCIES[who], -_window(sums.get(who, {}), window), who)
            for who in CURRENCIES
        ),
    )
    assert [(line.client, line.total) for line in ranking.lines] == [
        (who, Money(-total, code)) for code, total, who in expected
    ]


@given(records)
def test_the_average_is_the_exact_quotient(rows: list[Record]) -> None:
    average = average_value(_state(rows), SELECTION, as_of=AS_OF, currency="EUR")
    sums = _sums(rows)
    window = range(LAST - 11, LAST + 1)
    total = sum((_window(sums.get(w, {}), window) for w in "abc"), Decimal(0))
    assert average.numerator == Money(total, "EUR")
    assert average.denominator == 3
    assert [line.total for line in average.accounts] == [
        Money(_window(sums.get(w, {}), window), "EUR") for w in "abc"
    ]


@given(records)
def test_growth_reads_the_exact_windows(rows: list[Record]) -> None:
    growth = revenue_growth(_state(rows), SELECTION, as_of=AS_OF)
    sums = _sums(rows)
    for line in growth.lines:
        cells = sums.get(line.client, {})
        current = _window(cells, range(LAST - 11, LAST + 1))
        base = _window(cells, range(LAST - 23, LAST - 11))
        assert (line.current.amount, line.base.amount) == (current, base)
        if base > 0:
            assert line.value is not None
            expected = ((current - base) * 100 / base).quantize(Decimal("0.01"))
            # Half-up at two places, exactly: at most half a unit away.
            assert abs(line.value.value - expected) <= Decimal("0.01")


@given(records, st.decimals(min_value=0, max_value=100, places=3))
def test_declines_alarm_by_the_exact_definition(
    rows: list[Record], threshold: Decimal
) -> None:
    rule = DeclineRule(
        threshold=Percentage(threshold),
        minimum_base=[Money("1000.00", "EUR"), Money("1000", "JPY")],
    )
    decline = order_decline(
        _state(rows), SELECTION, as_of=AS_OF, rule=rule, basis=Basis.INVOICED
    )
    sums = _sums(rows)
    for line in decline.lines:
        cells = sums.get(line.client, {})
        previous, last = cells.get(LAST - 1, Decimal(0)), cells.get(LAST, Decimal(0))
        assert (line.previous.amount, line.last.amount) == (previous, last)
        alarm = previous >= 1000 and (previous - last) * 100 > threshold * previous
        assert line.alarm is alarm
