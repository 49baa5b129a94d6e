"""The portal shows the revisions that were sent, decided by what each sending
sent, never by comparing time stamps: batch jobs and fixed clocks record a
revision and a sending at the same instant."""

from __future__ import annotations

import datetime as dt

import attrs
from acme_history import ACME, PARIS, ROSSI, VALVE, acme_records, line
from hypothesis import given
from hypothesis import strategies as st

from kamcore.kernel import ProposalId
from kamcore.proposals import (
    Proposal,
    ProposalPurpose,
    ProposalRevision,
    ProposalStatus,
)
from kamcore.views import ClientPortal, build_client_portal

AS_OF = dt.date(2026, 3, 31)
BATCH = dt.datetime(2026, 3, 2, 6, tzinfo=dt.UTC)
"""The one instant a nightly batch (or a fixed clock) stamps everything with."""


def draft(recorded_at: dt.datetime = BATCH) -> Proposal:
    return Proposal(
        id=ProposalId("PR-9"),
        client=ACME.id,
        purpose=ProposalPurpose.RENEWAL,
        currency="EUR",
        revisions=(
            ProposalRevision(
                number=1,
                lines=(line(VALVE, 100, "110.00"),),
                pricing_date=dt.date(2026, 3, 2),
                note="first offer",
                recorded_at=recorded_at,
                recorded_by=ROSSI,
            ),
        ),
    )


def revise(proposal: Proposal, at: dt.datetime = BATCH) -> Proposal:
    """One more revision, priced one euro under the last one."""
    price = proposal.current.lines[0].unit_price.amount - 1
    return proposal.revise(
        lines=(line(VALVE, 100, str(price)),),
        pricing_date=dt.date(2026, 3, 2),
        note="revised",
        recorded_at=at,
        recorded_by=ROSSI,
    )


def send(proposal: Proposal, at: dt.datetime = BATCH) -> Proposal:
    return proposal.move_to(ProposalStatus.SENT, at=at)


def portal_of(proposal: Proposal) -> ClientPortal:
    records = attrs.evolve(acme_records(), proposals=(proposal,))
    return build_client_portal(records, as_of=AS_OF, timezone=PARIS)


def shown(proposal: Proposal) -> list[int]:
    """The revision numbers the client sees, the current one last."""
    view = portal_of(proposal)
    if not view.proposals:
        return []
    [seen] = view.proposals
    assert seen.current == seen.revisions[-1]
    return [revision.number for revision in seen.revisions]


def test_a_revision_recorded_at_the_instant_it_is_sent_shows_as_sent() -> None:
    proposal = send(revise(send(draft())))
    assert shown(proposal) == [1, 2]


def test_a_draft_created_and_sent_at_one_instant_shows() -> None:
    assert shown(send(draft())) == [1]


def test_a_revision_recorded_at_the_instant_of_the_sending_after_it_stays_hidden() -> (
    None
):
    proposal = revise(send(draft()))
    [seen] = portal_of(proposal).proposals
    assert [r.number for r in seen.revisions] == [1]
    assert seen.current.total == seen.revisions[0].total
    assert seen.status is ProposalStatus.NEGOTIATING


def test_revisions_and_sendings_in_one_batch_show_up_to_the_last_sending() -> None:
    proposal = revise(send(revise(revise(send(draft())))))
    assert shown(proposal) == [1, 2, 3]


def test_a_sending_records_the_revision_it_sent() -> None:
    proposal = send(revise(revise(send(draft()))))
    assert [(e.status, e.revision) for e in proposal.history] == [
        (ProposalStatus.SENT, 1),
        (ProposalStatus.NEGOTIATING, 2),
        (ProposalStatus.SENT, 3),
    ]


# -- any sequence, any time stamps ------------------------------------------------

# Few distinct instants, drawn in any order: equal stamps are the rule here.
INSTANTS = st.integers(0, 3).map(lambda hours: BATCH + dt.timedelta(hours=hours))
STEPS = st.lists(st.tuples(st.sampled_from(["revise", "send"]), INSTANTS), max_size=12)


@given(first_at=INSTANTS, steps=STEPS)
def test_the_portal_shows_exactly_the_last_sent_revision(
    first_at: dt.datetime, steps: list[tuple[str, dt.datetime]]
) -> None:
    proposal = draft(first_at)
    last_sent = 0
    for action, at in steps:
        if action == "revise":
            proposal = revise(proposal, at)
        elif proposal.status is not ProposalStatus.SENT:
            proposal = send(proposal, at)
            last_sent = proposal.current.number
    assert shown(proposal) == list(range(1, last_sent + 1))
