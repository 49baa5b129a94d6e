"""The records of the client portal, and their serialised form.

Each record carries exactly the fields of its entry in
:data:`~kamcore.views.PORTAL_ALLOW_LIST`; :func:`project` serialises a record by
reading only those fields, so nothing outside the allow-list can be written out
even if a record grew a field by mistake.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final

import attrs

from kamcore.accounts import InvoiceState, LineItem
from kamcore.contracts import ContractStatus
from kamcore.kernel import (
    ClientId,
    ContractId,
    CreditNoteId,
    InvoiceId,
    Money,
    PaymentId,
    Percentage,
    ProductId,
    ProposalId,
)
from kamcore.proposals import ProposalPurpose, ProposalStatus
from kamcore.views._allow_list import PORTAL_ALLOW_LIST
from kamcore.views._plain import plain
from kamcore.views._render import render_client_portal

__all__ = [
    "PORTAL_RECORD_TYPES",
    "ClientPortal",
    "PortalContract",
    "PortalContractVersion",
    "PortalCreditNote",
    "PortalInvoice",
    "PortalLine",
    "PortalLoyalty",
    "PortalPayment",
    "PortalProposal",
    "PortalRedemption",
    "PortalRevision",
    "project",
]


@attrs.frozen(kw_only=True)
class PortalLine:
    """A priced line as the client sees it: no price explanation, and of an
    ad-hoc discount only its amount (not who granted it, nor why)."""

    product: ProductId
    description: str
    quantity: Decimal
    unit_price: Money
    gross_total: Money
    discount: Money
    total: Money

    @classmethod
    def of(cls, line: LineItem) -> PortalLine:
        """The client's view of ``line``."""
        return cls(
            product=line.product,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            gross_total=line.gross_total,
            discount=line.ad_hoc_value,
            total=line.total,
        )


@attrs.frozen(kw_only=True)
class PortalContractVersion:
    """A signed version of a contract: its terms and its signature (no
    internal note, no countersigning manager, no price list)."""

    number: int
    effective_from: dt.date
    term_start: dt.date
    term_end: dt.date
    term: str
    value: Money
    auto_renew: bool
    notice_period: str | None
    notice_deadline: dt.date | None
    signed_on: dt.date
    signed_by: str


@attrs.frozen(kw_only=True)
class PortalContract:
    """A contract the client signed, with its current terms."""

    id: ContractId
    title: str
    status: ContractStatus
    currency: str
    start: dt.date
    end: dt.date
    current: PortalContractVersion
    signed_versions: tuple[PortalContractVersion, ...]
    termination_received_on: dt.date | None
    termination_effective_end: dt.date | None


@attrs.frozen(kw_only=True)
class PortalRevision:
    """One revision of a proposal that was sent to the client."""

    number: int
    pricing_date: dt.date
    lines: tuple[PortalLine, ...]
    total: Money


@attrs.frozen(kw_only=True)
class PortalProposal:
    """A proposal sent to the client, with the revisions it was sent."""

    id: ProposalId
    purpose: ProposalPurpose
    status: ProposalStatus
    currency: str
    sent_on: dt.date
    valid_until: dt.date | None
    total: Money
    current: PortalRevision
    revisions: tuple[PortalRevision, ...]


@attrs.frozen(kw_only=True)
class PortalRedemption:
    """A points-redemption deduction line of an invoice."""

    description: str
    points: Decimal
    rate: Money
    amount: Money


@attrs.frozen(kw_only=True)
class PortalPayment:
    """A payment the client made."""

    id: PaymentId
    received_on: dt.date
    amount: Money
    reference: str


@attrs.frozen(kw_only=True)
class PortalCreditNote:
    """A credit note issued to the client (amount and date, not the reason)."""

    id: CreditNoteId
    issued_on: dt.date
    amount: Money


@attrs.frozen(kw_only=True)
class PortalInvoice:
    """An invoice with its state, payments and credit notes on the date."""

    id: InvoiceId
    issue_date: dt.date
    due_date: dt.date
    currency: str
    state: InvoiceState
    days_overdue: int
    lines_total: Money
    redeemed: Money
    total: Money
    credited: Money
    net_total: Money
    paid: Money
    balance: Money
    lines: tuple[PortalLine, ...]
    redemptions: tuple[PortalRedemption, ...]
    payments: tuple[PortalPayment, ...]
    credit_notes: tuple[PortalCreditNote, ...]


@attrs.frozen(kw_only=True)
class PortalLoyalty:
    """The client's tier, points and benefits in one programme."""

    programme: str
    tier: str
    tier_name: str
    benefits: str
    extra_discount: Percentage
    points: Decimal
    pending_points: Decimal
    points_value: Money
    currency: str


@attrs.frozen(kw_only=True)
class ClientPortal:
    """Exactly what a client may see in its own portal, as of a date.

    Attributes:
        client: The client's id.
        name: The client's name.
        as_of: The date shown.
        contracts: Contracts it signed, by start date then id.
        proposals: Proposals sent to it, by first sending then id.
        invoices: Its invoices, by issue date then id.
        loyalty: Its memberships' standing, by membership id.
    """

    client: ClientId
    name: str
    as_of: dt.date
    contracts: tuple[PortalContract, ...]
    proposals: tuple[PortalProposal, ...]
    invoices: tuple[PortalInvoice, ...]
    loyalty: tuple[PortalLoyalty, ...]

    def to_dict(self) -> dict[str, Any]:
        """The portal as plain, JSON-ready values, allow-listed fields only."""
        return project(self, "portal")

    def report(self, locale: str) -> str:
        """The portal as text for the client, reading in ``locale``: in its
        language, dates, amounts, counts and percentages formatted with Babel
        (as :meth:`Account360.report <kamcore.views.Account360.report>`).

        One section each for contracts (with every signed version), proposals
        (with every revision sent), invoices (with their points redeemed,
        payments and credit notes) and loyalty; only allow-listed fields are
        read, so the text holds nothing :meth:`to_dict` would not.

        Args:
            locale: The reader's locale, usually the client's own
                (:attr:`Client.locale <kamcore.accounts.Client.locale>`).

        Raises:
            ValidationError: an unknown locale.

        .. versionadded:: 0.1
        """
        return render_client_portal(self, locale)


PORTAL_RECORD_TYPES: Final[Mapping[str, type]] = MappingProxyType(
    {
        "portal": ClientPortal,
        "contract": PortalContract,
        "contract_version": PortalContractVersion,
        "proposal": PortalProposal,
        "revision": PortalRevision,
        "line": PortalLine,
        "invoice": PortalInvoice,
        "redemption": PortalRedemption,
        "payment": PortalPayment,
        "credit_note": PortalCreditNote,
        "loyalty": PortalLoyalty,
    }
)
"""Record type of the allow-list -> the portal record class that carries it."""


def project(record: object, record_type: str) -> dict[str, Any]:
    """``record`` as plain values, reading only the allow-listed fields of
    ``record_type`` (nested records by their own type)."""
    out: dict[str, Any] = {}
    for field in PORTAL_ALLOW_LIST[record_type]:
        value = getattr(record, field.name)
        if field.record is None:
            out[field.name] = plain(value)
        elif isinstance(value, tuple):
            out[field.name] = [project(item, field.record) for item in value]
        else:
            out[field.name] = project(value, field.record)
    return out
