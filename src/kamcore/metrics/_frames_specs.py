"""The columns of each result's table (see :mod:`kamcore.metrics._frames`).

Per result class: what its lines are, and each column's name, kind and
getter. The Monday health check is one row per account (its ranking joined
with its decline line and its number of expiring contracts); a portfolio
state is the long monthly series, one row per account and month.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from operator import attrgetter, itemgetter
from typing import Any

from kamcore.kernel import Money
from kamcore.metrics._frames import Column
from kamcore.metrics._months import month_start

__all__ = ["SPECS"]

_CLIENT: Column = ("client", "text", attrgetter("client"))
_CONTRACT: Column = ("contract", "text", attrgetter("contract"))
_TERM_END: Column = ("term_end", "date", attrgetter("term_end"))


def _money(name: str, attribute: str) -> list[Column]:
    """An amount column and, after it, its currency."""
    read = attrgetter(attribute)
    return [
        (name, "money", read),
        ("currency", "category", lambda line: read(line).currency),
    ]


def _health_lines(check: Any) -> list[dict[str, Any]]:
    """One row per account of the ranking, then of the decline alone."""
    declines = {line.client: line for line in check.decline.lines}
    expiring: dict[str, int] = {}
    for contract in check.expiring.lines:
        expiring[contract.client] = expiring.get(contract.client, 0) + 1
    rows: list[dict[str, Any]] = []
    ranked = check.ranking.ranked()
    for line in ranked:
        rows.append(_health_row(line.client, line, declines.get(line.client)))
    seen = {line.client for line in ranked}
    rows.extend(
        _health_row(client, None, line)
        for client, line in declines.items()
        if client not in seen
    )
    for row in rows:
        row["expiring"] = expiring.get(row["client"], 0)
    return rows


def _health_row(client: str, ranked: Any, decline: Any) -> dict[str, Any]:
    total = None if ranked is None else ranked.total
    return {
        "client": client,
        "name": None if ranked is None else ranked.name,
        "rank": None if ranked is None else ranked.rank,
        "total": total,
        "currency": (total if total is not None else decline.previous).currency,
        "previous": None if decline is None else decline.previous,
        "last": None if decline is None else decline.last,
        "change": None if decline is None else decline.change,
        "alarm": None if decline is None else decline.alarm,
        "reason": None if decline is None else decline.reason,
    }


def _months(state: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for client in sorted(state.accounts):
        account = state.accounts[client]
        invoiced, ordered, counts = (
            account.invoiced,
            account.ordered,
            account.order_counts,
        )
        for month in sorted({*invoiced, *ordered, *counts}):
            rows.append(
                {
                    "account": client,
                    "currency": account.currency,
                    "month": month_start(month),
                    "invoiced": _in(invoiced.get(month), account.currency),
                    "ordered": _in(ordered.get(month), account.currency),
                    "count": counts.get(month, 0),
                }
            )
    return rows


def _in(amount: Decimal | None, currency: str) -> Money:
    """A month's sum (zero when the state holds none: it keeps no zero sums)."""
    return Money(Decimal(0) if amount is None else amount, currency)


def _keyed(*columns: tuple[str, str]) -> list[Column]:
    return [(name, kind, itemgetter(name)) for name, kind in columns]


SPECS: dict[str, tuple[Callable[[Any], Iterable[Any]], list[Column]]] = {
    "RevenueGrowth": (
        attrgetter("lines"),
        [
            _CLIENT,
            *_money("current", "current"),
            ("base", "money", attrgetter("base")),
            ("growth_percent", "percent", attrgetter("value")),
            ("reason", "category", attrgetter("reason")),
        ],
    ),
    "AccountRanking": (
        lambda result: result.ranked(),
        [
            ("rank", "int", attrgetter("rank")),
            _CLIENT,
            ("name", "text", attrgetter("name")),
            *_money("total", "total"),
        ],
    ),
    "AverageValue": (attrgetter("accounts"), [_CLIENT, *_money("total", "total")]),
    "RetentionRate": (
        attrgetter("terms"),
        [
            _CONTRACT,
            _CLIENT,
            _TERM_END,
            ("outcome", "category", attrgetter("outcome")),
            ("on", "date", attrgetter("on")),
        ],
    ),
    "OrderDecline": (
        attrgetter("lines"),
        [
            _CLIENT,
            *_money("previous", "previous"),
            ("last", "money", attrgetter("last")),
            ("change_percent", "percent", attrgetter("change")),
            ("alarm", "bool", attrgetter("alarm")),
            ("reason", "category", attrgetter("reason")),
        ],
    ),
    "ExpiringContracts": (
        attrgetter("lines"),
        [
            _CONTRACT,
            _CLIENT,
            ("title", "text", attrgetter("title")),
            _TERM_END,
            ("days_left", "int", attrgetter("days_left")),
            ("auto_renew", "bool", attrgetter("auto_renew")),
            *_money("value", "value"),
        ],
    ),
    "ExpiredUnrenewed": (
        attrgetter("contracts"),
        [
            _CONTRACT,
            _CLIENT,
            ("title", "text", attrgetter("title")),
            _TERM_END,
            ("lapsed_on", "date", attrgetter("lapsed_on")),
            *_money("value", "value"),
        ],
    ),
    "DaysToFirstAction": (
        lambda result: (*result.alerts, *result.open_alerts),
        [
            ("alert", "text", attrgetter("alert")),
            _CONTRACT,
            _CLIENT,
            ("kind", "category", attrgetter("kind")),
            _TERM_END,
            ("last_term_end", "date", attrgetter("last_term_end")),
            ("terms", "int", attrgetter("terms")),
            ("raised_on", "date", attrgetter("raised_on")),
            ("first_action_on", "date", attrgetter("first_action_on")),
            ("days", "int", attrgetter("days")),
            ("age", "int", attrgetter("age")),
        ],
    ),
    "HealthCheck": (
        _health_lines,
        [
            *_keyed(("client", "text"), ("name", "text"), ("rank", "int")),
            *_keyed(("total", "money"), ("currency", "category")),
            *_keyed(("previous", "money"), ("last", "money")),
            ("change_percent", "percent", itemgetter("change")),
            *_keyed(("alarm", "bool"), ("reason", "category"), ("expiring", "int")),
        ],
    ),
    "PortfolioState": (
        _months,
        _keyed(
            ("account", "text"),
            ("currency", "category"),
            ("month", "date"),
            ("invoiced", "money"),
            ("ordered", "money"),
            ("count", "int"),
        ),
    ),
}
