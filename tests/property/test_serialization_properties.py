"""Round trips are exact, and no input of any shape escapes as anything but
:class:`~kamcore.errors.ValidationError`."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from kamcore.accounts import (
    Activity,
    AdHocDiscount,
    Client,
    ClientGroup,
    CreditNote,
    Invoice,
    LineItem,
    Order,
    Payment,
    PriceExplanation,
    Product,
    Ticket,
)
from kamcore.contracts import Contract, RenewalAlert
from kamcore.errors import ValidationError
from kamcore.kernel import DateRange, Money, Percentage, Rate
from kamcore.loyalty import Membership, Programme
from kamcore.opportunities import (
    Opportunity,
    OpportunityChange,
    ProbabilityOverride,
    StageProbabilities,
)
from kamcore.ports import Notification, Recipient
from kamcore.pricing import (
    Derivation,
    DiscountGroup,
    DiscountRule,
    PriceItem,
    PriceList,
)
from kamcore.proposals import Proposal, ProposalEvent, ProposalRevision
from kamcore.serialization import from_json, structure, to_json, unstructure
from kamcore.testing import strategies as ks

# (values, target type, the subject its validation errors name)
TARGETS: list[tuple[st.SearchStrategy[Any], Any, str]] = [
    (ks.clients(), Client, "Client"),
    (ks.client_groups(), ClientGroup, "ClientGroup"),
    (ks.products(), Product, "Product"),
    (
        ks.products().filter(lambda p: p.cost is not None),
        Product,
        "Product",
    ),
    (ks.price_lists(), PriceList, "PriceList"),
    (ks.price_items(), PriceItem, "PriceItem"),
    (ks.derivations(), Derivation, "Derivation"),
    (ks.discount_groups(), DiscountGroup, "DiscountGroup"),
    (ks.discount_rules(), DiscountRule, "DiscountRule"),
    (ks.orders(), Order, "Order"),
    (ks.line_items(), LineItem, "LineItem"),
    (ks.line_items(ad_hoc=True, explained=True), LineItem, "LineItem"),
    (ks.ad_hoc_discounts(), AdHocDiscount, "AdHocDiscount"),
    (ks.price_explanations(), PriceExplanation, "PriceExplanation"),
    (ks.invoices(), Invoice, "Invoice"),
    (ks.payments(), Payment, "Payment"),
    (ks.credit_notes(), CreditNote, "CreditNote"),
    (ks.tickets(), Ticket, "Ticket"),
    (ks.activities(), Activity, "Activity"),
    (ks.notifications(), Notification, "Notification"),
    (ks.recipients(), Recipient, "Recipient"),
    (ks.money(), Money, "Money"),
    (ks.percentages(), Percentage, "Percentage"),
    (ks.rates(), Rate, "Rate"),
    (ks.date_ranges(), DateRange, "DateRange"),
    (ks.relativedelta_terms(), relativedelta, "relativedelta"),
    (st.lists(ks.invoices(), max_size=2), list[Invoice], "list[Invoice]"),
    (ks.opportunities(), Opportunity, "Opportunity"),
    (ks.opportunity_changes(), OpportunityChange, "OpportunityChange"),
    (ks.probability_overrides(), ProbabilityOverride, "ProbabilityOverride"),
    (ks.stage_probabilities(), StageProbabilities, "StageProbabilities"),
    (ks.proposals(), Proposal, "Proposal"),
    (ks.proposal_revisions(), ProposalRevision, "ProposalRevision"),
    (ks.proposal_events(), ProposalEvent, "ProposalEvent"),
    (ks.contracts(), Contract, "Contract"),
    (ks.renewal_alerts(), RenewalAlert, "RenewalAlert"),
    (ks.programmes(), Programme, "Programme"),
    (ks.memberships(max_steps=6), Membership, "Membership"),
]
TARGET_IDS = [subject for *_, subject in TARGETS]
# Two targets per class in places (any product, a product with a cost): number
# the repeats so that every test id stays unique.
TARGET_IDS = [
    name if TARGET_IDS[:i].count(name) == 0 else f"{name}-{TARGET_IDS[:i].count(name)}"
    for i, name in enumerate(TARGET_IDS)
]
BY_TYPE = pytest.mark.parametrize(("values", "cls", "subject"), TARGETS, ids=TARGET_IDS)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.decimals(),  # what from_json makes of 12.5
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)

Path = tuple[str | int, ...]


def locations(document: Any, here: Path = ()) -> list[Path]:
    """The path of every value inside ``document``, itself included."""
    found = [here]
    if isinstance(document, dict):
        for key, value in document.items():
            found += locations(value, (*here, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += locations(value, (*here, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, values: st.SearchStrategy[Any]) -> Any:
    """A valid document with one key dropped, one value replaced, or one added."""
    document = unstructure(draw(values))
    where = draw(st.sampled_from(locations(document)))
    change = draw(st.sampled_from(["drop", "replace", "add"]))
    if not where:
        return draw(json_values) if change == "replace" else document
    parent = document
    for step in where[:-1]:
        parent = parent[step]
    if change == "drop":
        del parent[where[-1]]
    elif change == "replace":
        parent[where[-1]] = draw(json_values)
    elif isinstance(parent, dict):
        parent[draw(st.text(max_size=8))] = draw(json_values)
    else:
        parent.append(draw(json_values))
    return document


def check_error(error: ValidationError, subject: str) -> None:
    """The error names its subject and roots every path at ``$``."""
    assert error.subject == subject
    assert error.errors
    for field_error in error.errors:
        assert field_error.path.startswith("$"), field_error
        assert field_error.message


# -- round trips ---------------------------------------------------------------


@BY_TYPE
@given(data=st.data())
def test_round_trips_are_exact(
    values: st.SearchStrategy[Any], cls: Any, subject: str, data: st.DataObject
) -> None:
    value = data.draw(values)
    document = unstructure(value)
    again = structure(document, cls)
    assert again == value
    # Equal Decimals may differ in digits ("12.5" and "12.50"); documents do not.
    assert unstructure(again) == document
    text = to_json(value)
    assert from_json(text, cls) == value
    assert to_json(from_json(text, cls)) == text


# Money refuses amounts of 10**30 and more (in absolute value), and more than
# 30 decimal places, by design.
amounts = st.decimals(allow_nan=False, allow_infinity=False).filter(
    lambda amount: (
        (amount.is_zero() or amount.adjusted() < 30)
        and int(amount.as_tuple().exponent) >= -30
    )
)


@given(amounts, ks.currencies())
def test_any_finite_amount_keeps_its_digits(amount: Decimal, currency: str) -> None:
    again = from_json(to_json(Money(amount, currency)), Money)
    assert str(again.amount) == str(amount)


@given(st.dates())
def test_any_date_round_trips(day: dt.date) -> None:
    assert structure(unstructure(day), dt.date) == day


@given(
    st.datetimes(
        timezones=st.integers(-86_399, 86_399).map(
            lambda seconds: dt.timezone(dt.timedelta(seconds=seconds))
        )
    )
)
def test_any_instant_with_an_offset_round_trips(instant: dt.datetime) -> None:
    again = structure(unstructure(instant), dt.datetime)
    assert (again, again.utcoffset()) == (instant, instant.utcoffset())


# -- malformed input -------------------------------------------------------------


@BY_TYPE
@given(data=st.data())
def test_malformed_input_raises_only_validation_error(
    values: st.SearchStrategy[Any], cls: Any, subject: str, data: st.DataObject
) -> None:
    malformed = data.draw(st.one_of(json_values, mutated(values)))
    try:
        structure(malformed, cls)
    except ValidationError as error:
        check_error(error, subject)


@given(st.text() | st.binary() | json_values.map(lambda v: json.dumps(v, default=str)))
def test_any_json_text_raises_only_validation_error(text: str | bytes) -> None:
    try:
        from_json(text, Invoice)
    except ValidationError as error:
        check_error(error, "Invoice")
