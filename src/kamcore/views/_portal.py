"""The client portal view: what a client may see of its own account, as of a date.

Built from :class:`ClientRecords` (which already refused any other client's
record) and from the allow-list: only the records below are read, and each is
projected into a portal record that has no field outside the allow-list.

* **Contracts**: those with a version the client signed by the date. Current
  terms: the latest signed version in effect on the date (or, before any is in
  effect, the first signed). Unsigned amendments stay internal.
* **Proposals**: those *sent* to the client by the date (a ``sent`` status
  event). Drafts never show, nor a revision made after the last sending (it
  is still being prepared): each sending records the revision it sent, so a
  revision stamped with the same instant as a sending is shown exactly when
  that sending sent it.
* **Invoices**: issued by the date, with their state, payments and credit
  notes as of the date.
* **Loyalty**: each membership enrolled by the date: the tier in effect, its
  benefits, the points balance and its value at the redemption rate, rounded
  once to the currency's minor unit (``ROUND_HALF_UP``).

Orders, tickets, activities and opportunities are not part of the portal.
"""

from __future__ import annotations

import datetime as dt

from kamcore.accounts import Invoice
from kamcore.contracts import Contract, ContractVersion, Signature
from kamcore.kernel import Money
from kamcore.loyalty import Membership, Programme
from kamcore.proposals import Proposal, ProposalRevision
from kamcore.views._events import AsOf
from kamcore.views._loyalty_events import loyalty_standing
from kamcore.views._plain import duration
from kamcore.views._portal_records import (
    ClientPortal,
    PortalContract,
    PortalContractVersion,
    PortalCreditNote,
    PortalInvoice,
    PortalLine,
    PortalLoyalty,
    PortalPayment,
    PortalProposal,
    PortalRedemption,
    PortalRevision,
)
from kamcore.views._records import ClientRecords
from kamcore.views._states import (
    contract_status_on,
    proposal_sends,
    proposal_status,
    sent_revision,
)

__all__ = ["build_client_portal"]


def build_client_portal(
    records: ClientRecords, *, as_of: dt.date, timezone: dt.tzinfo = dt.UTC
) -> ClientPortal:
    """The portal of ``records.client`` as of a date.

    Args:
        records: The client's records; orders, tickets, activities and
            opportunities in it are not read.
        as_of: The last business date shown.
        timezone: The business timezone: an instant belongs to its date there.

    Raises:
        ValidationError: ``as_of`` is not a date or ``timezone`` not a tzinfo.
    """
    cut = AsOf(as_of, timezone)
    contracts = [c for c in (_contract(k, cut) for k in records.contracts) if c]
    proposals = [p for p in (_proposal(q, cut) for q in records.proposals) if p]
    invoices = [
        _invoice(invoice, cut)
        for invoice in records.invoices
        if cut.includes(invoice.issue_date)
    ]
    loyalty: list[PortalLoyalty] = []
    for membership in sorted(records.memberships, key=lambda m: m.id):
        programme = records.programme(membership.programme)
        standing = _loyalty(membership, programme, cut)
        if standing is not None:
            loyalty.append(standing)
    return ClientPortal(
        client=records.client.id,
        name=records.client.name,
        as_of=as_of,
        contracts=tuple(sorted(contracts, key=lambda c: (c.start, c.id))),
        proposals=tuple(sorted(proposals, key=lambda p: (p.sent_on, p.id))),
        invoices=tuple(sorted(invoices, key=lambda i: (i.issue_date, i.id))),
        loyalty=tuple(loyalty),
    )


def _version(version: ContractVersion, signature: Signature) -> PortalContractVersion:
    notice = version.notice_period
    return PortalContractVersion(
        number=version.number,
        effective_from=version.effective_from,
        term_start=version.term_start,
        term_end=version.term_end,
        term=duration(version.term),
        value=version.value,
        auto_renew=version.auto_renew,
        notice_period=None if notice is None else duration(notice),
        notice_deadline=version.notice_deadline,
        signed_on=signature.signed_on,
        signed_by=signature.signed_by,
    )


def _contract(contract: Contract, cut: AsOf) -> PortalContract | None:
    signed: list[PortalContractVersion] = []
    for version in contract.versions:
        signature = contract.signature_of(version.number)
        if (
            signature is not None
            and cut.includes(signature.signed_on)
            and cut.includes(version.recorded_at)
        ):
            signed.append(_version(version, signature))
    if not signed:
        return None
    in_effect = [v for v in signed if v.effective_from <= cut.day]
    current = in_effect[-1] if in_effect else signed[0]
    notice = contract.termination
    if notice is not None and not cut.includes(notice.received_on):
        notice = None
    return PortalContract(
        id=contract.id,
        title=contract.title,
        status=contract_status_on(contract, cut.day),
        currency=current.value.currency,
        start=contract.start,
        end=current.term_end,
        current=current,
        signed_versions=tuple(signed),
        termination_received_on=None if notice is None else notice.received_on,
        termination_effective_end=None if notice is None else notice.effective_end,
    )


def _revision(revision: ProposalRevision, currency: str) -> PortalRevision:
    lines = tuple(PortalLine.of(line) for line in revision.lines)
    return PortalRevision(
        number=revision.number,
        pricing_date=revision.pricing_date,
        lines=lines,
        total=Money.sum((line.total for line in lines), currency),
    )


def _proposal(proposal: Proposal, cut: AsOf) -> PortalProposal | None:
    sends = proposal_sends(proposal, cut)
    if not sends:
        return None
    shown = sent_revision(proposal, cut)
    revisions = tuple(
        _revision(revision, proposal.currency)
        for revision in proposal.revisions
        if revision.number <= shown
    )
    if not revisions:
        return None  # nothing was on the table when it was sent
    return PortalProposal(
        id=proposal.id,
        purpose=proposal.purpose,
        status=proposal_status(proposal, cut),
        currency=proposal.currency,
        sent_on=cut.day_of(sends[0].at),
        valid_until=proposal.valid_until,
        total=revisions[-1].total,
        current=revisions[-1],
        revisions=revisions,
    )


def _invoice(invoice: Invoice, cut: AsOf) -> PortalInvoice:
    day = cut.day
    payments = sorted(
        (p for p in invoice.payments if p.received_on <= day),
        key=lambda p: (p.received_on, p.id),
    )
    notes = sorted(
        (c for c in invoice.credit_notes if c.issued_on <= day),
        key=lambda c: (c.issued_on, c.id),
    )
    return PortalInvoice(
        id=invoice.id,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        currency=invoice.currency,
        state=invoice.state(day),
        days_overdue=invoice.days_overdue(day),
        lines_total=invoice.lines_total,
        redeemed=invoice.redeemed,
        total=invoice.total,
        credited=invoice.credited(day),
        net_total=invoice.net_total(day),
        paid=invoice.paid(day),
        balance=invoice.balance(day),
        lines=tuple(PortalLine.of(line) for line in invoice.lines),
        redemptions=tuple(
            PortalRedemption(
                description=r.description, points=r.points, rate=r.rate, amount=r.amount
            )
            for r in invoice.redemptions
        ),
        payments=tuple(
            PortalPayment(
                id=p.id,
                received_on=p.received_on,
                amount=p.amount,
                reference=p.reference,
            )
            for p in payments
        ),
        credit_notes=tuple(
            PortalCreditNote(id=c.id, issued_on=c.issued_on, amount=c.amount)
            for c in notes
        ),
    )


def _loyalty(
    membership: Membership, programme: Programme, cut: AsOf
) -> PortalLoyalty | None:
    standing = loyalty_standing(membership, programme, cut)
    if standing is None:
        return None
    benefits = programme.tier(standing.tier).benefits
    return PortalLoyalty(
        programme=programme.name,
        tier=standing.tier,
        tier_name=standing.tier_name,
        benefits=benefits.description,
        extra_discount=benefits.extra_discount,
        points=standing.points,
        pending_points=standing.pending,
        points_value=(programme.redemption_rate * standing.points).rounded(),
        currency=programme.currency,
    )
