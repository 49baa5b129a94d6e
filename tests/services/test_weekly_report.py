"""The weekly routine in one report, on the embedded sample portfolio."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kamcore._sample import load_sample_portfolio
from kamcore.adapters.clock import FixedClock
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.kernel import ClientGroupId, ManagerId, Money, Percentage
from kamcore.metrics import AccountSelection, Basis, DeclineRule
from kamcore.services import load_portfolio_state, weekly_report

MONDAY = FixedClock(dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC))


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    unit = InMemoryUnitOfWork(InMemoryStore())
    load_sample_portfolio(unit)
    return unit


def test_key_accounts_are_ranked_per_currency_by_net_invoiced(
    uow: InMemoryUnitOfWork,
) -> None:
    report = weekly_report(uow, MONDAY, selection=AccountSelection.key_accounts())
    assert [
        (row["client"], row["currency"], row["total"])
        for row in report.tables()["ranking"]
    ] == [
        ("helvetia", "CHF", "7275.00"),
        ("acme", "EUR", "11382.50"),
        ("borealis", "EUR", "3590.00"),
    ]


def test_overdue_invoices_of_the_selection_only(uow: InMemoryUnitOfWork) -> None:
    everyone = weekly_report(uow, MONDAY, selection=AccountSelection.key_accounts())
    keller = weekly_report(
        uow, MONDAY, selection=AccountSelection.manager(ManagerId("a.keller"))
    )
    assert [item.invoice for item in everyone.overdue] == ["INV-1044", "INV-1050"]
    assert keller.overdue == ()


def test_mixed_currencies_give_no_average_value(uow: InMemoryUnitOfWork) -> None:
    report = weekly_report(uow, MONDAY, selection=AccountSelection.key_accounts())
    assert report.average is None
    assert "average_value" not in report.tables()


def test_a_one_currency_selection_has_its_average_value(
    uow: InMemoryUnitOfWork,
) -> None:
    report = weekly_report(
        uow, MONDAY, selection=AccountSelection.manager(ManagerId("m.rossi"))
    )
    assert report.average is not None
    assert (report.average.value, report.average.denominator) == (
        Money("7486.25", "EUR"),
        2,
    )


def test_the_json_document_parses_and_carries_every_table(
    uow: InMemoryUnitOfWork,
) -> None:
    report = weekly_report(uow, MONDAY, selection=AccountSelection.key_accounts())
    document = json.loads(report.to_json())
    assert document["as_of"] == "2026-11-23"
    assert document["selection"] == "all key accounts"
    assert sorted(document["tables"]) == sorted(report.tables())


def test_a_state_given_is_used_as_is(uow: InMemoryUnitOfWork) -> None:
    state = load_portfolio_state(uow)
    given = weekly_report(
        uow, MONDAY, selection=AccountSelection.key_accounts(), state=state
    )
    read = weekly_report(uow, MONDAY, selection=AccountSelection.key_accounts())
    assert given.tables() == read.tables()


def test_the_report_reads_for_people(uow: InMemoryUnitOfWork) -> None:
    report = weekly_report(
        uow, MONDAY, selection=AccountSelection.group(ClientGroupId("dach"))
    )
    text = report.report("en_GB")
    assert text.splitlines()[0] == (
        "Monday portfolio health check, group dach, 23 Nov 2026"
    )
    assert "Overdue key-account invoices (hold the reminder, call):" in text


def test_the_decline_basis_and_rule_are_arguments(uow: InMemoryUnitOfWork) -> None:
    # The sample portfolio has invoices and no orders.
    rule = DeclineRule(threshold=Percentage(50), minimum_base=Money("0.00", "EUR"))
    everyone = AccountSelection.key_accounts()
    on_orders = weekly_report(uow, MONDAY, selection=everyone, decline_rule=rule)
    assert json.loads(on_orders.to_json())["decline"] == {
        "basis": "orders",
        "threshold": "50",
        "minimum_base": {"CHF": "1000", "EUR": "0.00"},
        "previous_month": "2026-09",
        "last_month": "2026-10",
        "note": "no orders recorded: decline is measured on orders; "
        "use --decline-basis invoiced",
    }
    assert (
        "Orders down more than 50%, Sept 2026 to Oct 2026: no orders recorded: "
        "decline is measured on orders; use --decline-basis invoiced"
    ) in on_orders.report("en_GB").splitlines()
    invoiced = weekly_report(
        uow,
        MONDAY,
        selection=everyone,
        decline_basis=Basis.INVOICED,
        decline_rule=rule,
    )
    assert invoiced.health.decline.note is None
    lines = invoiced.report("en_GB").splitlines()
    start = lines.index(
        "Invoiced down more than 50%, Sept 2026 to Oct 2026 "
        "(minimum base CHF1,000.00, €0.00): 1"
    )
    assert lines[start + 1] == "  ACME Industrial GmbH: €6,642.50 -> €0.00 (-100%)"
