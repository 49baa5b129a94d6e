"""History events and standing of a loyalty membership.

The ledger is append-only, so the history is its entries dated on or before the
cut-off (by their business date), plus the enrolment and the notices sent
(upgrades, warnings). The standing (tier, balance, pending points) comes from
the loyalty engine as of the date: :func:`~kamcore.loyalty.tier_on` and
:meth:`~kamcore.loyalty.Membership.balance` read only entries dated up to it.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from kamcore.i18n import N_
from kamcore.kernel import MembershipId, ProgrammeId
from kamcore.loyalty import Membership, NoticeKind, Programme, SourceRef, tier_on
from kamcore.views._events import (
    AsOf,
    Coded,
    EventKind,
    HistoryEvent,
    Sentence,
    dated,
    timed,
)
from kamcore.views._plain import Plain, plain
from kamcore.views._words import ENTRY_KIND, SOURCE_KIND, points_count

__all__ = ["LoyaltyStanding", "loyalty_events", "loyalty_standing"]

#: A notice sent, by its kind; ``{subject}`` is what it is about (a tier's code,
#: a lot).
_NOTICE = {
    NoticeKind.UPGRADE: N_("upgrade notice: {subject}"),
    NoticeKind.DOWNGRADE_WARNING: N_("downgrade warning notice: {subject}"),
    NoticeKind.EXPIRY_WARNING: N_("expiry warning notice: {subject}"),
}


@attrs.frozen(kw_only=True)
class LoyaltyStanding:
    """A membership's tier and points on the as-of date.

    Attributes:
        membership: The membership.
        programme: Its programme's id.
        programme_name: Its programme's name.
        tier: The tier in effect (an override's, if one applies).
        tier_name: That tier's name.
        overridden: Whether an account manager's override sets the tier.
        points: The usable balance (earned and adjusted, less spent, expired
            and reversed).
        pending: Points waiting for their invoices to be paid.
    """

    membership: MembershipId
    programme: ProgrammeId
    programme_name: str
    tier: str
    tier_name: str
    overridden: bool
    points: Decimal
    pending: Decimal

    def row(self) -> dict[str, Plain]:
        """The standing as plain values (points as strings)."""
        return {name: plain(value) for name, value in attrs.asdict(self).items()}


def loyalty_standing(
    membership: Membership, programme: Programme, as_of: AsOf
) -> LoyaltyStanding | None:
    """The standing on the as-of date; ``None`` before enrolment."""
    if not as_of.includes(membership.enrolled_on):
        return None
    standing = tier_on(membership, programme, as_of.day)
    return LoyaltyStanding(
        membership=membership.id,
        programme=programme.id,
        programme_name=programme.name,
        tier=standing.tier.code,
        tier_name=standing.tier.name,
        overridden=standing.overridden,
        points=membership.balance(as_of.day),
        pending=membership.pending(as_of.day),
    )


def loyalty_events(
    membership: Membership, programme: Programme, as_of: AsOf
) -> list[HistoryEvent]:
    """Enrolment, every ledger entry and every notice in the view."""
    if not as_of.includes(membership.enrolled_on):
        return []
    events = [
        dated(
            EventKind.LOYALTY_ENROLLED,
            membership.enrolled_on,
            Sentence(N_("enrolled in {programme}"), {"programme": programme.name}),
            membership.id,
            details={"programme": programme.id},
        )
    ]
    for entry in membership.entries:
        if not as_of.includes(entry.on):
            continue
        values = {
            "entry": ENTRY_KIND[entry.kind],
            "n": entry.points,
            "source": _source(entry.source),
            "note": entry.note,
        }
        # Translators: {entry} is what the entry does ("earn", "redeem"), {n}
        # its points, {source} what it comes from ("invoice INV-1"), {note} its
        # note, as written. The English singular says "points" too: write your
        # language's singular.
        summary = (
            Sentence.ngettext(
                "{entry} {n} points ({source}): {note}",
                "{entry} {n} points ({source}): {note}",
                points_count(entry.points),
                **values,
            )
            if entry.note
            # Translators: {entry} is what the entry does ("earn", "redeem"),
            # {n} its points, {source} what it comes from ("invoice INV-1"). The
            # English singular says "points" too: write your language's
            # singular.
            else Sentence.ngettext(
                "{entry} {n} points ({source})",
                "{entry} {n} points ({source})",
                points_count(entry.points),
                **values,
            )
        )
        events.append(
            dated(
                EventKind.LOYALTY_ENTRY,
                entry.on,
                summary,
                membership.id,
                sequence=entry.number,
                details={
                    "entry": entry.number,
                    "entry_kind": entry.kind.value,
                    "points": entry.points,
                    "source": str(entry.source),
                    "expires_on": entry.expires_on,
                    "note": entry.note,
                },
            )
        )
    for position, notice in enumerate(membership.notices, start=1):
        if as_of.includes(notice.sent_at):
            events.append(
                timed(
                    EventKind.LOYALTY_NOTICE,
                    notice.sent_at,
                    as_of,
                    Sentence(_NOTICE[notice.kind], {"subject": notice.subject}),
                    membership.id,
                    sequence=position,
                    details={
                        "notice": notice.kind.value,
                        "subject": notice.subject,
                        "period_start": notice.period_start,
                    },
                )
            )
    return events


def _source(source: SourceRef) -> Sentence:
    """What an entry comes from, in words: its kind, document and line."""
    label = SOURCE_KIND.get(source.kind)
    kind = source.kind if label is None else Coded(source.kind, label)
    if source.line is None:
        # Translators: a loyalty entry's source: its kind ("invoice") and the
        # document's id.
        return Sentence(N_("{kind} {id}"), {"kind": kind, "id": source.id})
    # Translators: a loyalty entry's source: its kind ("invoice"), the
    # document's id and the line's position in it, counted from 0.
    return Sentence(
        N_("{kind} {id} line {line}"),
        {"kind": kind, "id": source.id, "line": source.line},
    )
