"""Revenue growth over two chosen windows (H1 against H1, a quarter against
the one before, a month against the same month a year earlier), and the
ranking cut to its first N accounts per currency."""

from __future__ import annotations

import datetime as dt

import pytest
from sample_portfolio import AS_OF, build_state, client, credit, group, invoice

from kamcore.errors import ValidationError
from kamcore.kernel import Money, Percentage
from kamcore.metrics import (
    AccountSelection,
    GrowthReason,
    PortfolioState,
    account_ranking,
    month_label,
    revenue_growth,
)

D = dt.date
SELECTION = AccountSelection.key_accounts().resolve(
    [client("acme"), client("bolt"), client("cora"), client("euro", currency="USD")]
)


def _state() -> PortfolioState:
    """acme invoices in H1 2025 and H1 2026 (with a credit note), bolt only
    from May 2026, cora in Feb 2025 and March 2026 only, euro in USD."""
    state = PortfolioState()
    refund = credit("cn-1", D(2026, 4, 2), "250.00")
    for item in (
        invoice("a-1", "acme", D(2025, 1, 10), "1000.00"),
        invoice("a-2", "acme", D(2025, 6, 30), "3000.00"),
        invoice("a-3", "acme", D(2025, 7, 1), "9999.00"),  # H2: in no window
        invoice("a-4", "acme", D(2026, 2, 14), "2000.00"),
        invoice("a-5", "acme", D(2026, 3, 1), "3000.00", notes=(refund,)),
        invoice("b-1", "bolt", D(2026, 5, 5), "700.00"),
        invoice("c-1", "cora", D(2025, 2, 1), "400.00"),
        invoice("c-2", "cora", D(2026, 3, 31), "500.00"),
        invoice("e-1", "euro", D(2025, 3, 3), "800.00", currency="USD"),
        invoice("e-2", "euro", D(2026, 3, 3), "1000.00", currency="USD"),
    ):
        state.add_invoice(item)
    return state


def _lines(
    current: tuple[D, D], previous: tuple[D, D]
) -> list[tuple[str, str, str, Percentage | None, GrowthReason | None]]:
    result = revenue_growth(
        _state(), SELECTION, as_of=AS_OF, current=current, previous=previous
    )
    return [
        (line.client, str(line.current), str(line.base), line.value, line.reason)
        for line in result.lines
    ]


def test_first_half_against_the_first_half_a_year_earlier() -> None:
    result = revenue_growth(
        _state(),
        SELECTION,
        as_of=AS_OF,
        current=(D(2026, 1, 1), D(2026, 6, 30)),
        previous=(D(2025, 1, 1), D(2025, 6, 1)),
    )
    assert [month_label(m) for m in result.current_months] == [
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
        "2026-06",
    ]
    assert [
        month_label(m) for m in (result.base_months[0], result.base_months[-1])
    ] == [
        "2025-01",
        "2025-06",
    ]
    assert [
        (line.client, str(line.current), str(line.base), line.value, line.reason)
        for line in result.lines
    ] == [
        # 2,000 + 3,000 - 250 credited in April, against 1,000 + 3,000
        ("acme", "4750.00 EUR", "4000.00 EUR", Percentage("18.75"), None),
        ("bolt", "700.00 EUR", "0.00 EUR", None, GrowthReason.NEW_ACCOUNT),
        ("cora", "500.00 EUR", "400.00 EUR", Percentage("25.00"), None),
        ("euro", "1000.00 USD", "800.00 USD", Percentage("25.00"), None),
    ]


def test_a_quarter_against_the_quarter_before() -> None:
    assert _lines((D(2026, 4, 1), D(2026, 6, 1)), (D(2026, 1, 1), D(2026, 3, 1))) == [
        # April: -250 credited; Q1: 2,000 + 3,000
        ("acme", "-250.00 EUR", "5000.00 EUR", Percentage("-105.00"), None),
        ("bolt", "700.00 EUR", "0.00 EUR", None, GrowthReason.NEW_ACCOUNT),
        ("cora", "0.00 EUR", "500.00 EUR", Percentage("-100.00"), None),
        ("euro", "0.00 USD", "1000.00 USD", Percentage("-100.00"), None),
    ]


def test_a_month_against_the_same_month_a_year_earlier() -> None:
    assert _lines((D(2026, 3, 1), D(2026, 3, 1)), (D(2025, 3, 1), D(2025, 3, 31))) == [
        ("acme", "3000.00 EUR", "0.00 EUR", None, GrowthReason.ZERO_BASE),
        ("bolt", "0.00 EUR", "0.00 EUR", None, GrowthReason.NO_INVOICING),
        ("cora", "500.00 EUR", "0.00 EUR", None, GrowthReason.ZERO_BASE),
        ("euro", "1000.00 USD", "800.00 USD", Percentage("25.00"), None),
    ]


def test_the_default_windows_are_the_trailing_twelve_months_and_the_twelve_before() -> (
    None
):
    state = build_state()
    default = revenue_growth(state, group(), as_of=AS_OF)
    explicit = revenue_growth(
        state,
        group(),
        as_of=AS_OF,
        current=(D(2025, 11, 1), D(2026, 10, 31)),
        previous=(D(2024, 11, 1), D(2025, 10, 1)),
    )
    assert explicit == default
    assert default.lines[0].value == Percentage("45.00")


def test_a_line_kept_for_one_pair_of_windows_is_not_read_for_another() -> None:
    state = _state()
    h1 = (D(2026, 1, 1), D(2026, 6, 1))
    first = revenue_growth(
        state,
        SELECTION,
        as_of=AS_OF,
        current=h1,
        previous=(D(2025, 1, 1), D(2025, 6, 1)),
    )
    second = revenue_growth(
        state,
        SELECTION,
        as_of=AS_OF,
        current=h1,
        previous=(D(2025, 7, 1), D(2025, 12, 1)),
    )
    assert (first.lines[0].base, second.lines[0].base) == (
        Money("4000.00", "EUR"),
        Money("9999.00", "EUR"),
    )


_JAN, _JUN = D(2026, 1, 1), D(2026, 6, 1)


@pytest.mark.parametrize(
    ("current", "previous", "path", "message"),
    [
        ((_JAN, _JUN), None, "previous", "give both current and previous, or neither"),
        (None, (_JAN, _JUN), "current", "give both current and previous, or neither"),
        (
            (_JAN, _JUN),
            (D(2025, 1, 1), D(2025, 3, 1)),
            "previous",
            "must be as long as current (6 months, not 3)",
        ),
        (
            (_JAN, _JUN),
            (D(2025, 8, 1), D(2026, 1, 1)),
            "previous",
            "must end before current starts (2026-01)",
        ),
        (
            (D(2026, 6, 1), D(2026, 11, 1)),
            (D(2025, 6, 1), D(2025, 11, 1)),
            "current",
            "reaches past the last complete month as of 2026-11-16 (2026-10)",
        ),
        (
            (_JAN, _JUN),
            (D(2024, 12, 1), D(2025, 5, 1)),
            "previous",
            "starts before the state's first invoiced month (2025-01)",
        ),
        ((_JUN, _JAN), (_JAN, _JUN), "current", "its last month is before its first"),
        (
            [_JAN, _JUN],
            (_JAN, _JUN),
            "current",
            "expected a (first, last) pair of dates",
        ),
        (
            (_JAN, dt.datetime(2026, 6, 1, tzinfo=dt.UTC)),
            (_JAN, _JUN),
            "current",
            "expected a (first, last) pair of dates",
        ),
        ((_JAN,), (_JAN, _JUN), "current", "expected a (first, last) pair of dates"),
    ],
)
def test_windows_that_cannot_be_compared_are_refused_by_name(
    current: object, previous: object, path: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        revenue_growth(
            _state(),
            SELECTION,
            as_of=AS_OF,
            current=current,  # type: ignore[arg-type]  # bad input on purpose
            previous=previous,  # type: ignore[arg-type]  # bad input on purpose
        )
    error = caught.value.errors[0]
    assert (caught.value.subject, error.path, error.message) == (
        "revenue_growth",
        path,
        message,
    )
    given = {"current": current, "previous": previous}[path]
    assert error.value == (None if "give both" in message else given)


def test_an_empty_state_has_no_window_to_compare() -> None:
    with pytest.raises(ValidationError, match="the state holds no invoiced month"):
        revenue_growth(
            PortfolioState(),
            SELECTION,
            as_of=AS_OF,
            current=(_JAN, _JAN),
            previous=(D(2025, 1, 1), D(2025, 1, 1)),
        )


def test_top_keeps_the_first_accounts_of_each_currency() -> None:
    ranking = account_ranking(build_state(), group(), as_of=AS_OF, top=2)
    assert [(r.rank, r.client, str(r.total)) for r in ranking.ranked()] == [
        (1, "acme", "14500.00 EUR"),
        (2, "bolt", "4000.00 EUR"),
        (1, "euro", "5000.00 USD"),
    ]
    assert ranking.top == 2
    assert ranking.covered == group().ids  # the others are ranked, not shown
    assert ranking.report("en_GB").splitlines()[0] == (
        "Top 2 accounts by net invoiced, Nov 2025 to Oct 2026:"
    )


def test_top_beyond_the_accounts_keeps_them_all() -> None:
    state = build_state()
    every = account_ranking(state, group(), as_of=AS_OF)
    top = account_ranking(state, group(), as_of=AS_OF, top=50)
    assert top.lines == every.lines
    assert len(every.lines) == 5


@pytest.mark.parametrize("top", [0, -1, True, 1.0, "3"])
def test_top_must_be_a_whole_number_of_one_or_more(top: object) -> None:
    with pytest.raises(ValidationError) as caught:
        account_ranking(build_state(), group(), as_of=AS_OF, top=top)  # type: ignore[arg-type]  # bad on purpose
    error = caught.value.errors[0]
    assert (error.path, error.message, error.value) == (
        "top",
        "must be an integer >= 1",
        top,
    )
