"""Deterministic contracts, renewal alerts and renewal cases for tests and
conformance cases.

Each builder takes the fields a test varies and fills the rest with fixed
values, like :mod:`kamcore.testing._samples` does for the account entities.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from typing import Any

from dateutil.relativedelta import relativedelta

from kamcore.contracts import (
    TRANSITIONS,
    AlertKind,
    CaseStage,
    CaseStep,
    Contract,
    ContractStatus,
    FirstAction,
    RenewalAlert,
    RenewalCase,
    Signature,
    alert_id,
)
from kamcore.kernel import ClientId, ContractId, ManagerId, Money, RenewalCaseId

__all__ = [
    "RECORDED_AT",
    "YEAR",
    "active_contract",
    "path_to",
    "renewal_alert",
    "renewal_case",
]

RECORDED_AT = dt.datetime(2025, 12, 1, 9, 0, tzinfo=dt.UTC)
"""When the sample contracts were recorded, signed and moved."""
YEAR = relativedelta(years=1)


def path_to(status: ContractStatus) -> list[ContractStatus]:
    """The shortest list of statuses leading from ``draft`` to ``status``."""
    before: dict[ContractStatus, ContractStatus | None] = {ContractStatus.DRAFT: None}
    queue = deque([ContractStatus.DRAFT])
    while queue:
        here = queue.popleft()
        for following in sorted(TRANSITIONS[here], key=lambda s: s.value):
            if following not in before:
                before[following] = here
                queue.append(following)
    path: list[ContractStatus] = []
    step: ContractStatus | None = status
    while step is not None and step is not ContractStatus.DRAFT:
        path.append(step)
        step = before[step]
    return path[::-1]


def active_contract(
    id: str = "k-1",  # noqa: A002 - mirrors the entity's field
    *,
    client: str = "c-1",
    start: dt.date = dt.date(2026, 1, 1),
    term: relativedelta = YEAR,
    value: str = "12000.00",
    status: ContractStatus = ContractStatus.ACTIVE,
    title: str | None = None,
    **terms: Any,
) -> Contract:
    """A EUR contract from ``start``, version 1 signed, moved to ``status``.

    ``terms`` are further :class:`~kamcore.contracts.ContractVersion` fields
    (``auto_renew``, ``notice_period``, ``grace_days``, ``end``...). Each
    status change takes effect on ``start``, along the shortest lawful path.
    """
    contract = Contract.draft(
        id=ContractId(id),
        client=ClientId(client),
        title=f"Agreement {id}" if title is None else title,
        start=start,
        term=term,
        value=Money(value, "EUR"),
        recorded_at=RECORDED_AT,
        recorded_by=ManagerId("m-1"),
        **terms,
    )
    if status is ContractStatus.DRAFT:
        return contract
    contract = contract.sign(
        Signature(version=1, signed_on=start, signed_by="Client signatory")
    )
    for step in path_to(status):
        contract = contract.move_to(
            step, on=start, at=RECORDED_AT, reason=f"sample: {step}"
        )
    return contract


def renewal_alert(
    contract: str,
    term_end: dt.date,
    kind: AlertKind = AlertKind.RENEWAL,
    *,
    client: str = "c-1",
    raised_on: dt.date | None = None,
    recipient: str = "m-1",
    lead_days: int = 60,
    acted_on: dt.date | None = None,
) -> RenewalAlert:
    """The ledger entry of ``(contract, term_end, kind)``, raised on its due day.

    A notice-deadline alert warns about the deadline of three months' notice,
    anchored on the next term's start (the day after ``term_end``).
    ``raised_on`` makes it a late (catch-up) one; ``acted_on`` gives it a
    first action that day.
    """
    deadline = term_end
    if kind is AlertKind.NOTICE_DEADLINE:
        next_start = term_end + dt.timedelta(days=1)
        deadline = next_start - relativedelta(months=3) - dt.timedelta(days=1)
    due_on = deadline - dt.timedelta(days=lead_days)
    raised = due_on if raised_on is None else raised_on
    action = (
        None
        if acted_on is None
        else FirstAction(
            on=acted_on,
            at=dt.datetime.combine(acted_on, dt.time(10, 0), tzinfo=dt.UTC),
            action="analysis",
        )
    )
    return RenewalAlert(
        id=alert_id(ContractId(contract), term_end, kind),
        contract=ContractId(contract),
        client=ClientId(client),
        kind=kind,
        term_end=term_end,
        deadline=deadline,
        due_on=due_on,
        raised_on=raised,
        raised_at=dt.datetime.combine(raised, dt.time(6, 0), tzinfo=dt.UTC),
        recipient=ManagerId(recipient),
        first_action=action,
    )


def renewal_case(
    id: str,  # noqa: A002 - mirrors the entity's field
    contract: str,
    term_end: dt.date,
    *stages: CaseStage,
    client: str = "c-1",
) -> RenewalCase:
    """The case renewing ``contract``'s term ending ``term_end``, moved through
    ``stages`` in order (none: just opened), one day apart from
    :data:`RECORDED_AT`, through the case's own :meth:`~RenewalCase.advance`.
    """
    case = RenewalCase(
        id=RenewalCaseId(id),
        contract=ContractId(contract),
        client=ClientId(client),
        term_end=term_end,
        steps=(CaseStep(stage=CaseStage.OPENED, at=RECORDED_AT, by=ManagerId("m-1")),),
    )
    for day, stage in enumerate(stages, start=1):
        case = case.advance(
            stage, at=RECORDED_AT + dt.timedelta(days=day), by=ManagerId("m-1")
        )
    return case
