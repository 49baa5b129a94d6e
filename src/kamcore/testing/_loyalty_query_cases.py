"""The records and expected answers of the loyalty membership queries.

Like :mod:`kamcore.testing._query_cases` (which appends these to its
``QUERY_CASES``): one small set of memberships, added out of order, and a
table of the filters given and exactly the ids expected, in order. Ids sort as
text (``ms-10`` before ``ms-2``), and one membership carries a busy ledger, so
that an adapter filtering on a decoded document still finds it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from kamcore.kernel import ClientId, MembershipId, ProgrammeId
from kamcore.loyalty import Membership
from kamcore.testing._loyalty_kinds import full_membership
from kamcore.testing._query_case import cases_for

__all__ = ["LOYALTY_QUERY_CASES"]


def _member(id: str, client: str, programme: str) -> Membership:  # noqa: A002
    return Membership(
        id=MembershipId(id),
        client=ClientId(client),
        programme=ProgrammeId(programme),
        enrolled_on=dt.date(2026, 3, 2),
    )


MEMBERSHIPS = (
    _member("ms-5", "c-2", "lp-1"),
    _member("ms-2", "c-1", "lp-2"),
    _member("ms-10", "c-1", "lp-1"),
    attrs.evolve(full_membership("ms-4"), client=ClientId("c-1")),  # lp-1
    _member("ms-3", "c-3", "lp-2"),
    _member("ms-1", "c-2", "lp-2"),
)
"""Client ``c-1`` is in both programmes; ``c-3`` in one."""

C1, C2, C3 = ClientId("c-1"), ClientId("c-2"), ClientId("c-3")
LP1, LP2 = ProgrammeId("lp-1"), ProgrammeId("lp-2")

MEMBERSHIP_CASES: list[tuple[dict[str, Any], list[str]]] = [
    ({}, ["ms-1", "ms-10", "ms-2", "ms-3", "ms-4", "ms-5"]),
    ({"client": C1}, ["ms-10", "ms-2", "ms-4"]),
    ({"client": C3}, ["ms-3"]),
    ({"programme": LP1}, ["ms-10", "ms-4", "ms-5"]),
    ({"programme": LP2}, ["ms-1", "ms-2", "ms-3"]),
    ({"client": C1, "programme": LP2}, ["ms-2"]),
    ({"client": C2, "programme": LP1}, ["ms-5"]),
    ({"client": C3, "programme": LP1}, []),
    ({"client": ClientId("c-9")}, []),
    ({"programme": ProgrammeId("lp-9")}, []),
]


LOYALTY_QUERY_CASES = cases_for("memberships.find", MEMBERSHIPS, MEMBERSHIP_CASES)
"""Every membership case, for the query conformance test."""
