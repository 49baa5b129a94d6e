"""The renewal case through the ports, last stages: amend, sign, archive, lapse.

After the client accepts (:func:`kamcore.services.decide_renewal`): the
contract gets a new version for the next term (anchored on its original start,
or on an explicit renewal base date), the signature is bound to that version
and the contract is ``renewed``, then the signed document is filed in the
archive and only its reference is kept. Each call is one unit of work.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kamcore.contracts import (
    AMENDABLE,
    ArchivedDocument,
    CaseStage,
    ContractStatus,
    RenewalCase,
    Signature,
)
from kamcore.errors import InvalidTransitionError, ValidationError
from kamcore.kernel import ManagerId, RenewalCaseId
from kamcore.ports import Clock, DocumentArchive, UnitOfWork
from kamcore.proposals import ProposalStatus
from kamcore.services._loyalty_redemption import release_held_points

__all__ = [
    "amend_renewed_contract",
    "archive_renewal",
    "lapse_renewal_cases",
    "sign_renewal",
]

_CLOSED_CONTRACT = (ContractStatus.LAPSED, ContractStatus.TERMINATED)


def amend_renewed_contract(
    uow: UnitOfWork,
    clock: Clock,
    *,
    case: RenewalCaseId,
    by: ManagerId,
    base_date: dt.date | None = None,
    note: str | None = None,
    **changes: Any,
) -> RenewalCase:
    """Record the renewed term as a new contract version.

    The new version covers the next term: term *n+1* from the original start,
    or term 1 from ``base_date`` for an early or late renewal. When the
    contract's auto-renewal clause already rolled it into that term while the
    case was open, the version amends the running term from its first day. Its value is
    the accepted proposal's total unless ``changes`` says otherwise;
    ``changes`` may also set the term, price list, auto-renewal, notice
    period, lead time or grace days. The case moves to ``amended``.

    Raises:
        NotFoundError: no such case, contract or proposal.
        InvalidTransitionError: the case is not accepted.
        ValidationError: an unknown or invalid change, or a ``base_date`` for
            a term that already renewed automatically; nothing is stored.
    """
    now = clock.now()
    with uow:
        current = uow.renewal_cases.get(case)
        if current.stage is not CaseStage.ACCEPTED or current.proposal is None:
            raise InvalidTransitionError(
                "RenewalCase", current.id, current.stage, CaseStage.AMENDED
            )
        proposal = uow.proposals.get(current.proposal)
        contract = uow.contracts.get(current.contract)
        terms: dict[str, Any] = {"value": proposal.total, **changes}
        text = note or f"renewed: proposal {proposal.id} accepted"
        if contract.end == current.term_end:
            renewed = contract.renew(
                recorded_at=now,
                recorded_by=by,
                note=text,
                base_date=base_date,
                **terms,
            )
        else:
            # The auto-renewal clause already rolled the contract into the next
            # term while the case was open: the agreed terms amend that term.
            if base_date is not None:
                raise ValidationError.single(
                    "amend_renewed_contract",
                    "base_date",
                    f"contract {contract.id!r} already renewed automatically "
                    f"after {current.term_end}; its new term cannot be re-based",
                    base_date,
                )
            renewed = contract.amend(
                effective_from=current.term_end + dt.timedelta(days=1),
                recorded_at=now,
                recorded_by=by,
                note=text,
                **terms,
            )
        version = renewed.current
        uow.contracts.save(renewed)
        stored = uow.renewal_cases.save(
            current.advance(
                CaseStage.AMENDED,
                at=now,
                by=by,
                note=f"version {version.number}: {version.term_start} to "
                f"{version.term_end}, {version.value}",
                reference=f"{contract.id}#v{version.number}",
                amended_version=version.number,
            )
        )
        uow.commit()
    return stored


def sign_renewal(
    uow: UnitOfWork,
    clock: Clock,
    *,
    case: RenewalCaseId,
    signed_by: str,
    by: ManagerId,
    signed_on: dt.date | None = None,
) -> RenewalCase:
    """Bind the client's signature to the renewed version; the contract is renewed.

    Until signed, the renewed version was pending (see
    :attr:`~kamcore.contracts.Contract.binding`). If the contract's
    auto-renewal clause rolled it into that term on its old terms meanwhile,
    the signed terms take the term over: a version with them is recorded
    from the term's first day.

    Args:
        uow: The unit of work.
        clock: Gives the signing date (unless ``signed_on``) and the time stamp.
        case: The amended case.
        signed_by: The client's signatory.
        by: The account manager countersigning.
        signed_on: The date on the signature; today by default.

    Raises:
        NotFoundError: no such case or contract.
        InvalidTransitionError: the case is not amended, or the contract can
            no longer be renewed (it lapsed or was terminated meanwhile).
    """
    today, now = clock.today(), clock.now()
    with uow:
        current = uow.renewal_cases.get(case)
        version = current.amended_version
        if current.stage is not CaseStage.AMENDED or version is None:
            raise InvalidTransitionError(
                "RenewalCase", current.id, current.stage, CaseStage.SIGNED
            )
        contract = uow.contracts.get(current.contract)
        signature = Signature(
            version=version,
            signed_on=today if signed_on is None else signed_on,
            signed_by=signed_by,
            countersigned_by=by,
        )
        signed = contract.sign(signature)
        agreed = signed.versions[version - 1]
        binding = signed.binding
        if binding.number != version and binding.term_start == agreed.term_start:
            # The auto-renewal clause rolled the contract into the new term on
            # the old terms while the signature was awaited: the signed terms
            # now take that term over.
            latest = signed.current.effective_from
            signed = signed.amend(
                effective_from=max(agreed.effective_from, latest),
                recorded_at=now,
                recorded_by=by,
                note=f"signed renewal (version {version}) takes effect",
                **{name: getattr(agreed, name) for name in AMENDABLE},
            )
        signed = signed.move_to(
            ContractStatus.RENEWED,
            on=today,
            at=now,
            reason=f"renewal signed (case {current.id})",
        )
        uow.contracts.save(signed)
        stored = uow.renewal_cases.save(
            current.advance(
                CaseStage.SIGNED,
                at=now,
                by=by,
                note=f"signed by {signed_by}",
                reference=f"{contract.id}#v{version}",
            )
        )
        uow.commit()
    return stored


def archive_renewal(
    uow: UnitOfWork,
    archive: DocumentArchive,
    clock: Clock,
    *,
    case: RenewalCaseId,
    document: bytes,
    by: ManagerId,
    name: str | None = None,
    media_type: str = "application/pdf",
) -> RenewalCase:
    """File the signed document and keep its reference; the case is closed.

    The archive stores the file before the unit of work commits: should the
    commit fail, the archive holds a file nobody refers to, which is harmless,
    while the reverse (a reference to a file never stored) could not happen.

    Raises:
        NotFoundError: no such case or contract.
        InvalidTransitionError: the case is not signed; nothing is filed.
    """
    now = clock.now()
    with uow:
        current = uow.renewal_cases.get(case)
        version = current.amended_version
        if current.stage is not CaseStage.SIGNED or version is None:
            raise InvalidTransitionError(
                "RenewalCase", current.id, current.stage, CaseStage.ARCHIVED
            )
        contract = uow.contracts.get(current.contract)
        reference = archive.store(
            name=name or f"{contract.id}-v{version}.pdf",
            content=document,
            media_type=media_type,
        )
        uow.contracts.save(
            contract.file_document(
                ArchivedDocument(version=version, reference=reference)
            )
        )
        stored = uow.renewal_cases.save(
            current.advance(
                CaseStage.ARCHIVED,
                at=now,
                by=by,
                note=reference.digest,
                reference=reference.uri,
            )
        )
        uow.commit()
    return stored


def lapse_renewal_cases(
    uow: UnitOfWork, clock: Clock, *, by: ManagerId
) -> list[RenewalCase]:
    """Close the open cases whose contract lapsed or was terminated.

    Nothing was signed in time: each such case moves to ``lapsed`` and its
    proposal, if still open, expires (loyalty points reserved on it are
    released). Returns the cases closed, by term end.

    Raises:
        NotFoundError: a case's contract or proposal, or an expiring
            proposal's client or its membership, is not stored.
    """
    now = clock.now()
    closed: list[RenewalCase] = []
    with uow:
        for current in uow.renewal_cases.find(open=True):
            if current.stage is CaseStage.SIGNED:
                continue
            contract = uow.contracts.get(current.contract)
            if contract.status not in _CLOSED_CONTRACT:
                continue
            if current.proposal is not None:
                proposal = uow.proposals.get(current.proposal)
                if proposal.status in (ProposalStatus.SENT, ProposalStatus.NEGOTIATING):
                    expired = uow.proposals.save(
                        proposal.move_to(
                            ProposalStatus.EXPIRED, at=now, note="contract lapsed"
                        )
                    )
                    release_held_points(uow, expired)
            closed.append(
                uow.renewal_cases.save(
                    current.advance(
                        CaseStage.LAPSED,
                        at=now,
                        by=by,
                        note=f"contract {contract.status}",
                    )
                )
            )
        uow.commit()
    return closed
