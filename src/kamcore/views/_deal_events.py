"""History events of contracts, opportunities and proposals.

A contract contributes its versions (when recorded), signatures, archived
documents, status changes and a termination notice; an opportunity its creation
and every recorded change; a proposal its revisions and status events. Only
what is dated on or before the cut-off is read.
"""

from __future__ import annotations

from kamcore.contracts import Contract
from kamcore.i18n import N_
from kamcore.kernel import Money
from kamcore.opportunities import Opportunity
from kamcore.proposals import Proposal
from kamcore.views._events import (
    AsOf,
    Coded,
    EventKind,
    HistoryEvent,
    Sentence,
    dated,
    timed,
)
from kamcore.views._plain import duration
from kamcore.views._words import (
    HISTORY_CONTRACT_STATUS,
    HISTORY_PROPOSAL_PURPOSE,
    OPPORTUNITY_FIELD,
    OPPORTUNITY_KIND,
    OPPORTUNITY_STAGE,
    PROPOSAL_STATUS,
)

__all__ = ["contract_events", "opportunity_events", "proposal_events"]


def contract_events(contract: Contract, as_of: AsOf) -> list[HistoryEvent]:
    """Versions, signatures, documents, status changes, termination notice."""
    events: list[HistoryEvent] = []
    for version in contract.versions:
        if not as_of.includes(version.recorded_at):
            continue
        what = (
            Sentence(
                N_("contract {contract} drafted: {title}"),
                {"contract": contract.id, "title": contract.title},
            )
            if version.number == 1
            # Translators: {note} is the version's note, as written.
            else Sentence(
                N_("contract {contract} version {version}: {note}"),
                {
                    "contract": contract.id,
                    "version": version.number,
                    "note": version.note,
                },
            )
        )
        events.append(
            timed(
                EventKind.CONTRACT_VERSION,
                version.recorded_at,
                as_of,
                what,
                contract.id,
                sequence=version.number,
                amount=version.value,
                details={
                    "version": version.number,
                    "effective_from": version.effective_from,
                    "term_start": version.term_start,
                    "term_end": version.term_end,
                    "term": duration(version.term),
                    "auto_renew": version.auto_renew,
                    "note": version.note,
                    "recorded_by": version.recorded_by,
                },
            )
        )
    if not events:
        return []  # not drafted yet on the as-of date
    for signature in contract.signatures:
        if as_of.includes(signature.signed_on):
            events.append(
                dated(
                    EventKind.CONTRACT_SIGNED,
                    signature.signed_on,
                    # Translators: {signer} is the name of who signed it.
                    Sentence(
                        N_("contract {contract} version {version} signed by {signer}"),
                        {
                            "contract": contract.id,
                            "version": signature.version,
                            "signer": signature.signed_by,
                        },
                    ),
                    contract.id,
                    sequence=signature.version,
                    details={
                        "version": signature.version,
                        "signed_by": signature.signed_by,
                        "countersigned_by": signature.countersigned_by,
                    },
                )
            )
    for document in contract.documents:
        if as_of.includes(document.reference.stored_at):
            events.append(
                timed(
                    EventKind.CONTRACT_DOCUMENT,
                    document.reference.stored_at,
                    as_of,
                    Sentence(
                        N_("contract {contract} version {version} archived"),
                        {"contract": contract.id, "version": document.version},
                    ),
                    contract.id,
                    sequence=document.version,
                    details={
                        "version": document.version,
                        "uri": document.reference.uri,
                        "digest": document.reference.digest,
                    },
                )
            )
    for position, change in enumerate(contract.history, start=1):
        if as_of.includes(change.on):
            events.append(
                dated(
                    EventKind.CONTRACT_STATUS,
                    change.on,
                    # Translators: {status} is the contract's new status
                    # ("active", "lapsed"), {reason} why, as written.
                    Sentence(
                        N_("contract {contract} {status}: {reason}"),
                        {
                            "contract": contract.id,
                            "status": HISTORY_CONTRACT_STATUS[change.status],
                            "reason": change.reason,
                        },
                    ),
                    contract.id,
                    sequence=position,
                    details={"status": change.status.value, "reason": change.reason},
                )
            )
    notice = contract.termination
    if notice is not None and as_of.includes(notice.received_on):
        events.append(
            dated(
                EventKind.TERMINATION_NOTICE,
                notice.received_on,
                Sentence(
                    N_("contract {contract}: termination notice received, ends {end}"),
                    {
                        "contract": contract.id,
                        "end": notice.effective_end,
                    },
                ),
                contract.id,
                details={
                    "deadline": notice.deadline,
                    "effective_end": notice.effective_end,
                    "reason": notice.reason,
                },
            )
        )
    return events


def _initial(opportunity: Opportunity, field: str, current: str) -> str:
    """A field's value at creation: the ``before`` of its first change."""
    for change in opportunity.changes:
        if change.field == field:
            return change.before
    return current


def opportunity_events(opportunity: Opportunity, as_of: AsOf) -> list[HistoryEvent]:
    """Its creation (with the values it was created with), then every change."""
    if not as_of.includes(opportunity.created_at):
        return []
    deal = opportunity
    events = [
        timed(
            EventKind.OPPORTUNITY_CREATED,
            deal.created_at,
            as_of,
            # Translators: {kind} is the opportunity's kind ("upsell").
            Sentence(
                N_("opportunity {opportunity} created ({kind}): {title}"),
                {
                    "opportunity": deal.id,
                    "kind": OPPORTUNITY_KIND[deal.kind],
                    "title": deal.title,
                },
            ),
            deal.id,
            details={
                "title": deal.title,
                "opportunity_kind": deal.kind.value,
                "owner": deal.owner,
                "stage": _initial(deal, "stage", deal.stage.value),
                "probability": _initial(
                    deal, "stage_probability", str(deal.stage_probability)
                ),
                "value": _initial(deal, "value", str(deal.value)),
                "close_date": _initial(deal, "close_date", deal.close_date.isoformat()),
            },
        )
    ]
    for position, change in enumerate(deal.changes, start=1):
        if not as_of.includes(change.at):
            continue
        # Translators: {field} is what changed ("stage"), {before} and {after}
        # its values as stored ("-" for none), {reason} why, as written.
        message = (
            N_("opportunity {opportunity} {field}: {before} -> {after} ({reason})")
            if change.reason
            else N_("opportunity {opportunity} {field}: {before} -> {after}")
        )
        events.append(
            timed(
                EventKind.OPPORTUNITY_CHANGED,
                change.at,
                as_of,
                Sentence(
                    message,
                    {
                        "opportunity": deal.id,
                        "field": OPPORTUNITY_FIELD.get(change.field, change.field),
                        "before": _stored(change.field, change.before),
                        "after": _stored(change.field, change.after),
                        "reason": change.reason,
                    },
                ),
                deal.id,
                sequence=position,
                details={
                    "field": change.field,
                    "before": change.before,
                    "after": change.after,
                    "by": change.by,
                    "reason": change.reason,
                },
            )
        )
    return events


def proposal_events(proposal: Proposal, as_of: AsOf) -> list[HistoryEvent]:
    """Every revision recorded and every status event, in the view."""
    events: list[HistoryEvent] = []
    for revision in proposal.revisions:
        if not as_of.includes(revision.recorded_at):
            continue
        total = Money.sum((line.total for line in revision.lines), proposal.currency)
        events.append(
            timed(
                EventKind.PROPOSAL_REVISION,
                revision.recorded_at,
                as_of,
                # Translators: {purpose} is the proposal's purpose ("upsell"),
                # {note} the revision's note, as written.
                Sentence(
                    N_("proposal {proposal} revision {revision} ({purpose}): {note}"),
                    {
                        "proposal": proposal.id,
                        "revision": revision.number,
                        "purpose": HISTORY_PROPOSAL_PURPOSE[proposal.purpose],
                        "note": revision.note,
                    },
                ),
                proposal.id,
                sequence=revision.number,
                amount=total,
                details={
                    "revision": revision.number,
                    "pricing_date": revision.pricing_date,
                    "lines": len(revision.lines),
                    "note": revision.note,
                    "recorded_by": revision.recorded_by,
                },
            )
        )
    for position, event in enumerate(proposal.history, start=1):
        if not as_of.includes(event.at):
            continue
        # Translators: {status} is the proposal's new status ("sent"), {note}
        # its note, as written.
        message = (
            N_("proposal {proposal} {status}: {note}")
            if event.note
            else N_("proposal {proposal} {status}")
        )
        events.append(
            timed(
                EventKind.PROPOSAL_STATUS,
                event.at,
                as_of,
                Sentence(
                    message,
                    {
                        "proposal": proposal.id,
                        "status": PROPOSAL_STATUS[event.status],
                        "note": event.note,
                    },
                ),
                proposal.id,
                sequence=position,
                details={"status": event.status.value, "note": event.note},
            )
        )
    return events


def _stored(field: str, value: str | None) -> object:
    """A changed field's value as the history shows it: a stage by its label
    (its code in the locale-neutral summary), anything else as stored."""
    if value is None:
        return "-"
    if field == "stage" and value in OPPORTUNITY_STAGE:
        return Coded(value, OPPORTUNITY_STAGE[value])
    return value
