"""Full samples of the loyalty aggregates: a programme and a busy membership.

Every optional field filled and awkward values (three point places, a negative
spend, owed and written-off points, microseconds, non-UTC offsets), so an
adapter that drops or alters a field fails the round trip.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
from dateutil.relativedelta import relativedelta

from kamcore.kernel import (
    CategoryId,
    ClientId,
    InvoiceId,
    ManagerId,
    MembershipId,
    Percentage,
    ProgrammeId,
    ProposalId,
    Rate,
)
from kamcore.loyalty import (
    CategoryMultiplier,
    EarnRules,
    EarnTrigger,
    EntryKind,
    LedgerEntry,
    LotDraw,
    Membership,
    NoticeKind,
    Programme,
    QualificationWindow,
    Reservation,
    ReservationStatus,
    ReversalPolicy,
    SourceRef,
    Tier,
    TierBenefits,
    TierNotice,
    TierOverride,
)
from kamcore.testing._samples import PARIS_WINTER, euros

__all__ = ["full_membership", "full_programme", "relabel_membership"]

_AT = dt.datetime(2026, 3, 2, 10, 15, 30, 123456, tzinfo=PARIS_WINTER)


def full_programme(id: str) -> Programme:  # noqa: A002
    """A three-tier calendar-year programme, earning on payment, 3 point places."""
    return Programme(
        id=ProgrammeId(id),
        name="Partnerprogramm Größe",
        currency="EUR",
        earn=EarnRules(
            points_per_unit=Rate("1.25"),
            category_multipliers=(
                CategoryMultiplier(category=CategoryId("pumps"), multiplier=Rate(2)),
                CategoryMultiplier(category=CategoryId("seals"), multiplier=Rate(0)),
            ),
            minimum_invoice=euros("50.00"),
        ),
        tiers=(
            Tier(
                code="silver",
                name="Silber",
                threshold=euros("0.00"),
                benefits=TierBenefits(description="Grundstufe"),
            ),
            Tier(
                code="gold",
                name="Gold",
                threshold=euros("10000.00"),
                benefits=TierBenefits(
                    description="2 % Rabatt, Punkte x1,5",
                    extra_discount=Percentage(2),
                    earn_multiplier=Rate("1.5"),
                ),
            ),
            Tier(
                code="platinum",
                name="Platin",
                threshold=euros("50000.00"),
                benefits=TierBenefits(
                    description="5 % Rabatt, Punkte x2",
                    extra_discount=Percentage(5),
                    earn_multiplier=Rate(2),
                ),
            ),
        ),
        window=QualificationWindow.CALENDAR_YEAR,
        expiry=relativedelta(months=24),
        earn_on=EarnTrigger.PAYMENT,
        redemption_rate=euros("0.005"),
        max_redemption_share=Percentage("33.5"),
        reversal=ReversalPolicy.ALLOW_NEGATIVE,
        point_places=3,
        downgrade_grace_days=31,
        downgrade_warning_days=45,
        expiry_warning_days=60,
    )


def _entries() -> tuple[LedgerEntry, ...]:
    invoice = SourceRef(kind="invoice", id="i-1", line=0)
    return (
        LedgerEntry(
            number=1,
            key="earn:invoice:i-1:line:0",
            kind=EntryKind.EARN,
            points=Decimal("51.512"),
            on=dt.date(2024, 2, 29),
            recorded_at=_AT,
            source=invoice,
            exact=Decimal("51.5125"),
            spend=euros("41.21"),
            expires_on=dt.date(2026, 2, 28),
            base=Decimal("41.21"),
        ),
        LedgerEntry(
            number=2,
            key="redeem:invoice:i-2",
            kind=EntryKind.REDEEM,
            points=Decimal("-20.5"),
            on=dt.date(2024, 3, 5),
            recorded_at=_AT,
            source=SourceRef(kind="invoice", id="i-2"),
            draws=(LotDraw(lot=1, points=Decimal("20.5")),),
        ),
        LedgerEntry(
            number=3,
            key="reverse:credit_note:cn-1",
            kind=EntryKind.REVERSE,
            points=Decimal("-31.012"),
            on=dt.date(2024, 3, 9),
            recorded_at=_AT,
            source=SourceRef(kind="credit_note", id="cn-1"),
            draws=(LotDraw(lot=1, points=Decimal("31.012")),),
            exact=Decimal("-31.01175"),
            spend=euros("-24.81"),
            owed=Decimal("4.25"),
            written_off=Decimal("2.125"),
            note="Gutschrift: Transportschaden",
            invoice=InvoiceId("i-1"),
        ),
        LedgerEntry(
            number=4,
            key="return:invoice:i-2:lot:1",
            kind=EntryKind.RETURN,
            points=Decimal("20.5"),
            on=dt.date(2024, 3, 12),
            recorded_at=_AT,
            source=SourceRef(kind="invoice", id="i-2"),
            returns=(LotDraw(lot=1, points=Decimal("20.5")),),
            note="Rechnung i-2 storniert",
        ),
        LedgerEntry(
            number=5,
            key="correct:earn:invoice:i-1:line:0:1",
            kind=EntryKind.CORRECT,
            points=Decimal("20.604"),
            on=dt.date(2024, 2, 29),
            recorded_at=_AT,
            source=invoice,
            exact=Decimal("20.605"),
            expires_on=dt.date(2026, 2, 28),
            corrects=1,
            note="Stufe Gold am 29. Februar",
        ),
    )


def full_membership(id: str) -> Membership:  # noqa: A002
    """A membership with entries of several kinds, a reservation, notices and
    overrides: one set, then ended early."""
    return Membership(
        id=MembershipId(id),
        client=ClientId("c-1"),
        programme=ProgrammeId("lp-1"),
        enrolled_on=dt.date(2024, 2, 29),
        entries=_entries(),
        reservations=(
            Reservation(
                proposal=ProposalId("pr-1"),
                points=Decimal("12.125"),
                rate=euros("0.005"),
                reserved_on=dt.date(2024, 3, 10),
                status=ReservationStatus.COMMITTED,
                invoice=InvoiceId("i-9"),
            ),
        ),
        notices=(
            TierNotice(
                kind=NoticeKind.UPGRADE,
                subject="gold",
                period_start=dt.date(2024, 1, 1),
                sent_at=_AT,
            ),
        ),
        overrides=(
            TierOverride(
                tier="platinum",
                reason="Strategischer Kunde, Rahmenvertrag verlängert",
                by=ManagerId("m-1"),
                starts_on=dt.date(2024, 3, 1),
                ends_on=dt.date(2024, 12, 31),
                set_on=dt.date(2024, 2, 29),
            ),
            TierOverride(
                tier=None,
                reason="Rahmenvertrag gekündigt",
                by=ManagerId("m-1"),
                starts_on=dt.date(2024, 9, 1),
                ends_on=dt.date(2024, 12, 31),
                set_on=dt.date(2024, 9, 1),
            ),
        ),
    )


def relabel_membership(membership: Membership, text: str) -> Membership:
    """The membership with its client set to ``text``."""
    return attrs.evolve(membership, client=ClientId(text))
