"""Full samples of the contract, alert, proposal and opportunity aggregates.

Like the account samples in ``_kinds``: every optional field filled, awkward
values (Feb 29 anchors, explicit ends, non-UTC offsets, microseconds, nested
revisions), so an adapter that drops or alters a field fails the round trip.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
from dateutil.relativedelta import relativedelta

from kamcore.accounts import LineItem
from kamcore.contracts import (
    AlertKind,
    ArchivedDocument,
    CaseStage,
    CaseStep,
    Contract,
    ContractStatus,
    ContractVersion,
    DocumentReference,
    FirstAction,
    RenewalAlert,
    RenewalAnalysis,
    RenewalCase,
    RenewalPricing,
    Signature,
    StatusChange,
    StrategyKind,
    TerminationNotice,
)
from kamcore.kernel import (
    AlertId,
    ClientId,
    ContractId,
    DateRange,
    ManagerId,
    OpportunityId,
    OrderId,
    Percentage,
    PriceListId,
    ProductId,
    ProposalId,
    RenewalCaseId,
)
from kamcore.opportunities import (
    Opportunity,
    OpportunityChange,
    OpportunityKind,
    Outcome,
    ProbabilityOverride,
    Stage,
)
from kamcore.proposals import (
    Proposal,
    ProposalEvent,
    ProposalPurpose,
    ProposalRevision,
    ProposalStatus,
)
from kamcore.testing._samples import PARIS_WINTER, euros, line

__all__ = [
    "full_contract",
    "full_opportunity",
    "full_proposal",
    "full_renewal_alert",
    "full_renewal_case",
    "relabel_contract",
    "relabel_proposal",
]

_RECORDED = dt.datetime(2024, 2, 20, 16, 45, 10, 250000, tzinfo=PARIS_WINTER)


def full_contract(id: str) -> Contract:  # noqa: A002
    """A twice-amended contract anchored on Feb 29, signed, filed, with notice."""
    first = ContractVersion(
        number=1,
        effective_from=dt.date(2024, 2, 29),
        anchor=dt.date(2024, 2, 29),
        term=relativedelta(years=1, months=6),
        value=euros("120000.50"),
        price_list=PriceListId("pl-acme"),
        auto_renew=True,
        notice_period=relativedelta(months=3),
        renewal_lead_days=90,
        grace_days=14,
        note="Rahmenvertrag, erste Fassung",
        recorded_at=_RECORDED,
        recorded_by=ManagerId("m-1"),
    )
    second = attrs.evolve(
        first,
        number=2,
        effective_from=dt.date(2025, 1, 1),
        value=euros("125000.00"),
        end=dt.date(2025, 8, 31),
        note="uplift 4.2 %, end moved to month end",
        recorded_at=_RECORDED + dt.timedelta(days=300),
        recorded_by=ManagerId("m-2"),
    )
    reference = DocumentReference(
        uri="dms://contracts/k-1/v2.pdf",
        digest="sha256:" + "ab" * 32,
        stored_at=dt.datetime(2025, 1, 2, 8, 0, tzinfo=dt.UTC),
    )
    return Contract(
        id=ContractId(id),
        client=ClientId("c-1"),
        title="Rahmenvertrag Müller & Söhne",
        versions=(first, second),
        status=ContractStatus.RENEWAL_IN_PROGRESS,
        history=(
            StatusChange(
                status=ContractStatus.ACTIVE,
                on=dt.date(2024, 2, 29),
                at=_RECORDED,
                reason="signed",
            ),
            StatusChange(
                status=ContractStatus.RENEWAL_IN_PROGRESS,
                on=dt.date(2025, 6, 2),
                at=dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC),
                reason="renewal case opened",
            ),
        ),
        signatures=(
            Signature(
                version=1,
                signed_on=dt.date(2024, 2, 28),
                signed_by="Frau Dr. Öztürk",
                countersigned_by=ManagerId("m-1"),
            ),
            Signature(version=2, signed_on=dt.date(2025, 1, 2), signed_by="Herr Li"),
        ),
        documents=(ArchivedDocument(version=2, reference=reference),),
        termination=TerminationNotice(
            received_on=dt.date(2025, 6, 1),
            deadline=dt.date(2025, 5, 31),
            effective_end=dt.date(2027, 2, 28),
            reason="Konsolidierung der Lieferanten",
        ),
    )


def relabel_contract(contract: Contract, text: str) -> Contract:
    """The contract with its title set to ``text``."""
    return attrs.evolve(contract, title=text)


def full_renewal_alert(id: str) -> RenewalAlert:  # noqa: A002
    """An acted-on notice-deadline alert raised a day late."""
    return RenewalAlert(
        id=AlertId(id),
        contract=ContractId("k-1"),
        client=ClientId("c-1"),
        kind=AlertKind.NOTICE_DEADLINE,
        term_end=dt.date(2028, 2, 28),
        deadline=dt.date(2027, 11, 28),
        due_on=dt.date(2027, 9, 29),
        raised_on=dt.date(2027, 9, 30),
        raised_at=dt.datetime(2027, 9, 30, 6, 0, 0, 1, tzinfo=PARIS_WINTER),
        recipient=ManagerId("m-1"),
        first_action=FirstAction(
            on=dt.date(2027, 10, 4),
            at=dt.datetime(2027, 10, 4, 11, 5, tzinfo=dt.UTC),
            action="analysis",
            reference="rc-7",
        ),
    )


def _lines(*amounts: str) -> tuple[LineItem, ...]:
    return tuple(
        attrs.evolve(
            line(amount, f"Zeile {index}"),
            product=ProductId(f"p-{index}"),
            quantity=Decimal("12.5"),
        )
        for index, amount in enumerate(amounts, start=1)
    )


def full_proposal(id: str) -> Proposal:  # noqa: A002
    """A renewal proposal in its second revision, sent, then negotiated."""
    first = ProposalRevision(
        number=1,
        lines=_lines("13.7350", "0.0001"),
        pricing_date=dt.date(2026, 3, 1),
        note="Verlängerung: Listenpreise + 3 %",
        recorded_at=_RECORDED,
        recorded_by=ManagerId("m-1"),
    )
    second = attrs.evolve(
        first,
        number=2,
        lines=_lines("13.5000"),
        note="Gegenangebot: 1.7 % Aufschlag",
        recorded_at=_RECORDED + dt.timedelta(days=9),
    )
    return Proposal(
        id=ProposalId(id),
        client=ClientId("c-1"),
        purpose=ProposalPurpose.RENEWAL,
        currency="EUR",
        revisions=(first, second),
        status=ProposalStatus.NEGOTIATING,
        history=(
            ProposalEvent(status=ProposalStatus.SENT, at=_RECORDED, note="per E-Mail"),
            ProposalEvent(
                status=ProposalStatus.NEGOTIATING,
                at=_RECORDED + dt.timedelta(days=9),
            ),
        ),
        valid_until=dt.date(2026, 4, 30),
        contract=ContractId("k-1"),
        opportunity=OpportunityId("op-1"),
        order=OrderId("o-9"),
    )


def relabel_proposal(proposal: Proposal, text: str) -> Proposal:
    """The proposal with its current revision's note set to ``text``."""
    *earlier, last = proposal.revisions
    return attrs.evolve(proposal, revisions=(*earlier, attrs.evolve(last, note=text)))


def full_opportunity(id: str) -> Opportunity:  # noqa: A002
    """A won expansion deal with an override and a change history."""
    return Opportunity(
        id=OpportunityId(id),
        client=ClientId("c-1"),
        kind=OpportunityKind.EXPANSION,
        title="Zweites Werk: Schrauben M8",
        owner=ManagerId("m-1"),
        value=euros("48000.05"),
        close_date=dt.date(2026, 6, 30),
        stage=Stage.NEGOTIATION,
        stage_probability=Percentage(75),
        override=ProbabilityOverride(
            probability=Percentage("62.5"),
            by=ManagerId("m-2"),
            reason="Budget erst im Q3",
            at=_RECORDED,
        ),
        outcome=Outcome.WON,
        notes="Einkauf wechselt im Mai",
        product=ProductId("p-1"),
        contract=ContractId("k-1"),
        proposal=ProposalId("pr-1"),
        created_at=dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC),
        changes=(
            OpportunityChange(
                at=_RECORDED,
                by=ManagerId("m-2"),
                field="probability",
                before="75%",
                after="62.5%",
                reason="Budget erst im Q3",
            ),
        ),
    )


def full_renewal_case(id: str) -> RenewalCase:  # noqa: A002
    """A case that reached negotiation, with its analysis and index-linked pricing."""
    opened = dt.datetime(2026, 3, 2, 9, 0, 0, 5, tzinfo=PARIS_WINTER)
    steps = (
        CaseStep(stage=CaseStage.OPENED, at=opened, by=ManagerId("m-1")),
        CaseStep(
            stage=CaseStage.ANALYSED,
            at=opened + dt.timedelta(hours=2),
            by=ManagerId("m-1"),
            note="Volumen -4 %, Zahlungen pünktlich",
        ),
        CaseStep(
            stage=CaseStage.PROPOSED,
            at=opened + dt.timedelta(days=1),
            by=ManagerId("m-2"),
            reference="pr-1",
        ),
        CaseStep(
            stage=CaseStage.SENT,
            at=opened + dt.timedelta(days=2),
            by=ManagerId("m-2"),
        ),
        CaseStep(
            stage=CaseStage.NEGOTIATING,
            at=opened + dt.timedelta(days=9),
            by=ManagerId("m-2"),
            note="Gegenangebot",
            reference="pr-1",
        ),
    )
    return RenewalCase(
        id=RenewalCaseId(id),
        contract=ContractId("k-1"),
        client=ClientId("c-1"),
        term_end=dt.date(2026, 4, 30),
        alert=AlertId("k-1/2026-04-30/renewal"),
        stage=CaseStage.NEGOTIATING,
        steps=steps,
        analysis=RenewalAnalysis(
            as_of=dt.date(2026, 3, 2),
            window=DateRange(dt.date(2025, 3, 3), dt.date(2026, 3, 2)),
            previous_window=DateRange(dt.date(2024, 3, 3), dt.date(2025, 3, 2)),
            order_volume=euros("96000.00"),
            previous_volume=euros("100000.00"),
            volume_change=Percentage("-4.00"),
            invoices_due=12,
            paid_on_time=12,
            on_time_ratio=Percentage("100.00"),
            open_tickets=1,
            recommended_adjustment=Percentage(3),
            reasons=("base uplift 3%", "Grund mit Umlaut: ä"),
        ),
        pricing=RenewalPricing(
            kind=StrategyKind.INDEX_LINKED,
            index_change=Percentage("6.1"),
            cap=Percentage(4),
            floor=Percentage(0),
            years=3,
        ),
        proposal=ProposalId("pr-1"),
        amended_version=2,
    )
