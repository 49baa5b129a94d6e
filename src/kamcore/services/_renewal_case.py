"""The renewal case through the ports (seed workflow 1): opening and analysis.

alert -> open the case -> analyse the history. :mod:`kamcore.services._renewal_proposal`
carries it on (propose, send, negotiate, accept or decline), then
:mod:`kamcore.services._renewal_close` (amend the contract, sign, archive).
Every call is one unit of work: everything or nothing, each step time-stamped
by the clock.
"""

from __future__ import annotations

from dateutil.relativedelta import relativedelta

from kamcore.contracts import (
    AdjustmentPolicy,
    AlertKind,
    CaseStage,
    CaseStep,
    ContractStatus,
    FirstAction,
    RenewalAlert,
    RenewalCase,
    alert_id,
    analyse_renewal,
)
from kamcore.errors import NotFoundError
from kamcore.kernel import AlertId, ContractId, ManagerId, RenewalCaseId
from kamcore.ports import Clock, IdSource, UnitOfWork

__all__ = ["analyse_renewal_case", "open_renewal_case"]


def open_renewal_case(
    uow: UnitOfWork,
    ids: IdSource,
    clock: Clock,
    *,
    contract: ContractId,
    by: ManagerId,
    note: str = "",
) -> RenewalCase:
    """Open the renewal case of ``contract``'s current term.

    The contract moves to ``renewal_in_progress``; the term's renewal alert,
    if the scheduler raised one, gets its first action (``"renewal case"``,
    time-stamped) unless it already had one.

    Raises:
        NotFoundError: no such contract.
        InvalidTransitionError: the contract is not active or renewed (e.g. a
            case is already open: the contract is in ``renewal_in_progress``).
    """
    today, now = clock.today(), clock.now()
    with uow:
        current = uow.contracts.get(contract)
        case_id = ids.new_id(RenewalCaseId)
        moved = current.move_to(
            ContractStatus.RENEWAL_IN_PROGRESS,
            on=today,
            at=now,
            reason=f"renewal case {case_id} opened",
        )
        # The term being renewed is the binding one: a renewal recorded but
        # not signed does not extend the contract.
        term_end = current.binding.term_end
        key = alert_id(current.id, term_end, AlertKind.RENEWAL)
        alert = _find_alert(uow, key)
        case = RenewalCase(
            id=case_id,
            contract=current.id,
            client=current.client,
            term_end=term_end,
            alert=None if alert is None else alert.id,
            steps=(CaseStep(stage=CaseStage.OPENED, at=now, by=by, note=note),),
        )
        uow.contracts.save(moved)
        stored = uow.renewal_cases.add(case)
        if alert is not None and alert.first_action is None:
            action = FirstAction(
                on=today, at=now, action="renewal case", reference=case_id
            )
            uow.renewal_alerts.save(alert.acted(action))
        uow.commit()
    return stored


def _find_alert(uow: UnitOfWork, key: AlertId) -> RenewalAlert | None:
    try:
        return uow.renewal_alerts.get(key)
    except NotFoundError:
        return None


def analyse_renewal_case(
    uow: UnitOfWork,
    clock: Clock,
    *,
    case: RenewalCaseId,
    by: ManagerId,
    policy: AdjustmentPolicy | None = None,
) -> RenewalCase:
    """Analyse the client's history as of today and keep it on the case.

    Reads the client's orders of the last 24 months, invoices of the last 12
    and its tickets (see :func:`kamcore.contracts.analyse_renewal`); the
    recommendation and its reasons go on the case, which moves to ``analysed``.

    Raises:
        NotFoundError: no such case or client.
        InvalidTransitionError: the case is not freshly opened.
        CurrencyMismatchError: an order in another currency than the client's.
    """
    today, now = clock.today(), clock.now()
    with uow:
        current = uow.renewal_cases.get(case)
        client = uow.clients.get(current.client)
        analysis = analyse_renewal(
            as_of=today,
            currency=client.currency,
            orders=uow.orders.find(
                client=client.id,
                placed_from=today - relativedelta(years=2, days=-1),
                placed_to=today,
            ),
            invoices=uow.invoices.find(
                client=client.id,
                issued_from=today - relativedelta(years=1, days=-1),
                issued_to=today,
            ),
            tickets=uow.tickets.find(client=client.id),
            open_at=now,
            policy=policy,
        )
        analysed = current.advance(
            CaseStage.ANALYSED,
            at=now,
            by=by,
            note=f"recommended adjustment {analysis.recommended_adjustment}",
            analysis=analysis,
        )
        stored = uow.renewal_cases.save(analysed)
        uow.commit()
    return stored
