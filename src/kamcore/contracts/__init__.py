"""Contracts and renewals (SPEC §4): effective-dated versions, the lifecycle,
renewal alerts and the renewal case.

See ``docs/contracts.md``.
"""

from kamcore.contracts._alerts import AlertKind, FirstAction, RenewalAlert, alert_id
from kamcore.contracts._analysis import (
    AdjustmentPolicy,
    RenewalAnalysis,
    analyse_renewal,
)
from kamcore.contracts._contract import (
    AMENDABLE,
    Contract,
    StatusChange,
    TerminationNotice,
)
from kamcore.contracts._due_alerts import DueAlert, late_alerts
from kamcore.contracts._renewal_case import (
    CASE_TRANSITIONS,
    CaseStage,
    CaseStep,
    RenewalCase,
)
from kamcore.contracts._scheduler import (
    DEFAULT_LEAD_DAYS,
    RenewalPlan,
    alerts_due,
    lead_days_for,
    schedule_renewals,
)
from kamcore.contracts._status import (
    CLOSED,
    IN_FORCE,
    TRANSITIONS,
    ContractStatus,
    check_transition,
)
from kamcore.contracts._strategy import RenewalPricing, StrategyKind
from kamcore.contracts._term_ends import (
    SCHEDULER,
    TermEnd,
    TermEndOutcome,
    process_term_ends,
)
from kamcore.contracts._version import (
    ArchivedDocument,
    ContractVersion,
    DocumentReference,
    Signature,
)

__all__ = [
    "AMENDABLE",
    "CASE_TRANSITIONS",
    "CLOSED",
    "DEFAULT_LEAD_DAYS",
    "IN_FORCE",
    "SCHEDULER",
    "TRANSITIONS",
    "AdjustmentPolicy",
    "AlertKind",
    "ArchivedDocument",
    "CaseStage",
    "CaseStep",
    "Contract",
    "ContractStatus",
    "ContractVersion",
    "DocumentReference",
    "DueAlert",
    "FirstAction",
    "RenewalAlert",
    "RenewalAnalysis",
    "RenewalCase",
    "RenewalPlan",
    "RenewalPricing",
    "Signature",
    "StatusChange",
    "StrategyKind",
    "TermEnd",
    "TermEndOutcome",
    "TerminationNotice",
    "alert_id",
    "alerts_due",
    "analyse_renewal",
    "check_transition",
    "late_alerts",
    "lead_days_for",
    "process_term_ends",
    "schedule_renewals",
]
