"""Strategies for contracts and renewal alerts.

Contracts are built the way an application builds them -- a draft, then
amendments and renewals, signatures, a notice maybe, status changes along the
lifecycle -- so every value is one the domain can reach, not merely one its
constructor accepts.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st

from kamcore.contracts import (
    TRANSITIONS,
    AlertKind,
    ArchivedDocument,
    Contract,
    ContractStatus,
    DocumentReference,
    FirstAction,
    RenewalAlert,
    Signature,
    alert_id,
)
from kamcore.kernel import ClientId, ContractId, ManagerId, PriceListId
from kamcore.testing._value_strategies import (
    currencies,
    dates,
    days_after,
    ids,
    instants,
    minor_unit,
    money,
    names,
    relativedelta_terms,
)

__all__ = ["contracts", "renewal_alerts"]

_NOTICE_PERIODS = (
    relativedelta(months=1),
    relativedelta(months=3),
    relativedelta(days=30),
    relativedelta(months=6),
)
_ACTIONS = ("analysis", "proposal", "activity", "renewal case")
_DIGESTS = st.text("0123456789abcdef", min_size=64, max_size=64)
# Built once: the composites below draw from these on every example.
_MANAGERS = ids(ManagerId)
_CLIENT_IDS = ids(ClientId)
_CHANGES = st.sampled_from(["amend", "renew", "renew on a base date"])
_MAYBE_NOTICE_PERIOD = st.none() | st.sampled_from(_NOTICE_PERIODS)
_MAYBE_LEAD_DAYS = st.none() | st.integers(0, 180)
_GRACE_DAYS = st.integers(0, 60)
_MAYBE_PRICE_LIST = st.none() | ids(PriceListId)
_MAYBE_COUNTERSIGNER = st.none() | _MANAGERS
_STARTS = dates(max_value=dt.date(2080, 12, 31))
_TERMS = relativedelta_terms()
_CHANGE_COUNTS = st.integers(0, 3)
_MAYBE_REFERENCE = st.none() | ids(str)


@functools.lru_cache(maxsize=4096)
def _amendments(currency: str, floor: dt.date) -> st.SearchStrategy[dict[str, Any]]:
    """The fields an amendment of a version in ``currency`` may change, its
    end no earlier than ``floor``."""
    return st.fixed_dictionaries(
        {},
        optional={
            "value": money(
                currency, min_value=minor_unit(currency), max_value=1_000_000
            ),
            "end": _between(floor, 400),
            "auto_renew": st.booleans(),
            "notice_period": _MAYBE_NOTICE_PERIOD,
            "renewal_lead_days": _MAYBE_LEAD_DAYS,
            "grace_days": _GRACE_DAYS,
            "price_list": _MAYBE_PRICE_LIST,
        },
    )


def _between(low: dt.date, days: int) -> st.SearchStrategy[dt.date]:
    return dates(low, days_after(low, days))


@functools.cache
def _reaches(status: ContractStatus) -> frozenset[ContractStatus]:
    """Every status from which ``status`` can be reached, itself included."""
    found = {status}
    grew = True
    while grew:
        before = len(found)
        found |= {s for s, targets in TRANSITIONS.items() if targets & found}
        grew = len(found) > before
    return frozenset(found)


@st.composite
def _changed(draw: st.DrawFn, contract: Contract, by: ManagerId) -> Contract:
    """``contract`` with one amendment or renewal more."""
    current = contract.current
    at = draw(instants())
    floor = max(current.term_start, current.effective_from)
    change = draw(_CHANGES)
    if change == "renew":
        return contract.renew(recorded_at=at, recorded_by=by)
    if change == "renew on a base date":
        base = draw(_between(current.effective_from, 400))
        return contract.renew(recorded_at=at, recorded_by=by, base_date=base)
    fields = draw(_amendments(current.value.currency, floor))
    # The version must start by its own end, or the next renewal would begin
    # before it.
    end = fields.get("end")
    last = end if isinstance(end, dt.date) else current.term_end
    span = (last - current.effective_from).days
    return contract.amend(
        effective_from=draw(_between(current.effective_from, span)),
        recorded_at=at,
        recorded_by=by,
        note=draw(names),
        **fields,
    )


@st.composite
def _signed(draw: st.DrawFn, contract: Contract, number: int) -> Contract:
    if contract.signature_of(number) is not None:
        return contract
    return contract.sign(
        Signature(
            version=number,
            signed_on=draw(dates()),
            signed_by=draw(names),
            countersigned_by=draw(_MAYBE_COUNTERSIGNER),
        )
    )


@st.composite
def contracts(
    draw: st.DrawFn,
    *,
    status: ContractStatus | None = None,
    client: ClientId | None = None,
    currency: str | None = None,
    auto_renew: bool | None = None,
) -> Contract:
    """Contracts with up to four versions, signatures, documents and a history.

    The status is reached along the lifecycle (with the current version signed
    before activation); an in-force contract sometimes has a termination
    notice. Terms are 1 day to about 6 years, starting from 2000 to 2080.

    Args:
        draw: Supplied by Hypothesis.
        status: Pin the status.
        client: Pin the client.
        currency: Pin the currency of the value.
        auto_renew: Pin whether the first version renews itself.
    """
    code = draw(currencies()) if currency is None else currency
    by = draw(_MANAGERS)
    contract = Contract.draft(
        id=draw(ids(ContractId)),
        client=draw(_CLIENT_IDS) if client is None else client,
        title=draw(names),
        start=draw(_STARTS),
        term=draw(_TERMS),
        value=draw(money(code, min_value=minor_unit(code), max_value=1_000_000)),
        recorded_at=draw(instants()),
        recorded_by=by,
        auto_renew=draw(st.booleans()) if auto_renew is None else auto_renew,
        notice_period=draw(_MAYBE_NOTICE_PERIOD),
        renewal_lead_days=draw(_MAYBE_LEAD_DAYS),
        grace_days=draw(_GRACE_DAYS),
        price_list=draw(_MAYBE_PRICE_LIST),
    )
    for _ in range(draw(_CHANGE_COUNTS)):
        contract = draw(_changed(contract, by))
    for number in draw(st.sets(st.integers(1, len(contract.versions)))):
        contract = draw(_signed(contract, number))
    for number in draw(st.sets(st.integers(1, len(contract.versions)), max_size=2)):
        reference = DocumentReference(
            uri=f"dms://contracts/{contract.id}/v{number}.pdf",
            digest="sha256:" + draw(_DIGESTS),
            stored_at=draw(instants()),
        )
        contract = contract.file_document(
            ArchivedDocument(version=number, reference=reference)
        )
    target = draw(st.sampled_from(ContractStatus)) if status is None else status
    can_reach = _reaches(target)
    while contract.status is not target:
        options = tuple(
            sorted(TRANSITIONS[contract.status] & can_reach, key=lambda s: s.value)
        )
        step = draw(st.sampled_from(options))
        if step is ContractStatus.ACTIVE:
            contract = draw(_signed(contract, contract.current.number))
        if contract.in_force and contract.termination is None and draw(st.booleans()):
            received = draw(_between(contract.current.term_start, 400))
            contract = contract.receive_termination_notice(
                received_on=received, reason=draw(names)
            )
        contract = contract.move_to(
            step, on=draw(dates()), at=draw(instants()), reason=draw(names)
        )
    return contract


@st.composite
def renewal_alerts(
    draw: st.DrawFn,
    *,
    kind: AlertKind | None = None,
    acted: bool | None = None,
    contract: ContractId | None = None,
) -> RenewalAlert:
    """Ledger entries keyed by :func:`~kamcore.contracts.alert_id`.

    Dates in order: ``due_on <= deadline <= term_end``, raised on or up to 30
    days after ``due_on`` (catch-up), a first action on or after that. A late
    alert tells of a stretch: one term end or up to 400, the last up to 400
    years after the first.

    Args:
        draw: Supplied by Hypothesis.
        kind: Pin the kind.
        acted: With (``True``) or without (``False``) a first action.
        contract: Pin the contract.
    """
    chosen = draw(st.sampled_from(AlertKind)) if kind is None else kind
    contract_id = draw(ids(ContractId)) if contract is None else contract
    term_end = draw(dates(dt.date(2001, 1, 1), dt.date(2099, 6, 30)))
    deadline = term_end
    if chosen is AlertKind.NOTICE_DEADLINE:
        # Anchored like the domain's: (next term start - notice) - 1 day.
        next_start = term_end + dt.timedelta(days=1)
        notice = draw(st.sampled_from(_NOTICE_PERIODS))
        deadline = next_start - notice - dt.timedelta(days=1)
    last_term_end, terms = None, 1
    if chosen is AlertKind.LATE:
        # A stretch of term ends told at once: the first, the last, how many.
        terms = draw(st.integers(1, 400))
        last_term_end = term_end + dt.timedelta(
            days=0 if terms == 1 else draw(st.integers(terms - 1, 400 * 366))
        )
    due_on = deadline - dt.timedelta(days=draw(st.integers(0, 180)))
    raised_on = due_on + dt.timedelta(days=draw(st.integers(0, 30)))
    has_action = draw(st.booleans()) if acted is None else acted
    action = None
    if has_action:
        action = FirstAction(
            on=draw(_between(raised_on, 120)),
            at=draw(instants()),
            action=draw(st.sampled_from(_ACTIONS)),
            reference=draw(_MAYBE_REFERENCE),
        )
    return RenewalAlert(
        id=alert_id(contract_id, term_end, chosen),
        contract=contract_id,
        client=draw(_CLIENT_IDS),
        kind=chosen,
        term_end=term_end,
        deadline=deadline,
        due_on=due_on,
        raised_on=raised_on,
        raised_at=draw(instants()),
        recipient=draw(_MANAGERS),
        last_term_end=last_term_end,
        terms=terms,
        first_action=action,
    )
