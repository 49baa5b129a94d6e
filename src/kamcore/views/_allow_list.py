"""The client portal's allow-list: every field a client may see, per record type.

This table *is* the portal's definition. The portal records carry exactly these
fields, and serialising a portal reads only these fields, so a field that is
not listed here cannot reach a client. ``docs/account-360.md`` shows it as a
table, and a test checks that the docs table and this one agree.

Left out on purpose: internal notes and reasons (contract version notes, status
reasons, proposal revision and status notes, credit note reasons), activities,
opportunities (probability, notes), tickets, price explanations, ad-hoc
discount reasons and grantors, costs, floors and margins, account managers and
who recorded or countersigned what, price list ids, renewal lead and grace
days, archive addresses, tier overrides' reasons, and anything of another
client.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import attrs

__all__ = ["PORTAL_ALLOW_LIST", "AllowedField"]


@attrs.frozen
class AllowedField:
    """One field a client may see.

    Attributes:
        name: The field's name, in the portal record and its serialised form.
        shows: What it shows, in words (for the docs table).
        record: For a nested record (or a list of them), its record type in the
            allow-list; ``None`` for a plain value.
    """

    name: str
    shows: str
    record: str | None = None


_F = AllowedField

PORTAL_ALLOW_LIST: Final[Mapping[str, tuple[AllowedField, ...]]] = MappingProxyType(
    {
        "portal": (
            _F("client", "the client's id"),
            _F("name", "the client's name"),
            _F("as_of", "the date the portal shows"),
            _F("contracts", "its signed contracts", "contract"),
            _F("proposals", "proposals sent to it", "proposal"),
            _F("invoices", "its invoices", "invoice"),
            _F("loyalty", "its loyalty memberships", "loyalty"),
        ),
        "contract": (
            _F("id", "contract id"),
            _F("title", "contract title"),
            _F("status", "status on the date"),
            _F("currency", "currency of the values"),
            _F("start", "first day of the first term"),
            _F("end", "last day of the current terms"),
            _F("current", "the signed terms in effect", "contract_version"),
            _F("signed_versions", "every version it signed", "contract_version"),
            _F("termination_received_on", "when its notice of termination arrived"),
            _F("termination_effective_end", "the last day after that notice"),
        ),
        "contract_version": (
            _F("number", "version number"),
            _F("effective_from", "first day the version applies"),
            _F("term_start", "first day of its term"),
            _F("term_end", "last day of its term"),
            _F("term", "term length (ISO 8601 duration)"),
            _F("value", "contract value per term"),
            _F("auto_renew", "whether it renews itself"),
            _F("notice_period", "notice period (ISO 8601 duration)"),
            _F("notice_deadline", "last day to give notice for the term end"),
            _F("signed_on", "date it was signed"),
            _F("signed_by", "the client's signatory"),
        ),
        "proposal": (
            _F("id", "proposal id"),
            _F("purpose", "renewal, upsell, cross-sell, expansion, new business"),
            _F("status", "status on the date"),
            _F("currency", "currency of the offer"),
            _F("sent_on", "when it was first sent"),
            _F("valid_until", "last day to accept it"),
            _F("total", "total of the offer on the table"),
            _F("current", "the offer on the table (last revision sent)", "revision"),
            _F("revisions", "every revision sent", "revision"),
        ),
        "revision": (
            _F("number", "revision number"),
            _F("pricing_date", "date its prices are from"),
            _F("lines", "its lines", "line"),
            _F("total", "its total"),
        ),
        "line": (
            _F("product", "product id"),
            _F("description", "line text"),
            _F("quantity", "quantity"),
            _F("unit_price", "unit price charged"),
            _F("gross_total", "quantity x unit price, rounded"),
            _F("discount", "discount granted on the line (amount only)"),
            _F("total", "what the line charges"),
        ),
        "invoice": (
            _F("id", "invoice id"),
            _F("issue_date", "issue date"),
            _F("due_date", "due date"),
            _F("currency", "currency"),
            _F("state", "open, overdue, paid or cancelled on the date"),
            _F("days_overdue", "days past the due date (0 unless overdue)"),
            _F("lines_total", "sum of the line totals"),
            _F("redeemed", "value of the loyalty points redeemed on it"),
            _F("total", "invoice total: lines total less points redeemed"),
            _F("credited", "credit notes issued by the date"),
            _F("net_total", "total less credit notes"),
            _F("paid", "payments received by the date"),
            _F("balance", "what is still owed (negative: overpaid)"),
            _F("lines", "its lines", "line"),
            _F("redemptions", "points-redemption deduction lines", "redemption"),
            _F("payments", "payments received", "payment"),
            _F("credit_notes", "credit notes issued", "credit_note"),
        ),
        "redemption": (
            _F("description", "line text"),
            _F("points", "points redeemed"),
            _F("rate", "value of one point"),
            _F("amount", "value deducted"),
        ),
        "payment": (
            _F("id", "payment id"),
            _F("received_on", "date received"),
            _F("amount", "amount"),
            _F("reference", "bank or remittance reference"),
        ),
        "credit_note": (
            _F("id", "credit note id"),
            _F("issued_on", "date issued"),
            _F("amount", "amount"),
        ),
        "loyalty": (
            _F("programme", "programme name"),
            _F("tier", "tier code on the date"),
            _F("tier_name", "tier name"),
            _F("benefits", "the tier's benefits, in words"),
            _F("extra_discount", "the tier's extra discount, in percent"),
            _F("points", "usable points balance"),
            _F("pending_points", "points waiting for invoices to be paid"),
            _F("points_value", "what the balance is worth at the redemption rate"),
            _F("currency", "currency of the points value"),
        ),
    }
)
"""Record type -> the fields a client may see, in serialised order."""
