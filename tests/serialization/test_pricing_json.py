"""The JSON forms of pricing results: compact, ids instead of objects, exact
figures; what reads back does, what does not is refused with a kamcore error."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from pricing_catalogue import (
    ACME,
    BASE,
    DACH,
    DACH_LIST,
    DAY,
    INDEX,
    PRODUCTS,
    PUMP,
    VALVE,
    VOLUME,
    Case,
    cases,
    fair_deal,
    line,
    price,
)

from kamcore.accounts import (
    Candidate,
    CandidateOutcome,
    ClientGroup,
    PriceExplanation,
    PricingStep,
)
from kamcore.errors import ValidationError
from kamcore.kernel import ClientGroupId, DateRange, InvoiceId, Money, PriceListId
from kamcore.pricing import (
    AccountAdHoc,
    AdHocLine,
    AdHocReport,
    DocumentKind,
    PolicyFinding,
    PricedDocument,
    PriceItem,
    PriceList,
    PriceListKind,
    PriceListProposal,
    PriceNotFoundError,
    PricingConfigurationError,
    PricingConflict,
    PricingIndex,
    ResolvedPrice,
    ad_hoc_report,
)
from kamcore.serialization import from_json, structure, to_json, unstructure


def euros(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "EUR"}


# -- resolved prices ------------------------------------------------------------


def test_a_resolved_price_carries_the_client_id_and_no_resolver() -> None:
    resolved = INDEX.resolve(ACME, VALVE, Decimal(12), DAY)
    assert json.loads(to_json(resolved)) == {
        "unit_price": euros("39.1400"),
        "list_price": euros("41.20"),
        "discount": "5",
        "source": "dach.items[0]",
        "source_kind": "group",
        "client": "acme",
        "product": "valve-dn50",
        "quantity": "12",
        "on": "2026-11-23",
    }


def test_a_resolved_price_without_a_discount_writes_null() -> None:
    resolved = INDEX.resolve(ACME, PUMP, Decimal(2), DAY)
    assert unstructure(resolved)["discount"] is None


def test_a_resolved_price_is_not_read_back() -> None:
    text = to_json(INDEX.resolve(ACME, PUMP, Decimal(2), DAY))
    with pytest.raises(ValidationError) as caught:
        from_json(text, ResolvedPrice)
    assert caught.value.subject == "ResolvedPrice"
    assert caught.value.messages == [
        "ResolvedPrice is an output form and is not read back: resolve the "
        "price again with PricingIndex.resolve @ $"
    ]


# -- priced documents -------------------------------------------------------------

PUMP_LINE: dict[str, Any] = {
    "product": "pump-p4",
    "quantity": "2",
    "unit_price": euros("120.0000"),
    "description": "",
    "ad_hoc": {"reason": "fair deal", "granted_by": "m-anna", "percentage": "20"},
    "gross_total": euros("240.00"),
    "ad_hoc_value": euros("48.00"),
    "total": euros("192.00"),
    "explanation": {
        "source": "base-eur.items[1]",
        "source_kind": "base",
        "candidates": [
            {"source": "dach", "kind": "group", "outcome": "no item for the product"},
            {
                "source": "base-eur.items[2]",
                "kind": "base",
                "outcome": "quantity below the item's minimum",
                "detail": "from quantity 20, valid open..open",
            },
            {
                "source": "base-eur.items[1]",
                "kind": "base",
                "outcome": "chosen",
                "unit_price": euros("120.00"),
                "detail": "from quantity 0, valid open..open",
            },
        ],
        "steps": [
            {"label": "list price base-eur.items[1]", "amount": euros("120.00")},
            {
                "label": "unit price",
                "amount": euros("120.0000"),
                "rounding": "4 places, ROUND_HALF_UP",
            },
            {
                "label": "gross total 2 x 120.0000 EUR",
                "amount": euros("240.00"),
                "rounding": "2 places, ROUND_HALF_UP",
            },
            {
                "label": "ad-hoc discount 20% of 240.00 EUR "
                "(fair deal, granted by m-anna)",
                "amount": euros("48.00"),
                "rounding": "2 places, ROUND_HALF_UP",
            },
            {
                "label": "line total 240.00 EUR - 48.00 EUR",
                "amount": euros("192.00"),
            },
        ],
        "discount": "discount group volume: no rule applies",
    },
}


def test_a_priced_document_is_written_with_its_figures_and_findings() -> None:
    document = price([line(PUMP, 2, ad_hoc=fair_deal("20"))], explain=True)
    assert json.loads(to_json(document)) == {
        "kind": "order",
        "client": "acme",
        "currency": "EUR",
        "pricing_date": "2026-11-23",
        "lines": [PUMP_LINE],
        "total": euros("192.00"),
        "gross_total": euros("240.00"),
        "ad_hoc_total": euros("48.00"),
        "findings": [
            {
                "line": 0,
                "code": "ad_hoc_on_key_account",
                "message": "line 0: ad-hoc discount of 48.00 EUR on pump-p4 for "
                "key account acme (fair deal, granted by m-anna): custom prices "
                "for key accounts belong in their price list",
                "value": euros("48.00"),
            },
            {
                "line": 0,
                "code": "below_floor",
                "message": "line 0: pump-p4 x 2 nets 192.00 EUR, below its floor "
                "200.00 EUR (100.00 EUR per unit)",
                "value": euros("192.00"),
            },
        ],
    }


def test_a_line_without_an_ad_hoc_discount_or_explanation_has_neither_key() -> None:
    written = unstructure(price([line(VALVE, 12, description="for line 3")]))
    assert written["lines"][0] == {
        "product": "valve-dn50",
        "quantity": "12",
        "unit_price": euros("39.1400"),
        "description": "for line 3",
        "gross_total": euros("469.68"),
        "ad_hoc_value": euros("0.00"),
        "total": euros("469.68"),
    }
    assert written["ad_hoc_total"] == euros("0.00")
    assert written["findings"] == []


def test_only_the_lines_that_asked_carry_their_explanation() -> None:
    written = unstructure(price([line(VALVE, 12), line(PUMP, 2, explain=True)]))
    assert ["explanation" in priced for priced in written["lines"]] == [False, True]
    assert written["lines"][1]["explanation"]["source"] == "base-eur.items[1]"


def test_an_ad_hoc_amount_is_written_without_a_percentage() -> None:
    amount = attrs.evolve(fair_deal("1"), percentage=None, amount=Money("5.00", "EUR"))
    written = unstructure(price([line(PUMP, 1, ad_hoc=amount)]))
    assert written["lines"][0]["ad_hoc"] == {
        "reason": "fair deal",
        "granted_by": "m-anna",
        "amount": euros("5.00"),
    }
    assert written["lines"][0]["total"] == euros("115.00")


def test_a_priced_document_reads_back_equal() -> None:
    document = price(
        [line(VALVE, 12), line(PUMP, 2, ad_hoc=fair_deal("20"), explain=True)],
        kind=DocumentKind.PROPOSAL,
    )
    assert from_json(to_json(document), PricedDocument) == document
    assert from_json(to_json(document), PricedDocument).lines[0].explanation is None


def test_the_figures_may_be_left_out_of_a_document_read_back() -> None:
    document = price([line(PUMP, 2, ad_hoc=fair_deal("20"))], explain=True)
    written = unstructure(document)
    for name in ("total", "gross_total", "ad_hoc_total"):
        del written[name]
    for name in ("gross_total", "ad_hoc_value", "total"):
        del written["lines"][0][name]
    assert structure(written, PricedDocument) == document


def test_a_figure_that_is_not_what_the_lines_make_is_refused() -> None:
    written = unstructure(price([line(VALVE, 12), line(PUMP, 2)]))
    written["total"] = euros("1.00")
    written["lines"][1]["ad_hoc_value"] = euros("1.00")
    written["lines"][0]["gross_total"] = {"amount": 469.68, "currency": "EUR"}
    with pytest.raises(ValidationError) as caught:
        structure(written, PricedDocument)
    assert caught.value.subject == "PricedDocument"
    assert caught.value.messages == [
        "expected a decimal string, got float 469.68 @ $.lines[0].gross_total.amount",
        "is 709.68 EUR for these lines, not 1.00 EUR: the figures are derived "
        "from the lines (leave them out) @ $.total",
        "is 0.00 EUR for these lines, not 1.00 EUR: the figures are derived from "
        "the lines (leave them out) @ $.lines[1].ad_hoc_value",
    ]


def test_a_malformed_document_reports_its_fields_and_figures_together() -> None:
    written = unstructure(price([line(VALVE, 12)]))
    written["kind"] = "quote"
    written["total"] = "12.00"
    with pytest.raises(ValidationError) as caught:
        structure(written, PricedDocument)
    assert caught.value.messages == [
        "expected one of 'order', 'invoice', 'proposal', got str 'quote' @ $.kind",
        "expected an object, got str '12.00' @ $.total",
    ]


def test_a_document_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        structure([], PricedDocument)
    assert caught.value.messages == ["expected an object, got list @ $"]


# -- explanations -------------------------------------------------------------------


EXPLANATION = PriceExplanation(
    source="acme-2026.items[0]",
    source_kind="client",
    candidates=(
        Candidate(
            source="acme-2026.items[0]",
            kind="client",
            outcome=CandidateOutcome.CHOSEN,
            unit_price=Money("41.20", "EUR"),
        ),
        Candidate(source="base-eur", kind="base", outcome=CandidateOutcome.NO_ITEM),
    ),
    steps=(
        PricingStep(label="list price", amount=Money("41.20", "EUR")),
        PricingStep(
            label="unit price",
            amount=Money("41.2000", "EUR"),
            rounding="4 places, ROUND_HALF_UP",
        ),
    ),
)


def test_an_explanation_leaves_out_what_holds_nothing() -> None:
    assert unstructure(EXPLANATION) == {
        "source": "acme-2026.items[0]",
        "source_kind": "client",
        "candidates": [
            {
                "source": "acme-2026.items[0]",
                "kind": "client",
                "outcome": "chosen",
                "unit_price": euros("41.20"),
            },
            {
                "source": "base-eur",
                "kind": "base",
                "outcome": "no item for the product",
            },
        ],
        "steps": [
            {"label": "list price", "amount": euros("41.20")},
            {
                "label": "unit price",
                "amount": euros("41.2000"),
                "rounding": "4 places, ROUND_HALF_UP",
            },
        ],
    }
    assert from_json(to_json(EXPLANATION), PriceExplanation) == EXPLANATION


def test_an_explanation_written_in_full_still_reads() -> None:
    # Stored orders and invoices written before the compact form.
    full = {
        "source": "base-eur",
        "source_kind": "base",
        "candidates": [
            {
                "source": "base-eur",
                "kind": "base",
                "outcome": "no item for the product",
                "unit_price": None,
                "detail": "",
            }
        ],
        "steps": [{"label": "list price", "amount": euros("1.00"), "rounding": ""}],
        "discount": None,
    }
    read = structure(full, PriceExplanation)
    assert read.candidates[0].unit_price is None
    assert read.steps[0].rounding == ""
    assert "discount" not in unstructure(read)


# -- findings, conflicts and error bodies ----------------------------------------


def test_a_finding_and_a_conflict_read_back() -> None:
    finding = PolicyFinding(1, "below_margin", "thin", Money("9.00", "EUR"))
    conflict = PricingConflict("two items overlap", ("x.items[0]", "x.items[1]"))
    assert unstructure(conflict) == {
        "detail": "two items overlap",
        "sources": ["x.items[0]", "x.items[1]"],
    }
    assert from_json(to_json(finding), PolicyFinding) == finding
    assert from_json(to_json(conflict), PricingConflict) == conflict


def test_a_configuration_error_is_an_error_body_naming_both_sources() -> None:
    nordics_list = PriceList(
        id=PriceListId("nordics"),
        name="Nordics",
        currency="EUR",
        kind=PriceListKind.GROUP,
        items=(
            PriceItem(
                product=VALVE, unit_price=Money("41.20", "EUR"), discountable=False
            ),
        ),
    )
    nordics = ClientGroup(
        id=ClientGroupId("nordics"),
        name="Nordics",
        priority=10,
        price_list=nordics_list.id,
    )
    tied = PricingIndex(
        [BASE, DACH_LIST, nordics_list],
        client_groups=[DACH, nordics],
        discount_groups=[VOLUME],
        products=PRODUCTS,
    )
    in_both = attrs.evolve(ACME, groups=frozenset({DACH.id, nordics.id}))
    with pytest.raises(PricingConfigurationError) as caught:
        tied.resolve(in_both, VALVE, Decimal(12), DAY)
    detail = (
        "groups dach and nordics have the same priority and price valve-dn50 at "
        "39.1400 and 41.2000 net (list prices 41.20 and 41.20) on 2026-11-23"
    )
    assert json.loads(to_json(caught.value)) == {
        "error": "pricing_configuration",
        "message": detail,
        "conflicts": [
            {"detail": detail, "sources": ["dach.items[0]", "nordics.items[0]"]}
        ],
    }


def test_a_missing_price_is_an_error_body_with_the_reasons() -> None:
    bare = attrs.evolve(ACME, groups=frozenset(), discount_group=None)
    with pytest.raises(PriceNotFoundError) as caught:
        PricingIndex([BASE]).resolve(bare, "gasket", Decimal(3), DAY)  # type: ignore[arg-type]  # a plain str id, as a service passes it
    assert json.loads(to_json(caught.value)) == {
        "error": "price_not_found",
        "message": "no price for gasket x 3 for client acme on 2026-11-23: "
        "base-eur (base): no item for the product",
        "client": "acme",
        "product": "gasket",
        "quantity": "3",
        "on": "2026-11-23",
        "reasons": ["base-eur (base): no item for the product"],
    }


def test_a_validation_error_is_an_error_body_with_every_path() -> None:
    with pytest.raises(ValidationError) as caught:
        from_json('{"client": "", "lines": []}', PricedDocument)
    body = json.loads(to_json(caught.value))
    assert body["error"] == "validation"
    assert body["subject"] == "PricedDocument"
    assert body["errors"][:2] == [
        {"path": "$.kind", "message": "required field missing"},
        {"path": "$.currency", "message": "required field missing"},
    ]


@pytest.mark.parametrize(
    "cls",
    [PricingConfigurationError, PriceNotFoundError, ValidationError],
    ids=lambda cls: cls.__name__,
)
def test_an_error_body_is_not_read_back(cls: type[Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        structure({"error": "validation"}, cls)
    assert caught.value.subject == cls.__name__
    assert caught.value.messages == [
        f"{cls.__name__} is an output form and is not read back: it is an error "
        "body, written for a client to read @ $"
    ]


# -- the ad-hoc report --------------------------------------------------------------


def report() -> AdHocReport:
    invoices = [
        price(
            [line(PUMP, quantity, ad_hoc=fair_deal(percent)), line(VALVE, 5)],
            kind=DocumentKind.INVOICE,
        ).to_invoice(InvoiceId(f"INV-{n}"), due_date=DAY + dt.timedelta(days=30))
        for n, (quantity, percent) in enumerate(
            [(2, "20"), (4, "10"), (1, "15")], start=1
        )
    ]
    return ad_hoc_report(invoices, DateRange(dt.date(2026, 11, 1), DAY))


def test_the_ad_hoc_report_carries_its_totals_and_proposals() -> None:
    written = json.loads(to_json(report()))
    assert written["period"] == {"start": "2026-11-01", "end": "2026-11-23"}
    (account,) = written["accounts"]
    assert {k: v for k, v in account.items() if k != "lines"} == {
        "client": "acme",
        "currency": "EUR",
        "total": euros("114.00"),
        "line_count": 3,
        "invoice_count": 3,
    }
    assert account["lines"][1] == {
        "invoice": "INV-2",
        "issue_date": "2026-11-23",
        "product": "pump-p4",
        "quantity": "4",
        "unit_price": euros("120.0000"),
        "gross": euros("480.00"),
        "value": euros("48.00"),
        "reason": "fair deal",
        "granted_by": "m-anna",
        "net": euros("432.00"),
    }
    # Net unit prices 96, 108 and 102: the median is 102.
    assert written["proposals"] == [
        {
            "client": "acme",
            "product": "pump-p4",
            "occurrences": 3,
            "proposed_item": {
                "product": "pump-p4",
                "unit_price": euros("102.0000"),
                "valid_from": "2026-11-24",
            },
            "rationale": "ad-hoc discounts on pump-p4 on 3 invoices from "
            "2026-11-01 to 2026-11-23 (3 lines), 10.00% to 20.00% off the gross "
            "total; median net unit price 102.0000 EUR: proposed for acme's "
            "dedicated price list from 2026-11-24",
        }
    ]


def test_a_proposed_item_reads_as_the_price_item_it_proposes() -> None:
    (proposal,) = report().proposals
    written = unstructure(proposal)["proposed_item"]
    assert structure(written, PriceItem) == proposal.proposed_item


@pytest.mark.parametrize(
    "cls",
    [AdHocReport, AccountAdHoc, AdHocLine, PriceListProposal],
    ids=lambda cls: cls.__name__,
)
def test_the_report_is_not_read_back(cls: type[Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        structure({}, cls)
    assert caught.value.subject == cls.__name__
    assert caught.value.messages[0].startswith(
        f"{cls.__name__} is an output form and is not read back: "
    )


# -- properties -----------------------------------------------------------------------


def amount(money: dict[str, str]) -> Decimal:
    return Decimal(money["amount"])


@given(cases())
def test_every_resolved_price_serialises_with_the_client_id(case: Case) -> None:
    for request in case.lines:
        resolved = case.index.resolve(
            case.client, request.product, request.quantity, DAY
        )
        written = json.loads(to_json(resolved))
        assert written["client"] == case.client.id
        assert amount(written["unit_price"]) == resolved.unit_price.amount
        assert Decimal(written["quantity"]) == request.quantity
        assert set(written) == {
            "unit_price",
            "list_price",
            "discount",
            "source",
            "source_kind",
            "client",
            "product",
            "quantity",
            "on",
        }


@given(cases())
def test_every_document_serialises_with_totals_that_reconcile(case: Case) -> None:
    document = case.document()
    text = to_json(document)
    written = json.loads(text)
    lines = written["lines"]
    assert amount(written["total"]) == sum(amount(li["total"]) for li in lines)
    assert amount(written["gross_total"]) == sum(
        amount(li["gross_total"]) for li in lines
    )
    assert amount(written["ad_hoc_total"]) == sum(
        amount(li["ad_hoc_value"]) for li in lines
    )
    for li in lines:
        assert amount(li["gross_total"]) - amount(li["ad_hoc_value"]) == amount(
            li["total"]
        )
    assert amount(written["total"]) == document.total.amount
    assert len(written["findings"]) == len(document.findings)
    assert from_json(text, PricedDocument) == document
