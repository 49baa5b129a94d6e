"""Contracts and renewals (SPEC §4): effective-dated versions, the lifecycle,
renewal alerts and the renewal case.

See ``docs/contracts.md``.
"""

from kamcore.contracts._alerts import AlertKind, FirstAction, RenewalAlert, alert_id
from kamcore.contracts._contract import Contract, StatusChange, TerminationNotice
from kamcore.contracts._status import (
    IN_FORCE,
    TRANSITIONS,
    ContractStatus,
    check_transition,
)
from kamcore.contracts._version import (
    ArchivedDocument,
    ContractVersion,
    DocumentReference,
    Signature,
)

__all__ = [
    "IN_FORCE",
    "TRANSITIONS",
    "AlertKind",
    "ArchivedDocument",
    "Contract",
    "ContractStatus",
    "ContractVersion",
    "DocumentReference",
    "FirstAction",
    "RenewalAlert",
    "Signature",
    "StatusChange",
    "TerminationNotice",
    "alert_id",
    "check_transition",
]
