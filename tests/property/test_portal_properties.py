"""Trust (SPEC §8): a client's portal holds its own data and allow-listed fields
only, over random portfolios of several clients.

Every client id is a token (``~c0~``) that no generated text contains, and every
record of a client has an id starting with its token, so "another client's
data" is found by a substring search of the serialised portal. Every internal
field of every record (notes, reasons, summaries, grantors, explanations,
archive addresses) is set to a marker that must never appear either.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamcore.accounts import Invoice, LineItem
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.contracts import Contract
from kamcore.errors import ValidationError
from kamcore.i18n import translator
from kamcore.kernel import (
    ClientId,
    ContractId,
    InvoiceId,
    ManagerId,
    MembershipId,
    ProgrammeId,
    ProposalId,
)
from kamcore.loyalty import Membership, Programme
from kamcore.proposals import Proposal, ProposalEvent, ProposalStatus
from kamcore.services import client_portal
from kamcore.testing import strategies as ks
from kamcore.views import (
    PORTAL_ALLOW_LIST,
    ClientRecords,
    build_account_360,
    build_client_portal,
)

MARK = "~internal~"
MANAGER = ManagerId(MARK)
SLOW = settings(
    # A portfolio is a few dozen generated records: a third of the profile's
    # examples keeps the dev run short; "thorough" still runs hundreds.
    max_examples=max(10, settings().max_examples // 3),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


FAMILIES = (
    "orders",
    "invoices",
    "tickets",
    "activities",
    "contracts",
    "opportunities",
    "proposals",
    "memberships",
)


def token(number: int) -> ClientId:
    return ClientId(f"~c{number}~")


# -- marking every internal field ---------------------------------------------------


def _line(line: LineItem) -> LineItem:
    ad_hoc = line.ad_hoc
    if ad_hoc is not None:
        ad_hoc = attrs.evolve(ad_hoc, reason=MARK, granted_by=MANAGER)
    explanation = line.explanation
    if explanation is not None:
        explanation = attrs.evolve(explanation, source=MARK, discount=MARK)
    return attrs.evolve(line, ad_hoc=ad_hoc, explanation=explanation)


def _invoice(invoice: Invoice, owner: ClientId) -> Invoice:
    return attrs.evolve(
        invoice,
        id=InvoiceId(f"{owner}/{invoice.id}"),
        lines=tuple(_line(line) for line in invoice.lines),
        credit_notes=tuple(
            attrs.evolve(note, reason=MARK) for note in invoice.credit_notes
        ),
    )


def _contract(contract: Contract, owner: ClientId) -> Contract:
    termination = contract.termination
    if termination is not None:
        termination = attrs.evolve(termination, reason=MARK)
    return attrs.evolve(
        contract,
        id=ContractId(f"{owner}/{contract.id}"),
        versions=tuple(
            attrs.evolve(v, note=MARK, recorded_by=MANAGER) for v in contract.versions
        ),
        history=tuple(attrs.evolve(c, reason=MARK) for c in contract.history),
        signatures=tuple(
            attrs.evolve(s, countersigned_by=MANAGER) for s in contract.signatures
        ),
        documents=tuple(
            attrs.evolve(d, reference=attrs.evolve(d.reference, uri=MARK))
            for d in contract.documents
        ),
        termination=termination,
    )


def _proposal(proposal: Proposal, owner: ClientId) -> Proposal:
    return attrs.evolve(
        proposal,
        id=ProposalId(f"{owner}/{proposal.id}"),
        revisions=tuple(
            attrs.evolve(
                r,
                note=MARK,
                recorded_by=MANAGER,
                lines=tuple(_line(line) for line in r.lines),
            )
            for r in proposal.revisions
        ),
        history=tuple(attrs.evolve(e, note=MARK) for e in proposal.history),
    )


@st.composite
def sent_proposals(draw: st.DrawFn, owner: ClientId) -> Proposal:
    """Proposals, mostly sent some days after their first revision (random
    histories alone would rarely send one)."""
    proposal = draw(ks.proposals(client=owner))
    if draw(st.integers(0, 3)):
        days = dt.timedelta(days=draw(st.integers(0, 400)))
        sent = ProposalEvent(
            status=ProposalStatus.SENT, at=proposal.revisions[0].recorded_at + days
        )
        proposal = attrs.evolve(proposal, history=(sent, *proposal.history))
    return _proposal(proposal, owner)


def _loyalty(owner: ClientId) -> st.SearchStrategy[tuple[Programme, Membership]]:
    """A programme (every setting drawn) and the client's membership of it, its
    ledger written by the posting functions (``ks.memberships``); the
    overrides' reasons and every entry's note are internal."""

    def mark(programme: Programme, member: Membership) -> tuple[Programme, Membership]:
        return programme, attrs.evolve(
            member,
            id=MembershipId(f"{owner}/ms"),
            client=owner,
            entries=tuple(attrs.evolve(e, note=MARK) for e in member.entries),
            overrides=tuple(
                attrs.evolve(o, reason=MARK, by=MANAGER) for o in member.overrides
            ),
        )

    def member(programme: Programme) -> st.SearchStrategy[tuple[Programme, Membership]]:
        return ks.memberships(programme, max_steps=4).map(
            lambda drawn: mark(programme, drawn)
        )

    return (
        ks.programmes()
        .map(lambda p: attrs.evolve(p, id=ProgrammeId(f"{owner}/club")))
        .flatmap(member)
    )


def _lists(strategy: st.SearchStrategy[Any], size: int = 2) -> Any:
    return st.lists(strategy, max_size=size, unique_by=lambda record: record.id)


def _elements(owner: ClientId) -> dict[str, st.SearchStrategy[Any]]:
    return {
        "orders": ks.orders(client=owner),
        "invoices": ks.invoices(client=owner).map(lambda i: _invoice(i, owner)),
        "tickets": ks.tickets(client=owner),
        "activities": ks.activities(client=owner),
        "contracts": ks.contracts(client=owner).map(lambda c: _contract(c, owner)),
        "opportunities": ks.opportunities(client=owner),
        "proposals": sent_proposals(owner),
        "memberships": _loyalty(owner),
    }


def _families(owner: ClientId) -> dict[str, st.SearchStrategy[Any]]:
    """Built once per client token: building strategies is what costs."""
    families = {name: _lists(element) for name, element in _ELEMENTS[owner].items()}
    families["memberships"] = st.lists(_ELEMENTS[owner]["memberships"], max_size=1)
    return {"client": ks.clients(), **families}


_MAX_CLIENTS = 3
_ELEMENTS = {token(n): _elements(token(n)) for n in range(_MAX_CLIENTS)}
_STRATEGIES = {token(n): _families(token(n)) for n in range(_MAX_CLIENTS)}


@st.composite
def client_records(draw: st.DrawFn, owner: ClientId) -> ClientRecords:
    drawn = {name: draw(strategy) for name, strategy in _STRATEGIES[owner].items()}

    def mine(record: Any, **changes: Any) -> Any:
        return attrs.evolve(record, id=f"{owner}/{record.id}", **changes)

    return ClientRecords(
        client=attrs.evolve(drawn["client"], id=owner),
        orders=tuple(mine(o) for o in drawn["orders"]),
        invoices=tuple(drawn["invoices"]),
        tickets=tuple(mine(t) for t in drawn["tickets"]),
        activities=tuple(mine(a, summary=MARK) for a in drawn["activities"]),
        contracts=tuple(drawn["contracts"]),
        opportunities=tuple(mine(o, notes=MARK) for o in drawn["opportunities"]),
        proposals=tuple(drawn["proposals"]),
        memberships=tuple(member for _, member in drawn["memberships"]),
        programmes=tuple(programme for programme, _ in drawn["memberships"]),
    )


@st.composite
def portfolios(draw: st.DrawFn) -> list[ClientRecords]:
    count = draw(st.integers(2, _MAX_CLIENTS))
    return [draw(client_records(token(number))) for number in range(count)]


as_of_dates = ks.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 30))
timezones = st.sampled_from(
    [dt.UTC, dt.timezone(dt.timedelta(hours=-5)), dt.timezone(dt.timedelta(hours=13))]
)


# -- walking the serialised form ----------------------------------------------------


def walk(value: dict[str, Any], record_type: str) -> Iterator[tuple[str, set[str]]]:
    yield record_type, set(value)
    for field in PORTAL_ALLOW_LIST[record_type]:
        child = value.get(field.name)
        if field.record is None or child is None:
            continue
        for item in child if isinstance(child, list) else [child]:
            yield from walk(item, field.record)


def check_portal(data: dict[str, Any], owner: ClientId, others: list[ClientId]) -> None:
    text = json.dumps(data)
    for other in others:
        assert other not in text
    assert MARK not in text
    assert data["client"] == owner
    for record_type, keys in walk(data, "portal"):
        assert keys <= {field.name for field in PORTAL_ALLOW_LIST[record_type]}


# The portal's heading, as the view hands it to the translator.
PORTAL_HEADING = "Client portal: {name} ({client}), as of {date}"


def heading_landmark(owner: ClientId, locale: str) -> str:
    """The heading's words from the client's id to its date, in the language of
    ``locale``: ``"(~c0~), as of "`` in English, ``"(~c0~), Stand "`` in German."""
    heading = translator(locale)(PORTAL_HEADING, name="", client=owner, date="\0")
    before_date = heading.partition("\0")[0]
    return before_date[before_date.index(f"({owner})") :]


def check_report(
    text: str, owner: ClientId, others: list[ClientId], locale: str
) -> None:
    """The portal's text, in the client's locale: its own id in the heading,
    nothing of another client, nothing internal."""
    assert heading_landmark(owner, locale) in text
    for other in others:
        assert other not in text
    assert MARK not in text


# -- properties ---------------------------------------------------------------------


@SLOW
@given(portfolios(), as_of_dates, timezones)
def test_a_portal_holds_its_own_data_and_allowed_fields_only(
    portfolio: list[ClientRecords], as_of: dt.date, timezone: dt.tzinfo
) -> None:
    uow = InMemoryUnitOfWork(InMemoryStore())
    with uow:
        for records in portfolio:
            for programme in records.programmes:
                uow.programmes.add(programme)
            uow.clients.add(records.client)
            for family in FAMILIES:
                repository = getattr(uow, family)
                for record in getattr(records, family):
                    repository.add(record)
        uow.commit()
    owners = [records.client.id for records in portfolio]
    for records in portfolio:
        owner = records.client.id
        served = client_portal(uow, client=owner, as_of=as_of, timezone=timezone)
        others = [o for o in owners if o != owner]
        check_portal(served.to_dict(), owner, others)
        locale = records.client.locale
        check_report(served.report(locale), owner, others, locale)
        built = build_client_portal(records, as_of=as_of, timezone=timezone)
        assert served == built


_INTRUDERS = st.sampled_from(["invoices", "contracts", "proposals", "memberships"])


@SLOW
@given(client_records(token(0)), _INTRUDERS, st.data())
def test_another_clients_record_is_refused_naming_it(
    mine: ClientRecords, family: str, data: st.DataObject
) -> None:
    other = token(1)
    intruder = data.draw(_ELEMENTS[other][family])
    if family == "memberships":
        _, intruder = intruder
    changes: dict[str, Any] = {family: (*getattr(mine, family), intruder)}
    with pytest.raises(ValidationError) as raised:
        attrs.evolve(mine, **changes)
    [error] = [e for e in raised.value.errors if e.path.endswith(".client")]
    assert error.path == f"{family}[{len(getattr(mine, family))}].client"
    assert repr(intruder.id) in error.message
    assert error.value == other


@SLOW
@given(client_records(token(0)), as_of_dates, timezones)
def test_the_account_360_is_cut_at_the_date_and_independent_of_input_order(
    records: ClientRecords, as_of: dt.date, timezone: dt.tzinfo
) -> None:
    view = build_account_360(records, as_of=as_of, timezone=timezone)
    assert all(event.on <= as_of for event in view.events)
    assert [e.sort_key for e in view.events] == sorted(e.sort_key for e in view.events)
    reversed_input = attrs.evolve(
        records,
        **{family: getattr(records, family)[::-1] for family in FAMILIES},
    )
    assert build_account_360(reversed_input, as_of=as_of, timezone=timezone) == view
    assert json.loads(json.dumps(view.rows())) == view.rows()
