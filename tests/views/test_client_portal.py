"""The client portal on the hand-built history: allow-list, visibility, refusal."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from acme_history import (
    AS_OF,
    PARIS,
    PROGRAMME,
    SECRET,
    acme_records,
    eur,
    globex_invoice,
    utc,
)

from kamcore.contracts import Contract, Signature
from kamcore.errors import ValidationError
from kamcore.proposals import Proposal, ProposalStatus
from kamcore.views import (
    PORTAL_ALLOW_LIST,
    PORTAL_RECORD_TYPES,
    ClientPortal,
    ClientRecords,
    PortalLine,
    build_client_portal,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "account-360.md"


@pytest.fixture
def records() -> ClientRecords:
    return acme_records()


def portal(records: ClientRecords, as_of: dt.date = AS_OF) -> ClientPortal:
    return build_client_portal(records, as_of=as_of, timezone=PARIS)


def walk(value: Any, record_type: str) -> Iterator[tuple[str, set[str]]]:
    """Every serialised record with the keys it has, by record type."""
    yield record_type, set(value)
    for field in PORTAL_ALLOW_LIST[record_type]:
        child = value.get(field.name)
        if field.record is None or child is None:
            continue
        for item in child if isinstance(child, list) else [child]:
            yield from walk(item, field.record)


def test_every_serialised_field_is_allow_listed(records: ClientRecords) -> None:
    seen = set()
    for record_type, keys in walk(portal(records).to_dict(), "portal"):
        assert keys == {field.name for field in PORTAL_ALLOW_LIST[record_type]}
        seen.add(record_type)
    assert seen == set(PORTAL_ALLOW_LIST) - {"redemption"}


def test_each_portal_record_carries_exactly_its_allow_list() -> None:
    assert set(PORTAL_RECORD_TYPES) == set(PORTAL_ALLOW_LIST)
    for record_type, cls in PORTAL_RECORD_TYPES.items():
        fields = [field.name for field in attrs.fields(cls)]
        assert fields == [field.name for field in PORTAL_ALLOW_LIST[record_type]]


def test_nothing_internal_reaches_the_portal(records: ClientRecords) -> None:
    text = json.dumps(portal(records).to_dict())
    assert SECRET not in text  # notes, reasons, ad-hoc reason, activity summary
    for internal in ("m.rossi", "OP-1", "probability", "explanation", "dms://"):
        assert internal not in text


def test_only_signed_contracts_show_with_their_signed_terms(
    records: ClientRecords,
) -> None:
    [contract] = portal(records).to_dict()["contracts"]
    terms = {
        "number": 1,
        "effective_from": "2026-01-01",
        "term_start": "2026-01-01",
        "term_end": "2026-12-31",
        "term": "P1Y",
        "value": "12000.00",
        "auto_renew": True,
        "notice_period": "P3M",
        "notice_deadline": "2026-09-30",
        "signed_on": "2025-12-15",
        "signed_by": "J. Smith",
    }
    assert contract == {
        "id": "K-1",
        "title": "Framework agreement 2026",
        "status": "active",
        "currency": "EUR",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "current": terms,
        "signed_versions": [terms],
        "termination_received_on": None,
        "termination_effective_end": None,
    }


def _sign_amendment(records: ClientRecords) -> ClientRecords:
    framework, draft = records.contracts
    signed: Contract = framework.sign(
        Signature(version=2, signed_on=dt.date(2026, 3, 10), signed_by="J. Smith")
    )
    return attrs.evolve(records, contracts=(signed, draft))


def test_a_signed_amendment_is_current_once_in_effect(records: ClientRecords) -> None:
    amended = _sign_amendment(records)
    [before] = portal(amended).contracts
    assert [v.number for v in before.signed_versions] == [1, 2]
    assert before.current.number == 1  # version 2 applies from 1 April
    [after] = portal(amended, as_of=dt.date(2026, 4, 1)).contracts
    assert (after.current.number, after.current.value) == (2, eur("13200.00"))


def test_only_what_was_sent_shows_of_a_proposal(records: ClientRecords) -> None:
    [proposal] = portal(records).to_dict()["proposals"]
    line = {
        "product": "pump-p200",
        "description": "Pump P200",
        "quantity": "10",
        "unit_price": "950.00",
        "gross_total": "9500.00",
        "discount": "0.00",
        "total": "9500.00",
    }
    revision = {
        "number": 1,
        "pricing_date": "2026-02-16",
        "lines": [line],
        "total": "9500.00",
    }
    assert proposal == {
        "id": "PR-1",
        "purpose": "upsell",
        "status": "negotiating",
        "currency": "EUR",
        "sent_on": "2026-02-17",
        "valid_until": "2026-04-30",
        "total": "9500.00",
        "current": revision,
        "revisions": [revision],
    }


def test_a_revision_shows_once_it_is_sent(records: ClientRecords) -> None:
    upsell, draft = records.proposals
    resent: Proposal = upsell.move_to(ProposalStatus.SENT, at=utc(2026, 3, 6, 9))
    view = portal(attrs.evolve(records, proposals=(resent, draft)))
    [proposal] = view.proposals
    assert [r.number for r in proposal.revisions] == [1, 2]
    assert (proposal.status, proposal.total) == (ProposalStatus.SENT, eur("9000.00"))
    assert proposal.sent_on == dt.date(2026, 2, 17)


def test_a_proposal_not_yet_sent_on_the_date_is_not_shown(
    records: ClientRecords,
) -> None:
    assert portal(records, as_of=dt.date(2026, 2, 16)).proposals == ()


def test_invoices_show_their_state_payments_and_credits_on_the_date(
    records: ClientRecords,
) -> None:
    invoices = portal(records).to_dict()["invoices"]
    assert [i["id"] for i in invoices] == ["INV-1", "INV-2", "INV-3"]
    second = invoices[1]
    assert {k: second[k] for k in ("state", "days_overdue", "balance")} == {
        "state": "overdue",
        "days_overdue": 12,
        "balance": "500.00",
    }
    assert second["credit_notes"] == [
        {"id": "C-1", "issued_on": "2026-02-20", "amount": "100.00"}
    ]
    assert second["payments"] == [
        {
            "id": "P-2",
            "received_on": "2026-03-10",
            "amount": "400.00",
            "reference": "ACME-REM-002",
        }
    ]
    third = invoices[2]
    assert (third["state"], third["paid"], third["payments"]) == ("open", "0.00", [])


def test_an_ad_hoc_discount_shows_as_an_amount_only(records: ClientRecords) -> None:
    [line] = portal(records).invoices[2].lines
    assert line == PortalLine(
        product=records.invoices[2].lines[0].product,
        quantity=Decimal(3),
        description="",
        unit_price=eur("120.00"),
        gross_total=eur("360.00"),
        discount=eur("36.00"),
        total=eur("324.00"),
    )


def test_loyalty_shows_tier_points_and_benefits(records: ClientRecords) -> None:
    assert portal(records).to_dict()["loyalty"] == [
        {
            "programme": "Partner Rewards",
            "tier": "gold",
            "tier_name": "Gold",
            "benefits": "5 % off every order, priority support",
            "extra_discount": "5",
            "points": "1464",
            "pending_points": "0",
            "points_value": "14.64",
            "currency": "EUR",
        }
    ]


def test_points_value_is_rounded_once_half_up(records: ClientRecords) -> None:
    odd_rate = attrs.evolve(PROGRAMME, redemption_rate=eur("0.003125"))
    [loyalty] = portal(attrs.evolve(records, programmes=(odd_rate,))).loyalty
    assert loyalty.points_value == eur("4.58")  # 1464 x 0.003125 = 4.575


def test_a_record_of_another_client_is_refused_not_dropped(
    records: ClientRecords,
) -> None:
    with pytest.raises(ValidationError) as raised:
        build_client_portal(
            attrs.evolve(records, invoices=(globex_invoice(),)), as_of=AS_OF
        )
    assert raised.value.messages == [
        "Invoice 'G-1' belongs to client 'globex', not to 'acme' @ invoices[0].client"
    ]


def test_before_anything_happened_the_portal_is_empty(records: ClientRecords) -> None:
    empty = portal(records, as_of=dt.date(2025, 1, 1)).to_dict()
    assert empty == {
        "client": "acme",
        "name": "ACME Industrial",
        "as_of": "2025-01-01",
        "contracts": [],
        "proposals": [],
        "invoices": [],
        "loyalty": [],
    }


def _docs_table() -> dict[str, list[str]]:
    text = DOCS.read_text(encoding="utf-8")
    table: dict[str, list[str]] = {}
    for match in re.finditer(r"^\| `(\w+)` \| `(\w+)` \|", text, re.MULTILINE):
        table.setdefault(match[1], []).append(match[2])
    return table


def test_the_docs_table_is_the_allow_list() -> None:
    assert _docs_table() == {
        record_type: [field.name for field in fields]
        for record_type, fields in PORTAL_ALLOW_LIST.items()
    }
