"""Account 360 on a hand-built history: order, cut-off, invoice states, summary."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from decimal import Decimal

import attrs
import pytest
from acme_history import (
    ACME,
    AS_OF,
    PARIS,
    PROGRAMME,
    acme_records,
    globex_invoice,
)

from kamcore.errors import ValidationError
from kamcore.kernel import ClientId, ContractId, InvoiceId, Money, OpportunityId
from kamcore.views import (
    Account360,
    AccountSummary,
    ClientRecords,
    EventKind,
    LoyaltyStanding,
    build_account_360,
)

K = EventKind


@pytest.fixture
def records() -> ClientRecords:
    return acme_records()


def view(
    records: ClientRecords, as_of: dt.date = AS_OF, timezone: dt.tzinfo = PARIS
) -> Account360:
    return build_account_360(records, as_of=as_of, timezone=timezone)


def test_history_is_one_timeline_in_the_documented_order(
    records: ClientRecords,
) -> None:
    timeline = [
        (e.on.isoformat(), e.kind, e.source, e.sequence) for e in view(records).events
    ]
    assert timeline == [
        ("2025-11-01", K.OPPORTUNITY_CREATED, "OP-2", 0),
        ("2025-12-01", K.CONTRACT_VERSION, "K-1", 1),
        ("2025-12-15", K.CONTRACT_SIGNED, "K-1", 1),
        ("2025-12-16", K.CONTRACT_DOCUMENT, "K-1", 1),
        ("2026-01-01", K.CONTRACT_STATUS, "K-1", 1),
        ("2026-01-01", K.LOYALTY_ENROLLED, "ms-acme", 0),
        ("2026-01-10", K.ORDER_PLACED, "O-1", 0),
        ("2026-01-15", K.INVOICE_ISSUED, "INV-1", 0),
        ("2026-01-15", K.LOYALTY_ENTRY, "ms-acme", 1),
        ("2026-01-20", K.ACTIVITY, "A-1", 0),
        ("2026-01-20", K.OPPORTUNITY_CREATED, "OP-1", 0),
        ("2026-01-24", K.ORDER_CLOSED, "O-1", 0),
        ("2026-02-01", K.INVOICE_ISSUED, "INV-2", 0),
        ("2026-02-01", K.LOYALTY_ENTRY, "ms-acme", 2),
        ("2026-02-02", K.TICKET_OPENED, "T-1", 0),
        ("2026-02-05", K.TICKET_RESOLVED, "T-1", 1),
        ("2026-02-10", K.PAYMENT_RECEIVED, "INV-1", 1),
        ("2026-02-10", K.INVOICE_PAID, "INV-1", 0),
        ("2026-02-15", K.OPPORTUNITY_CHANGED, "OP-1", 1),
        ("2026-02-15", K.OPPORTUNITY_CHANGED, "OP-1", 2),
        ("2026-02-16", K.PROPOSAL_REVISION, "PR-1", 1),
        ("2026-02-17", K.PROPOSAL_STATUS, "PR-1", 1),
        ("2026-02-20", K.CREDIT_NOTE_ISSUED, "INV-2", 1),
        ("2026-02-20", K.LOYALTY_ENTRY, "ms-acme", 5),
        ("2026-03-01", K.OPPORTUNITY_CHANGED, "OP-1", 3),
        ("2026-03-01", K.CONTRACT_VERSION, "K-1", 2),
        ("2026-03-01", K.INVOICE_ISSUED, "INV-3", 0),
        ("2026-03-01", K.LOYALTY_ENTRY, "ms-acme", 3),
        ("2026-03-04", K.INVOICE_OVERDUE, "INV-2", 0),
        ("2026-03-05", K.PROPOSAL_REVISION, "PR-1", 2),
        ("2026-03-05", K.PROPOSAL_STATUS, "PR-1", 2),
        ("2026-03-10", K.PROPOSAL_REVISION, "PR-2", 1),
        ("2026-03-10", K.PAYMENT_RECEIVED, "INV-2", 1),
        ("2026-03-12", K.ACTIVITY, "A-2", 0),
        ("2026-03-14", K.CONTRACT_VERSION, "K-2", 1),
        ("2026-03-15", K.TICKET_OPENED, "T-2", 0),
    ]


def test_within_a_day_timed_events_come_before_dated_ones(
    records: ClientRecords,
) -> None:
    first_of_march = [e for e in view(records).events if e.on == dt.date(2026, 3, 1)]
    assert [(e.kind, e.at) for e in first_of_march] == [
        (K.OPPORTUNITY_CHANGED, dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)),
        (K.CONTRACT_VERSION, dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)),
        (K.INVOICE_ISSUED, None),
        (K.LOYALTY_ENTRY, None),
    ]


def test_the_order_does_not_depend_on_the_order_records_come_in(
    records: ClientRecords,
) -> None:
    shuffled = attrs.evolve(
        records,
        invoices=records.invoices[::-1],
        tickets=records.tickets[::-1],
        contracts=records.contracts[::-1],
        opportunities=records.opportunities[::-1],
        proposals=records.proposals[::-1],
    )
    assert view(shuffled) == view(records)


def test_nothing_after_the_as_of_date_is_in_the_view(records: ClientRecords) -> None:
    events = view(records).events
    assert max(e.on for e in events) == AS_OF
    sources = {e.source for e in events}
    assert {"O-2", "INV-4", "T-3"}.isdisjoint(sources)
    payments = [e.details["payment"] for e in events if e.kind is K.PAYMENT_RECEIVED]
    assert payments == ["P-1", "P-2"]  # P-3 arrives on 20 March
    op1 = [e.details.get("field") for e in events if e.source == "OP-1"]
    assert op1 == [None, "stage", "stage_probability", "override"]  # not the notes
    assert not [
        e for e in events if e.source == "OP-2" and e.kind is not K.OPPORTUNITY_CREATED
    ]


def test_an_instant_belongs_to_its_date_in_the_business_timezone(
    records: ClientRecords,
) -> None:
    in_paris = {e.source for e in view(records).of_kind(K.TICKET_OPENED)}
    in_utc = {e.source for e in view(records, timezone=dt.UTC).of_kind(K.TICKET_OPENED)}
    assert in_paris == {"T-1", "T-2"}
    assert in_utc == {"T-1", "T-2", "T-3"}


def test_each_invoice_carries_its_state_as_of_the_date(records: ClientRecords) -> None:
    issued = {e.source: e for e in view(records).of_kind(K.INVOICE_ISSUED)}
    facts = {
        invoice: (
            event.details["state"],
            event.details["days_overdue"],
            event.details["balance"],
        )
        for invoice, event in issued.items()
    }
    assert facts == {
        "INV-1": ("paid", 0, Money("0.00", "EUR")),
        "INV-2": ("overdue", 12, Money("500.00", "EUR")),
        "INV-3": ("open", 0, Money("324.00", "EUR")),
    }
    assert issued["INV-3"].amount == Money("324.00", "EUR")


def test_overdue_and_settled_are_dated_events(records: ClientRecords) -> None:
    derived = view(records).of_kind(K.INVOICE_OVERDUE, K.INVOICE_PAID)
    assert [(e.kind, e.source, e.on, e.amount) for e in derived] == [
        (K.INVOICE_PAID, "INV-1", dt.date(2026, 2, 10), None),
        (K.INVOICE_OVERDUE, "INV-2", dt.date(2026, 3, 4), Money("900.00", "EUR")),
    ]
    assert derived[0].details["on_time"] is True


def test_the_summary_says_where_the_account_stands(records: ClientRecords) -> None:
    assert view(records).summary == AccountSummary(
        client=ClientId("acme"),
        name="ACME Industrial",
        as_of=AS_OF,
        open_invoices=2,
        overdue_invoices=1,
        open_balance=(Money("824.00", "EUR"),),
        overdue_total=(Money("500.00", "EUR"),),
        open_tickets=1,
        contracts_in_force=(ContractId("K-1"),),
        open_opportunities=(OpportunityId("OP-1"), OpportunityId("OP-2")),
        loyalty=(
            LoyaltyStanding(
                membership=ACME.membership,  # type: ignore[arg-type]  # set on ACME
                programme=PROGRAMME.id,
                programme_name="Partner Rewards",
                tier="gold",
                tier_name="Gold",
                overridden=False,
                points=Decimal(1464),
                pending=Decimal(0),
            ),
        ),
    )


def test_an_earlier_date_sees_the_account_as_it_was(records: ClientRecords) -> None:
    earlier = view(records, as_of=dt.date(2026, 2, 25))
    summary = earlier.summary
    assert (summary.open_invoices, summary.overdue_invoices) == (1, 0)
    assert summary.open_balance == (Money("900.00", "EUR"),)
    assert summary.overdue_total == (Money("0.00", "EUR"),)
    assert summary.open_tickets == 0
    assert [(s.tier, s.points) for s in summary.loyalty] == [("gold", Decimal(1140))]
    assert earlier.events[-1].kind is K.LOYALTY_ENTRY
    assert earlier.events[-1].on == dt.date(2026, 2, 20)


def test_a_contract_is_in_force_only_from_its_activation(
    records: ClientRecords,
) -> None:
    before = view(records, as_of=dt.date(2025, 12, 20))
    assert before.summary.contracts_in_force == ()
    assert [e.kind for e in before.events] == [
        K.OPPORTUNITY_CREATED,
        K.CONTRACT_VERSION,
        K.CONTRACT_SIGNED,
        K.CONTRACT_DOCUMENT,
    ]


def test_amounts_of_several_currencies_are_never_added_together(
    records: ClientRecords,
) -> None:
    dollars = attrs.evolve(
        globex_invoice(),
        id=InvoiceId("USD-1"),
        client=ACME.id,
        currency="USD",
        lines=(
            attrs.evolve(globex_invoice().lines[0], unit_price=Money("99.00", "USD")),
        ),
    )
    mixed = attrs.evolve(records, invoices=(*records.invoices, dollars))
    summary = view(mixed).summary
    assert summary.open_balance == (Money("824.00", "EUR"), Money("99.00", "USD"))
    assert summary.overdue_total == (Money("500.00", "EUR"), Money("99.00", "USD"))


def test_rows_are_plain_json_values(records: ClientRecords) -> None:
    rows = view(records).rows()
    assert json.loads(json.dumps(rows)) == rows
    issued = next(
        row
        for row in rows
        if row["source"] == "INV-2" and row["kind"] == "invoice_issued"
    )
    assert issued == {
        "on": "2026-02-01",
        "at": None,
        "kind": "invoice_issued",
        "summary": "invoice INV-2 issued, due 2026-03-03: overdue as of 2026-03-15",
        "source": "INV-2",
        "sequence": 0,
        "amount": "1000.00",
        "currency": "EUR",
        "details": {
            "due_date": "2026-03-03",
            "lines": 1,
            "lines_total": "1000.00",
            "redeemed": "0.00",
            "state": "overdue",
            "days_overdue": 12,
            "credited": "100.00",
            "paid": "400.00",
            "balance": "500.00",
        },
    }
    summary = view(records).summary.row()
    assert json.loads(json.dumps(summary)) == summary
    assert summary["open_balance"] == {"EUR": "824.00"}


def test_the_text_report_is_formatted_for_the_locale(records: ClientRecords) -> None:
    german = view(records).report("de_DE").splitlines()
    assert german[:4] == [
        "Account 360: ACME Industrial (acme), Stand 15. März 2026",
        "Rechnungen: 2 offen, 1 überfällig; offene Forderungen 824,00\xa0€ "
        "(davon überfällig 500,00\xa0€)",
        "Offene Tickets: 1; gültige Verträge: 1; offene Verkaufschancen: 2",
        "Treueprogramm: Stufe Gold in Partner Rewards; 1.464 Punkte (0 ausstehend)",
    ]
    assert german[7] == (
        "  01.12.2025  Vertragsversion            Vertrag K-1 entworfen: Framework "
        "agreement 2026  [12.000,00\xa0€]"
    )
    english = view(records).report("en_GB").splitlines()
    assert english[0] == "Account 360: ACME Industrial (acme), as of 15 March 2026"
    assert english[7].startswith("  1 Dec 2025  contract version")
    assert english[7].endswith("[€12,000.00]")


def test_an_unknown_locale_is_refused(records: ClientRecords) -> None:
    with pytest.raises(ValidationError, match="unknown locale 'xx_YY'"):
        view(records).report("xx_YY")


def test_a_record_of_another_client_is_refused_by_name(
    records: ClientRecords,
) -> None:
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(records, invoices=(*records.invoices, globex_invoice()))
    [error] = raised.value.errors
    assert error.path == "invoices[4].client"
    assert error.message == ("Invoice 'G-1' belongs to client 'globex', not to 'acme'")


def test_the_same_record_twice_is_refused(records: ClientRecords) -> None:
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(records, orders=(*records.orders, records.orders[0]))
    assert raised.value.messages == ["appears twice @ orders[2].id"]


def test_a_membership_needs_its_programme(records: ClientRecords) -> None:
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(records, programmes=())
    assert raised.value.messages == [
        "membership 'ms-acme' is of programme 'partner', which was not given "
        "@ memberships[0].programme"
    ]


def test_as_of_must_be_a_date(records: ClientRecords) -> None:
    with pytest.raises(ValidationError) as raised:
        build_account_360(records, as_of=dt.datetime(2026, 3, 15, tzinfo=dt.UTC))
    assert raised.value.messages == ["expected a date, got a datetime @ as_of"]


def test_a_client_without_records_has_an_empty_history() -> None:
    empty = build_account_360(ClientRecords(client=ACME), as_of=AS_OF)
    assert empty.events == ()
    assert empty.summary.open_balance == (Money("0.00", "EUR"),)
    assert empty.summary.loyalty == ()


def test_records_helper_is_stable() -> None:
    assert acme_records() == acme_records()


def test_a_view_pickles_with_its_event_details(records: ClientRecords) -> None:
    original = view(records)
    copy = pickle.loads(pickle.dumps(original))  # noqa: S301 - our own bytes
    assert copy == original
    assert [event.details for event in copy.events] == [
        event.details for event in original.events
    ]
