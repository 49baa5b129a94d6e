"""Proposals: priced offers to a client, with every negotiation revision kept.

See ``docs/contracts.md`` (renewal proposals) and ``docs/opportunities.md``
(upsell proposals and their conversion to orders).
"""

from kamcore.proposals._proposal import (
    PROPOSAL_TRANSITIONS,
    Proposal,
    ProposalEvent,
    ProposalPurpose,
    ProposalRevision,
    ProposalStatus,
)

__all__ = [
    "PROPOSAL_TRANSITIONS",
    "Proposal",
    "ProposalEvent",
    "ProposalPurpose",
    "ProposalRevision",
    "ProposalStatus",
]
