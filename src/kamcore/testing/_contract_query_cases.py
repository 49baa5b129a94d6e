"""The records and expected answers of the contract, alert-ledger and renewal
case queries.

Like :mod:`kamcore.testing._query_cases` (which appends these to its
``QUERY_CASES``): one small set of records per query, added out of order, on
the edges of every filter -- exactly on a bound, one day outside it, ties on
the sort key broken by id -- and a table of the filters given and exactly the
ids expected, in order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kamcore.contracts import AlertKind, CaseStage, ContractStatus
from kamcore.kernel import ClientId, ContractId, ManagerId
from kamcore.testing._contract_samples import (
    active_contract,
    renewal_alert,
    renewal_case,
)
from kamcore.testing._deal_kinds import full_renewal_case
from kamcore.testing._query_case import QueryCase, cases_for

__all__ = ["CONTRACT_QUERY_CASES"]

S = ContractStatus
MARCH_2 = dt.date(2026, 3, 2)
MARCH_10 = dt.date(2026, 3, 10)
MARCH_31 = dt.date(2026, 3, 31)


def _ids(text: str) -> list[str]:
    return text.split()


# -- contracts: the current term's end, inclusive bounds --------------------------

CONTRACTS = (
    active_contract("k-6", end=MARCH_10, status=S.RENEWED),  # tie with k-2 and k-7
    active_contract("k-5", client="c-2", end=dt.date(2026, 4, 1)),  # a day after
    active_contract("k-1", end=MARCH_31),  # exactly on the upper bound
    # Renewed once: only the current version's end (2026-03-10) counts, not
    # the first one's (2025-03-10).
    active_contract("k-7", start=dt.date(2024, 3, 11), status=S.RENEWED).renew(
        recorded_at=dt.datetime(2025, 3, 11, tzinfo=dt.UTC),
        recorded_by=ManagerId("m-1"),
    ),
    active_contract("k-2", client="c-2", end=MARCH_10, status=S.RENEWAL_IN_PROGRESS),
    active_contract("k-4", end=MARCH_2, status=S.LAPSED),  # on the lower bound
    active_contract("k-3", end=dt.date(2026, 3, 1)),  # a day before
)
"""Each ends its current term on the day noted."""

CONTRACT_CASES: list[tuple[dict[str, Any], list[str]]] = [
    ({}, _ids("k-3 k-4 k-2 k-6 k-7 k-1 k-5")),
    ({"ending_from": MARCH_2, "ending_to": MARCH_31}, _ids("k-4 k-2 k-6 k-7 k-1")),
    ({"ending_from": MARCH_2}, _ids("k-4 k-2 k-6 k-7 k-1 k-5")),
    ({"ending_to": MARCH_31}, _ids("k-3 k-4 k-2 k-6 k-7 k-1")),
    ({"ending_from": MARCH_10, "ending_to": MARCH_10}, _ids("k-2 k-6 k-7")),
    ({"client": ClientId("c-1")}, _ids("k-3 k-4 k-6 k-7 k-1")),
    ({"status": S.ACTIVE}, _ids("k-3 k-1 k-5")),
    ({"status": S.RENEWED}, _ids("k-6 k-7")),
    ({"client": ClientId("c-2"), "status": S.RENEWAL_IN_PROGRESS}, ["k-2"]),
    (
        {
            "client": ClientId("c-1"),
            "status": S.ACTIVE,
            "ending_from": MARCH_2,
            "ending_to": MARCH_31,
        },
        ["k-1"],
    ),
    ({"client": ClientId("c-9")}, []),
    ({"status": S.ARCHIVED}, []),
    ({"ending_from": dt.date(2027, 1, 1)}, []),
    ({"ending_to": dt.date(2026, 2, 28)}, []),
]

# -- the alert ledger: raised dates, inclusive bounds -----------------------------

_APRIL_30 = dt.date(2026, 4, 30)  # renewal alerts due on 2026-03-01
_JULY_31 = dt.date(2026, 7, 31)  # notice deadline 2026-04-30, due on 2026-03-01
NOTICE = AlertKind.NOTICE_DEADLINE

ALERTS = {
    "a6": renewal_alert("k-4", _APRIL_30, raised_on=MARCH_10),  # tie with a2
    "a1": renewal_alert("k-1", _APRIL_30, raised_on=MARCH_31, acted_on=MARCH_31),
    "a5": renewal_alert(
        "k-2", _JULY_31, NOTICE, raised_on=dt.date(2026, 4, 1), recipient="m-2"
    ),
    "a3": renewal_alert("k-1", _JULY_31, NOTICE, raised_on=dt.date(2026, 3, 1)),
    "a2": renewal_alert("k-2", _APRIL_30, raised_on=MARCH_10, recipient="m-2"),
    "a4": renewal_alert("k-3", _APRIL_30, raised_on=MARCH_2, acted_on=MARCH_10),
}
"""By short name; a1 on the upper bound, a3 a day before the lower one, a4 on
it, a5 a day after the upper one."""


def _alerts(names: str) -> list[str]:
    return [ALERTS[name].id for name in names.split()]


ALERT_CASES: list[tuple[dict[str, Any], list[str]]] = [
    ({}, _alerts("a3 a4 a2 a6 a1 a5")),
    ({"raised_from": MARCH_2, "raised_to": MARCH_31}, _alerts("a4 a2 a6 a1")),
    ({"raised_from": MARCH_2}, _alerts("a4 a2 a6 a1 a5")),
    ({"raised_to": MARCH_31}, _alerts("a3 a4 a2 a6 a1")),
    ({"raised_from": MARCH_10, "raised_to": MARCH_10}, _alerts("a2 a6")),
    ({"contract": ContractId("k-1")}, _alerts("a3 a1")),
    ({"recipient": ManagerId("m-2")}, _alerts("a2 a5")),
    ({"kind": NOTICE}, _alerts("a3 a5")),
    ({"acted": True}, _alerts("a4 a1")),
    ({"acted": False}, _alerts("a3 a2 a6 a5")),
    ({"contract": ContractId("k-2"), "kind": AlertKind.RENEWAL}, _alerts("a2")),
    (
        {
            "recipient": ManagerId("m-1"),
            "acted": False,
            "raised_from": MARCH_2,
            "raised_to": MARCH_31,
        },
        _alerts("a6"),
    ),
    ({"contract": ContractId("k-9")}, []),
    ({"kind": NOTICE, "acted": True}, []),
    ({"raised_from": dt.date(2027, 1, 1)}, []),
    ({"raised_to": dt.date(2026, 2, 28)}, []),
]

# -- renewal cases: filters on contract, client, stage and open -------------------

G = CaseStage
_APRIL_30_25 = dt.date(2025, 4, 30)
_WORKED = (G.ANALYSED, G.PROPOSED, G.SENT, G.ACCEPTED, G.AMENDED)

RENEWAL_CASES = (
    renewal_case("rc-6", "k-1", _APRIL_30, *_WORKED, G.SIGNED),  # tie with rc-2
    renewal_case("rc-3", "k-2", dt.date(2027, 1, 31)),
    # Negotiating, with its analysis and pricing: a busy stored document.
    full_renewal_case("rc-2"),  # k-1, c-1, ends 2026-04-30
    renewal_case("rc-7", "k-5", dt.date(2026, 6, 30), G.ANALYSED, client="c-3"),
    renewal_case("rc-10", "k-3", _APRIL_30, client="c-2"),  # sorts before rc-2
    renewal_case("rc-4", "k-2", dt.date(2026, 1, 31), G.DECLINED),
    renewal_case(
        "rc-5", "k-4", MARCH_31, G.ANALYSED, G.PROPOSED, G.SENT, G.LAPSED, client="c-2"
    ),
    renewal_case("rc-1", "k-1", _APRIL_30_25, *_WORKED, G.SIGNED, G.ARCHIVED),
)
"""Clients c-1 unless noted. Still open: opened, analysed, negotiating and
signed (a signed case still needs filing); finished: archived, declined,
lapsed."""

RENEWAL_CASE_CASES: list[tuple[dict[str, Any], list[str]]] = [
    ({}, _ids("rc-1 rc-4 rc-5 rc-10 rc-2 rc-6 rc-7 rc-3")),
    ({"contract": ContractId("k-1")}, _ids("rc-1 rc-2 rc-6")),
    ({"contract": ContractId("k-2")}, _ids("rc-4 rc-3")),
    ({"client": ClientId("c-1")}, _ids("rc-1 rc-4 rc-2 rc-6 rc-3")),
    ({"client": ClientId("c-2")}, _ids("rc-5 rc-10")),
    ({"stage": G.OPENED}, _ids("rc-10 rc-3")),
    ({"stage": G.NEGOTIATING}, ["rc-2"]),
    ({"stage": G.SIGNED}, ["rc-6"]),
    ({"stage": G.ARCHIVED}, ["rc-1"]),
    ({"stage": G.DECLINED}, ["rc-4"]),
    ({"stage": G.LAPSED}, ["rc-5"]),
    ({"open": True}, _ids("rc-10 rc-2 rc-6 rc-7 rc-3")),
    ({"open": False}, _ids("rc-1 rc-4 rc-5")),
    ({"contract": ContractId("k-1"), "open": True}, _ids("rc-2 rc-6")),
    ({"contract": ContractId("k-1"), "open": False}, ["rc-1"]),
    ({"client": ClientId("c-1"), "stage": G.OPENED}, ["rc-3"]),
    ({"client": ClientId("c-2"), "open": True}, ["rc-10"]),
    ({"contract": ContractId("k-2"), "client": ClientId("c-1")}, _ids("rc-4 rc-3")),
    (
        {
            "contract": ContractId("k-1"),
            "client": ClientId("c-1"),
            "stage": G.SIGNED,
            "open": True,
        },
        ["rc-6"],
    ),
    ({"contract": ContractId("k-9")}, []),
    ({"client": ClientId("c-9")}, []),
    ({"stage": G.ACCEPTED}, []),
    ({"contract": ContractId("k-2"), "client": ClientId("c-2")}, []),
    ({"stage": G.SIGNED, "open": False}, []),
    ({"stage": G.ARCHIVED, "open": True}, []),
    ({"client": ClientId("c-3"), "open": False}, []),
]

CONTRACT_QUERY_CASES: list[QueryCase] = [
    *cases_for("contracts.find", CONTRACTS, CONTRACT_CASES),
    *cases_for("renewal_alerts.find", tuple(ALERTS.values()), ALERT_CASES),
    *cases_for("renewal_cases.find", RENEWAL_CASES, RENEWAL_CASE_CASES),
]
"""Every contract, alert-ledger and renewal-case query case, for the query
conformance test."""
