"""Property: growth over any two windows equals the sums worked out naively
from the invoices and credit notes, month by month."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given
from hypothesis import strategies as st
from sample_portfolio import client, credit, invoice

from kamcore.accounts import CreditNote, Invoice
from kamcore.kernel import Money
from kamcore.metrics import (
    AccountSelection,
    PortfolioState,
    account_ranking,
    month_key,
    month_start,
    revenue_growth,
)

AS_OF = dt.date(2027, 1, 11)
FIRST = month_key(dt.date(2024, 1, 1))
LAST = month_key(AS_OF) - 1  # the last complete month
NAMES = ("acme", "bolt", "cora")
SELECTION = AccountSelection.key_accounts().resolve([client(n) for n in NAMES])


@st.composite
def _invoices(draw: st.DrawFn) -> list[Invoice]:
    made = []
    for number in range(draw(st.integers(1, 12))):
        month = draw(st.integers(FIRST, LAST))
        cents = draw(st.integers(1, 10**7))
        notes: tuple[CreditNote, ...] = ()
        if draw(st.booleans()):
            later = draw(st.integers(month, LAST))
            refund = draw(st.integers(1, cents))
            # On the 28th: never before the invoice, issued by then.
            on = month_start(later) + dt.timedelta(days=27)
            notes = (credit(f"cn-{number}", on, str(Decimal(refund) / 100)),)
        made.append(
            invoice(
                f"i-{number}",
                draw(st.sampled_from(NAMES)),
                month_start(month) + dt.timedelta(days=draw(st.integers(0, 27))),
                str(Decimal(cents) / 100),
                notes=notes,
            )
        )
    return made


def _naive(invoices: list[Invoice], name: str, months: range) -> Decimal:
    total = Decimal(0)
    for item in invoices:
        if item.client != name:
            continue
        if month_key(item.issue_date) in months:
            total += item.total.amount
        for note in item.credit_notes:
            if month_key(note.issued_on) in months:
                total -= note.amount.amount
    return total


def _half_up_percent(now: Decimal, before: Decimal) -> Decimal:
    """``(now - before) / before`` in percent, to 0.01 half up, from fractions."""
    exact = Fraction(now - before) * 100 / Fraction(before)
    hundredths = math.floor(abs(exact) * 100 + Fraction(1, 2))
    return Decimal(hundredths if exact >= 0 else -hundredths).scaleb(-2)


@given(
    invoices=_invoices(),
    length=st.integers(1, 12),
    previous_start=st.integers(FIRST, LAST),
    gap=st.integers(0, 12),
)
def test_growth_over_two_windows_equals_the_naive_sums(
    invoices: list[Invoice], length: int, previous_start: int, gap: int
) -> None:
    current_start = previous_start + length + gap
    assume(current_start + length - 1 <= LAST)
    state = PortfolioState()
    for item in invoices:
        state.add_invoice(item)
    nonzero = [
        m
        for n in NAMES
        for m in range(FIRST, LAST + 1)
        if _naive(invoices, n, range(m, m + 1))
    ]
    assume(nonzero and previous_start >= min(nonzero))
    current = range(current_start, current_start + length)
    previous = range(previous_start, previous_start + length)
    result = revenue_growth(
        state,
        SELECTION,
        as_of=AS_OF,
        current=(month_start(current[0]), month_start(current[-1])),
        previous=(month_start(previous[0]), month_start(previous[-1])),
    )
    assert (result.current_months, result.base_months) == (current, previous)
    for line in result.lines:
        now = _naive(invoices, line.client, current)
        before = _naive(invoices, line.client, previous)
        assert (line.current, line.base) == (Money(now, "EUR"), Money(before, "EUR"))
        if before > 0:
            assert line.value is not None
            assert line.value.value == _half_up_percent(now, before)
        else:
            assert line.value is None


@given(invoices=_invoices(), top=st.integers(1, 4), months=st.integers(1, 24))
def test_the_top_of_a_ranking_is_the_head_of_the_whole_ranking(
    invoices: list[Invoice], top: int, months: int
) -> None:
    state = PortfolioState()
    for item in invoices:
        state.add_invoice(item)
    cut = account_ranking(state, SELECTION, as_of=AS_OF, months=months, top=top)
    whole = account_ranking(state, SELECTION, as_of=AS_OF, months=months)
    assert cut.lines == whole.lines[:top]
    assert (cut.covered, cut.top) == (whole.covered, top)
