"""Metrics and the weekly routine (SPEC §6). See ``docs/metrics.md``.

Every figure is computed as of a date from a :class:`PortfolioState` (exact
monthly sums per account, contract outcomes, alert first actions — updated one
event at a time and mergeable across partitions) over an
:class:`AccountSelection` resolved against client records. Results are typed
records that also give plain rows (``rows()``), a report for a locale
(``report(locale)``) and typed DataFrames (``to_arrow()``, ``to_pandas()``,
``to_polars()``; DataFrames in: :func:`invoices_from_frame`,
:func:`orders_from_frame`), with pyarrow installed (``kamcore[frames]``).
"""

from kamcore.metrics._account import AccountState
from kamcore.metrics._actions import AlertLine, DaysToFirstAction, days_to_first_action
from kamcore.metrics._average import AverageValue, average_value
from kamcore.metrics._bulk import InvoiceRecord
from kamcore.metrics._cover import AccountTotal
from kamcore.metrics._decline import OrderDecline, order_decline
from kamcore.metrics._decline_rule import (
    DEFAULT_MINIMUM_BASE,
    Basis,
    DeclineLine,
    DeclineRule,
    default_minimum_base,
)
from kamcore.metrics._expiring import (
    ExpiringContract,
    ExpiringContracts,
    expiring_contracts,
)
from kamcore.metrics._facts import AlertFacts, ContractFacts, Outcome, TermOutcome
from kamcore.metrics._format import Row
from kamcore.metrics._frames import FrameExport
from kamcore.metrics._frames_in import invoices_from_frame, orders_from_frame
from kamcore.metrics._growth import (
    GrowthLine,
    GrowthReason,
    RevenueGrowth,
    revenue_growth,
)
from kamcore.metrics._lapsed import ExpiredUnrenewed, LapsedContract, expired_unrenewed
from kamcore.metrics._month_windows import MonthWindow
from kamcore.metrics._months import (
    month_key,
    month_label,
    month_start,
    trailing_months,
)
from kamcore.metrics._ranking import AccountRanking, RankedAccount, account_ranking
from kamcore.metrics._retention import RenewalTerm, RetentionRate, retention_rate
from kamcore.metrics._selection import (
    AccountSelection,
    Exclusion,
    ExclusionReason,
    ResolvedSelection,
    SelectionKind,
)
from kamcore.metrics._state import PortfolioState
from kamcore.metrics._weekly import HealthCheck, monday_health_check

__all__ = [
    "DEFAULT_MINIMUM_BASE",
    "AccountRanking",
    "AccountSelection",
    "AccountState",
    "AccountTotal",
    "AlertFacts",
    "AlertLine",
    "AverageValue",
    "Basis",
    "ContractFacts",
    "DaysToFirstAction",
    "DeclineLine",
    "DeclineRule",
    "Exclusion",
    "ExclusionReason",
    "ExpiredUnrenewed",
    "ExpiringContract",
    "ExpiringContracts",
    "FrameExport",
    "GrowthLine",
    "GrowthReason",
    "HealthCheck",
    "InvoiceRecord",
    "LapsedContract",
    "MonthWindow",
    "OrderDecline",
    "Outcome",
    "PortfolioState",
    "RankedAccount",
    "RenewalTerm",
    "ResolvedSelection",
    "RetentionRate",
    "RevenueGrowth",
    "Row",
    "SelectionKind",
    "TermOutcome",
    "account_ranking",
    "average_value",
    "days_to_first_action",
    "default_minimum_base",
    "expired_unrenewed",
    "expiring_contracts",
    "invoices_from_frame",
    "monday_health_check",
    "month_key",
    "month_label",
    "month_start",
    "order_decline",
    "orders_from_frame",
    "retention_rate",
    "revenue_growth",
    "trailing_months",
]
