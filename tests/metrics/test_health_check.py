"""The Monday portfolio health check: ranking, month-on-month declines and
contracts expiring soon, on the portfolio of sample_portfolio.py."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sample_portfolio import (
    AS_OF,
    CLIENTS,
    build_state,
    contract,
    group,
    invoice,
    order,
)

from kamcore.errors import ValidationError
from kamcore.kernel import ClientId, Money, Percentage
from kamcore.metrics import (
    AccountSelection,
    Basis,
    DeclineRule,
    PortfolioState,
    account_ranking,
    expiring_contracts,
    monday_health_check,
    order_decline,
)

MINIMUM = DeclineRule(minimum_base=Money("1000.00", "EUR"))


def only(*names: str) -> AccountSelection:
    return AccountSelection.clients([ClientId(n) for n in names])


# -- ranking -----------------------------------------------------------------------


def test_accounts_are_ranked_by_net_invoiced_per_currency() -> None:
    result = account_ranking(build_state(), group(), as_of=AS_OF)
    assert [(r.rank, r.client, str(r.total)) for r in result.ranked()] == [
        (1, "acme", "14500.00 EUR"),
        (2, "bolt", "4000.00 EUR"),
        (3, "cora", "1000.00 EUR"),
        (4, "dyna", "0.02 EUR"),
        (1, "euro", "5000.00 USD"),
    ]


def test_equal_totals_are_ranked_by_id() -> None:
    state = PortfolioState.from_invoice_records(
        [
            ("cora", dt.date(2026, 3, 1), Decimal("5.00")),
            ("acme", dt.date(2026, 3, 1), Decimal("5.00")),
            ("bolt", dt.date(2026, 3, 1), Decimal("9.00")),
        ],
        currency="EUR",
    )
    selection = only("acme", "bolt", "cora").resolve(CLIENTS)
    result = account_ranking(state, selection, as_of=AS_OF)
    assert [line.client for line in result.lines] == ["bolt", "acme", "cora"]


def test_a_shorter_window_can_be_asked_for() -> None:
    result = account_ranking(build_state(), group(), as_of=AS_OF, months=6)
    # May to October 2026: acme's June invoice, cora's May invoice; bolt's and
    # dyna's invoices are older (tied at zero, by id).
    assert [(line.client, str(line.total)) for line in result.lines[:4]] == [
        ("acme", "3000.00 EUR"),
        ("cora", "1000.00 EUR"),
        ("bolt", "0.00 EUR"),
        ("dyna", "0.00 EUR"),
    ]


def test_a_window_of_no_months_is_refused() -> None:
    with pytest.raises(ValidationError) as raised:
        account_ranking(build_state(), group(), as_of=AS_OF, months=0)
    assert (raised.value.errors[0].path, raised.value.errors[0].value) == ("months", 0)


def test_ranking_rows() -> None:
    result = account_ranking(build_state(), group(), as_of=AS_OF)
    assert result.rows()[0] == {
        "rank": 1,
        "client": "acme",
        "name": "Acme",
        "currency": "EUR",
        "total": "14500.00",
    }


# -- month-on-month decline -----------------------------------------------------------


def test_a_fall_of_exactly_the_threshold_raises_no_alarm() -> None:
    result = order_decline(build_state(), group(), as_of=AS_OF, rule=MINIMUM)
    acme = result.lines[0]
    assert (acme.previous, acme.last) == (
        Money("10000.00", "EUR"),
        Money("8000.00", "EUR"),  # the cancelled 2,500.00 order does not count
    )
    assert (acme.change, acme.alarm) == (Percentage("-20.00"), False)


def test_a_fall_beyond_the_threshold_alarms() -> None:
    result = order_decline(build_state(), group(), as_of=AS_OF, rule=MINIMUM)
    assert [(line.client, line.change) for line in result.alarms] == [
        ("bolt", Percentage("-20.20")),
    ]


def test_a_fall_from_below_the_minimum_base_alarms_nobody() -> None:
    result = order_decline(build_state(), group(), as_of=AS_OF, rule=MINIMUM)
    cora = result.lines[2]
    assert (cora.previous, cora.last, cora.change) == (
        Money("50.00", "EUR"),
        Money("30.00", "EUR"),
        Percentage("-40.00"),
    )
    assert not cora.alarm
    assert cora.reason == "previous month below the minimum base of 1000.00 EUR"


def test_a_zero_minimum_counts_every_base() -> None:
    rule = DeclineRule(minimum_base=Money("0.00", "EUR"))
    result = order_decline(build_state(), group(), as_of=AS_OF, rule=rule)
    assert [line.client for line in result.alarms] == ["bolt", "cora"]


def test_by_default_the_minimum_base_is_1000_euros() -> None:
    result = order_decline(build_state(), group(), as_of=AS_OF)
    assert [line.client for line in result.alarms] == ["bolt"]
    assert result.lines[2].reason == "previous month below the minimum base of 1000 EUR"


def test_a_base_exactly_at_the_minimum_counts() -> None:
    rule = DeclineRule(minimum_base=Money("50.00", "EUR"))
    result = order_decline(build_state(), group(), as_of=AS_OF, rule=rule)
    assert [line.client for line in result.alarms] == ["bolt", "cora"]


def test_a_fall_just_beyond_the_threshold_alarms_even_if_it_rounds_to_it() -> None:
    state = PortfolioState()
    state.add_order(order("o-1", "acme", dt.date(2026, 9, 1), "5000.00"))
    state.add_order(order("o-2", "acme", dt.date(2026, 10, 1), "3999.99"))
    [line] = order_decline(state, only("acme").resolve(CLIENTS), as_of=AS_OF).lines
    assert (line.change, line.alarm) == (Percentage("-20.00"), True)


def test_no_previous_month_gives_no_change() -> None:
    result = order_decline(build_state(), group(), as_of=AS_OF, rule=MINIMUM)
    dyna = result.lines[3]
    assert (dyna.change, dyna.alarm, dyna.reason) == (
        None,
        False,
        "nothing in the previous month",
    )


def test_the_decline_can_be_measured_on_net_invoiced() -> None:
    state = PortfolioState()
    state.add_invoice(invoice("i-1", "acme", dt.date(2026, 9, 1), "1000.00"))
    state.add_invoice(invoice("i-2", "acme", dt.date(2026, 10, 1), "700.00"))
    result = order_decline(
        state, only("acme").resolve(CLIENTS), as_of=AS_OF, basis=Basis.INVOICED
    )
    assert [(line.change, line.alarm) for line in result.lines] == [
        (Percentage("-30.00"), True)
    ]


def test_a_running_month_is_never_compared() -> None:
    result = order_decline(build_state(), group(), as_of=dt.date(2026, 10, 31))
    assert [line.client for line in result.alarms] == []  # Aug against Sep


@pytest.mark.parametrize(
    ("threshold", "minimums", "path"),
    [
        (Percentage("-1"), (), "threshold"),
        (Percentage("20"), (Money("-1.00", "EUR"),), "minimum_base"),
        (
            Percentage("20"),
            (Money("1.00", "EUR"), Money("2.00", "EUR")),
            "minimum_base",
        ),
        ("20", (), "threshold"),
    ],
)
def test_a_bad_rule_is_refused(threshold: object, minimums: object, path: str) -> None:
    with pytest.raises(ValidationError) as raised:
        DeclineRule(threshold=threshold, minimum_base=minimums)  # type: ignore[arg-type]  # on purpose
    assert raised.value.errors[0].path == path


def test_decline_rows_and_report() -> None:
    result = order_decline(build_state(), group(), as_of=AS_OF, rule=MINIMUM)
    assert result.rows()[1] == {
        "client": "bolt",
        "currency": "EUR",
        "previous": "5000.00",
        "last": "3990.00",
        "change": "-20.20",
        "alarm": True,
        "reason": None,
    }
    assert result.report("en_GB").splitlines() == [
        "Orders down more than 20%, Sept 2026 to Oct 2026 "
        "(minimum base €1,000.00, US$1,000.00): 1",
        "  bolt: €5,000.00 -> €3,990.00 (-20.2%)",
    ]


# -- contracts expiring ---------------------------------------------------------------


def test_contracts_expiring_within_60_days_and_those_in_grace() -> None:
    result = expiring_contracts(build_state(), group(), as_of=AS_OF)
    assert [(c.contract, c.term_end, c.days_left) for c in result.lines] == [
        ("k-dyna", dt.date(2026, 10, 31), -16),
        ("k-euro", dt.date(2027, 1, 10), 55),
    ]


def test_the_horizon_is_a_parameter() -> None:
    result = expiring_contracts(build_state(), group(), as_of=AS_OF, within_days=120)
    assert [c.contract for c in result.lines] == ["k-dyna", "k-euro", "k-cora"]
    with pytest.raises(ValidationError):
        expiring_contracts(build_state(), group(), as_of=AS_OF, within_days=-1)


def test_expiring_is_read_as_of_the_date() -> None:
    result = expiring_contracts(build_state(), group(), as_of=dt.date(2026, 8, 1))
    assert [(c.contract, c.term_end) for c in result.lines] == [
        ("k-cora2", dt.date(2026, 8, 14)),
        ("k-acme", dt.date(2026, 9, 30)),
    ]


def test_a_selections_expiring_contracts_are_kept_until_a_contract_changes() -> None:
    state, selection = build_state(), group()
    first = expiring_contracts(state, selection, as_of=AS_OF)
    assert expiring_contracts(state, selection, as_of=AS_OF).lines is first.lines
    state.add_contract(contract("k-bolt2", "bolt", dt.date(2025, 12, 1)))
    again = expiring_contracts(state, selection, as_of=AS_OF)
    assert [c.contract for c in again.lines] == ["k-dyna", "k-bolt2", "k-euro"]


def test_only_the_selections_contracts_are_listed() -> None:
    state = build_state()
    mine = only("euro").resolve(CLIENTS)
    assert [c.contract for c in expiring_contracts(state, mine, as_of=AS_OF).lines] == [
        "k-euro"
    ]
    assert [
        c.contract for c in expiring_contracts(state, group(), as_of=AS_OF).lines
    ] == [
        "k-dyna",
        "k-euro",
    ]


# -- the whole health check ---------------------------------------------------------


def test_the_monday_health_check_report_in_german() -> None:
    check = monday_health_check(build_state(), group(), as_of=AS_OF, rule=MINIMUM)
    assert check.report("de_DE") == "\n".join(
        [
            "Portfolio-Check am Montag, Gruppe dach, 16.11.2026",
            "",
            "Kunden nach Nettoumsatz, Nov. 2025 bis Okt. 2026:",
            " EUR:",
            "  1. Acme (acme): 14.500,00\xa0€",
            "  2. Bolt (bolt): 4.000,00\xa0€",
            "  3. Cora (cora): 1.000,00\xa0€",
            "  4. Dyna (dyna): 0,02\xa0€",
            " USD:",
            "  1. Euro (euro): 5.000,00\xa0$",
            "",
            "Auftragseingang um mehr als 20\xa0% gesunken, Sept. 2026 bis Okt. 2026 "
            "(Mindestbasis 1.000,00\xa0€, 1.000,00\xa0$): 1",
            "  bolt: 5.000,00\xa0€ -> 3.990,00\xa0€ (-20,2\xa0%)",
            "",
            "Verträge mit Laufzeitende innerhalb von 60 Tagen: 2",
            "  k-dyna Supply dyna (dyna): endete am 31.10.2026, vor 16 Tagen, "
            "in der Nachfrist, 12.000,00\xa0€",
            "  k-euro Supply euro (euro): endet am 10.01.2027, in 55 Tagen, "
            "12.000,00\xa0$",
        ]
    )


def test_the_health_check_tables_are_plain_json() -> None:
    tables = monday_health_check(build_state(), group(), as_of=AS_OF).tables()
    assert json.loads(json.dumps(tables)) == tables
    assert [len(rows) for rows in tables.values()] == [5, 5, 2]


def test_an_unknown_locale_is_refused() -> None:
    check = monday_health_check(build_state(), group(), as_of=AS_OF)
    with pytest.raises(ValidationError, match="unknown locale"):
        check.report("xx_YY")


def test_a_datetime_is_not_an_as_of_date() -> None:
    with pytest.raises(ValidationError) as raised:
        monday_health_check(
            build_state(), group(), as_of=dt.datetime(2026, 11, 16, tzinfo=dt.UTC)
        )
    assert raised.value.errors[0].path == "as_of"
