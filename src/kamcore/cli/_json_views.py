"""What the commands print with ``--format json``: plain documents.

Values are not formatted for people: amounts are decimal strings as stored
(``"43.0080"``) beside their ``currency``, dates ISO ``YYYY-MM-DD``, points
decimal strings. The shapes are documented in ``docs/cli.md``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from kamcore.accounts import Client
from kamcore.contracts import RenewalAlert
from kamcore.loyalty import MembershipReport
from kamcore.services import RenewalRun

__all__ = [
    "json_text",
    "membership_document",
    "price_document",
    "renewals_document",
]


def json_text(document: object) -> str:
    """A document as indented JSON (non-ASCII kept as it is)."""
    return json.dumps(document, indent=2, ensure_ascii=False)


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _alert(alert: RenewalAlert) -> dict[str, Any]:
    return {
        "alert": alert.id,
        "contract": alert.contract,
        "client": alert.client,
        "kind": alert.kind.value,
        "term_end": _day(alert.term_end),
        "last_term_end": _day(alert.last_term_end),
        "terms": alert.terms,
        "deadline": _day(alert.deadline),
        "raised_on": _day(alert.raised_on),
        "recipient": alert.recipient,
        "first_action": (
            None if alert.first_action is None else _day(alert.first_action.on)
        ),
    }


def renewals_document(
    run: RenewalRun, waiting: Sequence[RenewalAlert], *, check: bool
) -> dict[str, Any]:
    """What a renewal run did (or, with ``check``, would do) and the alerts
    waiting for a first action."""
    return {
        "as_of": _day(run.as_of),
        "check": check,
        "raised": [_alert(alert) for alert in run.raised],
        "term_ends": [
            {
                "contract": term.contract,
                "client": term.client,
                "outcome": term.outcome.value,
                "term_end": _day(term.term_end),
                "on": _day(term.on),
            }
            for term in run.term_ends
        ],
        "skipped": [
            {
                "contract": skipped.contract,
                "reason": skipped.reason.value,
                "alerts": len(skipped.alerts),
            }
            for skipped in run.skipped
        ],
        "waiting": [_alert(a) for a in waiting if a.first_action is None],
    }


def price_document(
    client: Client,
    *,
    product: str,
    quantity: Decimal,
    on: dt.date,
    unit_price: Decimal,
    line_total: Decimal,
    currency: str,
    explanation: str,
) -> dict[str, Any]:
    """The price a client pays, with its explanation's lines."""
    return {
        "client": client.id,
        "name": client.name,
        "product": product,
        "quantity": str(quantity),
        "on": _day(on),
        "currency": currency,
        "unit_price": str(unit_price),
        "line_total": str(line_total),
        "explanation": explanation.splitlines(),
    }


def membership_document(
    client: Client, programme_name: str, report: MembershipReport
) -> dict[str, Any]:
    """One member's standing."""
    standing = report.standing
    return {
        "client": client.id,
        "name": client.name,
        "programme": programme_name,
        "as_of": _day(report.as_of),
        "tier": standing.tier.code,
        "tier_name": standing.tier.name,
        "overridden": standing.overridden,
        "currency": standing.spend.currency,
        "spend": str(standing.spend.amount),
        "period_end": _day(standing.period.end),
        "points": str(report.balance),
        "pending": str(report.pending),
        "reserved": str(report.held),
        "redeemable": str(report.redeemable),
        "redeemable_value": str(report.redeemable_value.amount),
        "next_tier": None if standing.next_tier is None else standing.next_tier.code,
        "to_next": None if standing.to_next is None else str(standing.to_next.amount),
        "targets": [
            {
                "tier": target.tier.code,
                "needed": str(target.needed.amount),
                "by": _day(target.by),
            }
            for target in report.targets
        ],
        "expiring": [
            {"points": str(lot.remaining), "expires_on": _day(lot.expires_on)}
            for lot in report.expiring
        ],
    }
