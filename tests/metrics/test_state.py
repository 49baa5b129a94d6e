"""PortfolioState: one event at a time, idempotent per id, mergeable, bulk path."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal

import attrs
import pytest
from sample_portfolio import (
    ACME_FEB,
    ALERTS,
    AS_OF,
    CONTRACTS,
    INVOICES,
    ORDERS,
    alert,
    build_state,
    contract,
    credit,
    group,
    invoice,
    order,
    with_version,
)

from kamcore.errors import CurrencyMismatchError, ValidationError
from kamcore.kernel import ClientId, InvoiceId
from kamcore.metrics import (
    PortfolioState,
    account_ranking,
    month_key,
    trailing_months,
)

ACME = ClientId("acme")
FEB, MAR = month_key(dt.date(2026, 2, 1)), month_key(dt.date(2026, 3, 1))


def sums(state: PortfolioState, client: str) -> dict[int, Decimal]:
    account = state.accounts[ClientId(client)]
    return dict(account.invoiced)


def test_an_invoice_counts_in_its_issue_month_and_its_credit_note_in_its_own() -> None:
    state = PortfolioState()
    state.add_invoice(ACME_FEB)
    assert sums(state, "acme") == {FEB: Decimal("12000.00"), MAR: Decimal("-500.00")}


def test_the_same_invoice_sent_twice_counts_once() -> None:
    state = PortfolioState()
    state.add_invoice(ACME_FEB)
    state.add_invoice(ACME_FEB)
    assert sums(state, "acme") == {FEB: Decimal("12000.00"), MAR: Decimal("-500.00")}


def test_a_later_version_replaces_the_earlier_one_in_either_order() -> None:
    first = invoice("i-9", "acme", dt.date(2026, 2, 5), "100.00", version=1)
    moved = invoice("i-9", "acme", dt.date(2026, 3, 9), "250.00", version=2)
    forward, backward = PortfolioState(), PortfolioState()
    forward.add_invoice(first)
    forward.add_invoice(moved)
    backward.add_invoice(moved)
    backward.add_invoice(first)
    assert sums(forward, "acme") == {MAR: Decimal("250.00")}
    assert forward == backward


def test_a_cancelled_version_leaves_nothing_behind() -> None:
    issued = invoice("i-9", "acme", dt.date(2026, 2, 5), "100.00", version=1)
    state = PortfolioState()
    state.add_invoice(issued)
    state.add_invoice(with_version(issued.cancel(on=dt.date(2026, 2, 5)), 2))
    assert sums(state, "acme") == {}
    assert ACME in state.accounts  # the account was seen, with nothing to sum


def test_a_credit_note_sent_alone_and_inside_its_invoice_counts_once() -> None:
    note = ACME_FEB.credit_notes[0]
    state = PortfolioState()
    state.add_credit_note(note, invoice=ACME_FEB.id, client=ACME)
    state.add_invoice(ACME_FEB)
    assert sums(state, "acme") == {FEB: Decimal("12000.00"), MAR: Decimal("-500.00")}


def test_the_same_id_and_version_with_other_content_is_refused() -> None:
    state = PortfolioState()
    state.add_invoice(invoice("i-9", "acme", dt.date(2026, 2, 5), "100.00"))
    with pytest.raises(ValidationError) as raised:
        state.add_invoice(invoice("i-9", "acme", dt.date(2026, 2, 5), "999.00"))
    assert raised.value.errors[0].path == "invoice.version"
    assert raised.value.errors[0].value == 0
    assert sums(state, "acme") == {FEB: Decimal("100.00")}


def test_a_changed_credit_note_is_refused_and_nothing_changes() -> None:
    state = PortfolioState()
    state.add_invoice(ACME_FEB)
    other = credit("cn-1", dt.date(2026, 3, 1), "400.00")
    with pytest.raises(ValidationError, match="credit notes never change"):
        state.add_credit_note(other, invoice=InvoiceId("i-acme-2"), client=ACME)
    assert sums(state, "acme") == {FEB: Decimal("12000.00"), MAR: Decimal("-500.00")}


def test_an_account_keeps_one_currency() -> None:
    state = PortfolioState()
    state.add_invoice(invoice("i-1", "acme", dt.date(2026, 2, 5), "100.00"))
    with pytest.raises(CurrencyMismatchError) as raised:
        state.add_invoice(
            invoice("i-2", "acme", dt.date(2026, 2, 5), "1.00", currency="USD")
        )
    assert (raised.value.expected, raised.value.actual) == ("EUR", "USD")
    assert sums(state, "acme") == {FEB: Decimal("100.00")}


def test_orders_count_totals_and_numbers_and_cancelled_ones_nothing() -> None:
    state = PortfolioState()
    for placed in ORDERS:
        state.add_order(placed)
    account = state.accounts[ACME]
    october = month_key(dt.date(2026, 10, 1))
    assert account.ordered[october] == Decimal("8000.00")
    assert account.order_counts[october] == 1
    assert account.orders_in(range(october - 1, october + 1)) == 2
    assert account.ordered_in(range(october - 1, october + 1)) == Decimal("18000.00")


def test_a_cancelled_order_version_takes_its_order_away() -> None:
    placed = order("o-1", "acme", dt.date(2026, 10, 7), "80.00", version=1)
    state = PortfolioState()
    state.add_order(placed)
    state.add_order(
        order("o-1", "acme", dt.date(2026, 10, 7), "80.00", version=2, cancelled=True)
    )
    assert dict(state.accounts[ACME].order_counts) == {}


def test_a_first_action_is_kept_whichever_copy_of_the_alert_comes_first() -> None:
    raised = alert(CONTRACTS[0], dt.date(2026, 8, 1))
    acted = alert(CONTRACTS[0], dt.date(2026, 8, 1), dt.date(2026, 8, 4))
    one, two = PortfolioState(), PortfolioState()
    one.add_alert(raised)
    one.add_alert(acted)
    two.add_alert(acted)
    two.add_alert(raised)
    assert one == two
    assert one.alerts[acted.id].first_action_on == dt.date(2026, 8, 4)


def test_an_alert_id_reused_for_another_raising_date_is_refused() -> None:
    state = PortfolioState()
    state.add_alert(alert(CONTRACTS[0], dt.date(2026, 8, 1)))
    with pytest.raises(ValidationError, match="another contract, kind or raising"):
        state.add_alert(alert(CONTRACTS[0], dt.date(2026, 8, 2)))


def test_a_contract_with_a_higher_version_replaces_the_older_facts() -> None:
    signed = contract("k-9", "acme", dt.date(2026, 1, 1))
    state = PortfolioState()
    state.add_contract(attrs.evolve(signed, version=3))
    state.add_contract(attrs.evolve(signed, version=1, title="older"))
    assert state.contracts[signed.id].version == 3


def test_the_same_contract_version_with_other_content_is_refused() -> None:
    signed = contract("k-9", "acme", dt.date(2026, 1, 1))
    state = PortfolioState()
    state.add_contract(signed)
    with pytest.raises(ValidationError, match="needs a higher version"):
        state.add_contract(attrs.evolve(signed, title="changed"))


def test_anything_else_than_an_event_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as raised:
        PortfolioState().add_invoice("i-1")  # type: ignore[arg-type]  # on purpose
    assert raised.value.errors[0].path == "invoice"


# -- merging ------------------------------------------------------------------


def test_merging_two_halves_gives_the_state_of_the_whole() -> None:
    whole = build_state()
    first, second = PortfolioState(), PortfolioState()
    for index, item in enumerate(INVOICES):
        (first if index % 2 else second).add_invoice(item)
    for index, placed in enumerate(ORDERS):
        (second if index % 3 else first).add_order(placed)
    for agreement in CONTRACTS:
        first.add_contract(agreement)
    for raised in ALERTS:
        second.add_alert(raised)
    assert first.merge(second) == whole
    assert second.merge(first) == whole


def test_an_event_in_both_parts_is_counted_once_and_the_later_version_wins() -> None:
    old = invoice("i-9", "acme", dt.date(2026, 2, 5), "100.00", version=1)
    new = invoice("i-9", "acme", dt.date(2026, 3, 5), "300.00", version=2)
    left, right = PortfolioState(), PortfolioState()
    left.add_invoice(old)
    left.add_invoice(ACME_FEB)
    right.add_invoice(new)
    right.add_invoice(ACME_FEB)
    merged = left.merge(right)
    assert sums(merged, "acme") == {FEB: Decimal("12000.00"), MAR: Decimal("-200.00")}


def test_records_and_events_merge_exactly() -> None:
    records = [("acme", dt.date(2026, 2, 9), Decimal("1.05"))]
    events = PortfolioState()
    events.add_invoice(ACME_FEB)
    bulk = PortfolioState.from_invoice_records(records, currency="EUR")
    one_pass = PortfolioState.from_invoice_records(records, currency="EUR")
    one_pass.add_invoice(ACME_FEB)
    assert events.merge(bulk) == one_pass == bulk.merge(events)
    assert sums(one_pass, "acme")[FEB] == Decimal("12001.05")


def test_merge_all_of_nothing_is_an_empty_state() -> None:
    assert PortfolioState.merge_all([]) == PortfolioState()


def test_a_state_survives_pickling_for_a_distributed_engine() -> None:
    state = build_state()
    assert pickle.loads(pickle.dumps(state)) == state  # noqa: S301 - our own bytes


# -- the bulk path --------------------------------------------------------------


def test_records_are_summed_per_account_and_month() -> None:
    state = PortfolioState.from_invoice_records(
        [
            ("acme", dt.date(2026, 2, 1), Decimal("10.00")),
            ("acme", dt.date(2026, 2, 28), Decimal("-2.50")),
            ("acme", dt.date(2026, 3, 1), Decimal("5.00")),
            ("bolt", dt.date(2026, 3, 1), Decimal("0.00")),
        ],
        currency="EUR",
    )
    assert sums(state, "acme") == {FEB: Decimal("7.50"), MAR: Decimal("5.00")}
    assert sums(state, "bolt") == {}


def test_records_added_later_add_to_the_sums_and_refresh_the_windows() -> None:
    state = PortfolioState.from_invoice_records(
        [("acme", dt.date(2026, 2, 1), Decimal("10.00"))], currency="EUR"
    )
    window = trailing_months(dt.date(2026, 4, 1), 12)
    assert state.accounts[ACME].invoiced_in(window) == Decimal("10.00")
    state.add_invoice_records(
        [("acme", dt.date(2026, 3, 31), Decimal("5.00"))], currency="EUR"
    )
    assert state.accounts[ACME].invoiced_in(window) == Decimal("15.00")


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        (("acme", dt.date(2026, 2, 1)), "issue_date, net_amount. tuple"),
        (("", dt.date(2026, 2, 1), Decimal(1)), "non-empty string"),
        (("acme", "2026-02-01", Decimal(1)), "datetime.date"),
        (("acme", dt.datetime(2026, 2, 1, tzinfo=dt.UTC), Decimal(1)), "datetime.date"),
        (("acme", dt.date(2026, 2, 1), 1.5), "must be a Decimal, got float"),
        (("acme", dt.date(2026, 2, 1), True), "must be a Decimal, got bool"),
    ],
)
def test_a_bad_record_is_named_and_nothing_is_added(
    record: tuple[object, ...], problem: str
) -> None:
    state = PortfolioState.from_invoice_records(
        [("acme", dt.date(2026, 2, 1), Decimal("1.00"))], currency="EUR"
    )
    good = ("bolt", dt.date(2026, 2, 1), Decimal("1.00"))
    with pytest.raises(ValidationError, match=problem) as raised:
        state.add_invoice_records([good, record], currency="EUR")  # type: ignore[list-item]  # on purpose
    assert raised.value.errors[0].value == record
    assert list(state.accounts) == ["acme"]


def test_a_non_finite_amount_is_refused() -> None:
    with pytest.raises(ValidationError, match="not a finite number"):
        PortfolioState.from_invoice_records(
            [("acme", dt.date(2026, 2, 1), Decimal("NaN"))], currency="EUR"
        )


def test_records_for_an_account_in_another_currency_are_refused() -> None:
    state = PortfolioState()
    state.add_invoice(ACME_FEB)
    with pytest.raises(CurrencyMismatchError):
        state.add_invoice_records(
            [("acme", dt.date(2026, 2, 1), Decimal("1.00"))], currency="USD"
        )


def test_an_unknown_currency_is_refused() -> None:
    with pytest.raises(ValidationError, match="unknown ISO 4217"):
        PortfolioState.from_invoice_records([], currency="EURO")


def test_a_selection_and_its_results_pickle() -> None:
    state = build_state()
    selection = group()
    ranking = account_ranking(state, selection, as_of=AS_OF)
    assert pickle.loads(pickle.dumps(selection)) == selection  # noqa: S301 - our own bytes
    copy = pickle.loads(pickle.dumps(ranking))  # noqa: S301 - our own bytes
    assert copy == ranking
    assert copy.names == ranking.names
