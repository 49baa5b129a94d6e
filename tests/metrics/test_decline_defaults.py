"""The decline rule's default minimum base per currency, and what the decline
says when nothing is recorded on its basis."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from sample_portfolio import AS_OF, CLIENTS, invoice, order

from kamcore.kernel import ClientId, Money, Percentage
from kamcore.metrics import (
    DEFAULT_MINIMUM_BASE,
    AccountSelection,
    Basis,
    DeclineRule,
    PortfolioState,
    ResolvedSelection,
    default_minimum_base,
    order_decline,
)

SEPTEMBER, OCTOBER = dt.date(2026, 9, 1), dt.date(2026, 10, 1)


def acme() -> ResolvedSelection:
    return AccountSelection.clients([ClientId("acme")]).resolve(CLIENTS)


def ordered(previous: str, last: str) -> PortfolioState:
    state = PortfolioState()
    state.add_order(order("o-1", "acme", SEPTEMBER, previous))
    state.add_order(order("o-2", "acme", OCTOBER, last))
    return state


def test_a_drop_from_50_to_30_euros_alarms_nobody_by_default() -> None:
    [line] = order_decline(ordered("50.00", "30.00"), acme(), as_of=AS_OF).lines
    assert (line.change, line.alarm, line.reason) == (
        Percentage("-40.00"),
        False,
        "previous month below the minimum base of 1000 EUR",
    )


def test_a_drop_from_5000_to_3000_euros_alarms_by_default() -> None:
    [line] = order_decline(ordered("5000.00", "3000.00"), acme(), as_of=AS_OF).lines
    assert (line.change, line.alarm, line.reason) == (Percentage("-40.00"), True, None)


def test_the_default_minimums_are_about_1000_euros_per_currency() -> None:
    assert [
        (code, default_minimum_base(code)) for code in ("EUR", "CHF", "SEK", "JPY")
    ] == [
        ("EUR", Decimal(1000)),
        ("CHF", Decimal(1000)),
        ("SEK", Decimal(10000)),
        ("JPY", Decimal(150000)),
    ]
    assert "KWD" not in DEFAULT_MINIMUM_BASE
    assert default_minimum_base("KWD") == Decimal(1000)


def test_a_minimum_given_replaces_the_default_of_its_currency_only() -> None:
    rule = DeclineRule(minimum_base=Money("40.00", "EUR"))
    assert (rule.minimum_for("EUR"), rule.minimum_for("USD")) == (
        Decimal("40.00"),
        Decimal(1000),
    )
    [line] = order_decline(
        ordered("50.00", "30.00"), acme(), as_of=AS_OF, rule=rule
    ).lines
    assert (line.alarm, line.reason) == (True, None)


@given(
    previous=st.integers(min_value=1, max_value=99_999),
    last=st.integers(min_value=0, max_value=99_999),
)
def test_below_the_default_minimum_nothing_alarms(previous: int, last: int) -> None:
    state = ordered(str(Decimal(previous).scaleb(-2)), str(Decimal(last).scaleb(-2)))
    [line] = order_decline(state, acme(), as_of=AS_OF).lines
    assert not line.alarm


@given(
    previous=st.integers(min_value=100_000, max_value=10**9),
    last=st.integers(min_value=0, max_value=10**9),
)
def test_from_the_default_minimum_a_fall_beyond_20_percent_alarms(
    previous: int, last: int
) -> None:
    state = ordered(str(Decimal(previous).scaleb(-2)), str(Decimal(last).scaleb(-2)))
    [line] = order_decline(state, acme(), as_of=AS_OF).lines
    assert line.alarm is (last * 100 < previous * 80)


def test_invoices_but_no_orders_say_so() -> None:
    state = PortfolioState()
    state.add_invoice(invoice("i-1", "acme", SEPTEMBER, "5000.00"))
    decline = order_decline(state, acme(), as_of=AS_OF)
    assert (decline.recorded, decline.other_recorded) == (False, True)
    assert decline.note == (
        "no orders recorded: decline is measured on orders; "
        "use --decline-basis invoiced"
    )
    assert decline.report("en_GB") == (
        "Orders down more than 20%, Sept 2026 to Oct 2026: no orders recorded: "
        "decline is measured on orders; use --decline-basis invoiced"
    )
    assert decline.rule_row() == {
        "basis": "orders",
        "threshold": "20",
        "minimum_base": {"EUR": "1000"},
        "previous_month": "2026-09",
        "last_month": "2026-10",
        "note": decline.note,
    }


def test_on_the_invoiced_basis_the_same_invoices_give_a_figure() -> None:
    state = PortfolioState()
    state.add_invoice(invoice("i-1", "acme", SEPTEMBER, "5000.00"))
    decline = order_decline(state, acme(), as_of=AS_OF, basis=Basis.INVOICED)
    assert decline.note is None
    assert decline.report("en_GB", {ClientId("acme"): "Acme GmbH"}).splitlines() == [
        "Invoiced down more than 20%, Sept 2026 to Oct 2026 "
        "(minimum base €1,000.00): 1",
        "  Acme GmbH: €5,000.00 -> €0.00 (-100%)",
    ]


def test_nothing_recorded_at_all_gives_no_advice() -> None:
    decline = order_decline(PortfolioState(), acme(), as_of=AS_OF)
    assert decline.note == "no orders recorded: decline is measured on orders"


def test_the_first_order_recorded_clears_the_note() -> None:
    state = PortfolioState()
    state.add_invoice(invoice("i-1", "acme", SEPTEMBER, "5000.00"))
    selection = acme()
    assert order_decline(state, selection, as_of=AS_OF).note is not None
    state.add_order(order("o-1", "acme", SEPTEMBER, "5000.00"))
    decline = order_decline(state, selection, as_of=AS_OF)
    assert (decline.note, decline.recorded, decline.other_recorded) == (
        None,
        True,
        None,
    )
