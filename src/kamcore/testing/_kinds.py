"""The aggregate kinds the unit of work stores, as the conformance suite sees them.

Each kind has a sample that fills every optional field, with awkward values
(non-ASCII text, four-decimal unit prices, microseconds, non-UTC offsets): an
adapter that drops or alters a field fails the round-trip tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Generic, TypeVar

import attrs

from kamcore.accounts import (
    Activity,
    ActivityKind,
    AdHocDiscount,
    Candidate,
    CandidateOutcome,
    Client,
    ClientGroup,
    ClientStatus,
    Invoice,
    LineItem,
    Order,
    OrderStatus,
    Payment,
    PointsRedemption,
    PriceExplanation,
    PricingStep,
    Product,
    Ticket,
    TicketPriority,
)
from kamcore.contracts import Contract, RenewalAlert, RenewalCase
from kamcore.kernel import (
    ActivityId,
    CategoryId,
    ClientGroupId,
    ClientId,
    ContractId,
    DiscountGroupId,
    InvoiceId,
    ManagerId,
    MembershipId,
    Money,
    OpportunityId,
    OrderId,
    PaymentId,
    Percentage,
    PriceListId,
    ProductId,
    ProposalId,
    TicketId,
)
from kamcore.loyalty import Membership, Programme
from kamcore.opportunities import Opportunity
from kamcore.ports import Aggregate, Repository, UnitOfWork
from kamcore.pricing import (
    Derivation,
    DiscountGroup,
    DiscountRule,
    DiscountScope,
    PriceItem,
    PriceList,
    PriceListKind,
)
from kamcore.proposals import Proposal
from kamcore.testing._deal_kinds import (
    full_contract,
    full_opportunity,
    full_proposal,
    full_renewal_alert,
    full_renewal_case,
    relabel_contract,
    relabel_proposal,
)
from kamcore.testing._loyalty_kinds import (
    full_membership,
    full_programme,
    relabel_membership,
)
from kamcore.testing._samples import PARIS_WINTER, credit_note, euros, line, payment

__all__ = ["KINDS", "AggregateKind", "kind_named", "kind_of"]

AggregateT = TypeVar("AggregateT", bound=Aggregate)


def _full_client(id: str) -> Client:  # noqa: A002
    return Client(
        id=ClientId(id),
        name="Müller & Söhne GmbH",
        currency="EUR",
        locale="de_DE",
        key_account=True,
        account_manager=ManagerId("m-1"),
        groups=frozenset({ClientGroupId("g-2"), ClientGroupId("g-1")}),
        discount_group=DiscountGroupId("dg-1"),
        price_list=PriceListId("pl-1"),
        membership=MembershipId("ms-1"),
        status=ClientStatus.ON_HOLD,
    )


def _full_client_group(id: str) -> ClientGroup:  # noqa: A002
    return ClientGroup(
        id=ClientGroupId(id),
        name="Automotive",
        priority=7,
        price_list=PriceListId("pl-gold"),
    )


def _full_product(id: str) -> Product:  # noqa: A002
    return Product(
        id=ProductId(id),
        name="Steel bolt M8",
        category=CategoryId("fasteners"),
        unit="kg",
        active=False,
        cost=Money("0.4125", "EUR"),
        floor_price=Money("0.50", "EUR"),
    )


_EXPLANATION = PriceExplanation(
    source="pl-acme.items[3]",
    source_kind="client",
    candidates=(
        Candidate(
            source="pl-acme.items[3]",
            kind="client",
            outcome=CandidateOutcome.CHOSEN,
            unit_price=euros("13.7350"),
            detail="from quantity 0, valid open..2026-12-31",
        ),
        Candidate(
            source="pl-base",
            kind="base",
            outcome=CandidateOutcome.LOWER_PRECEDENCE,
        ),
    ),
    steps=(
        PricingStep(label="list price", amount=euros("14.92935")),
        PricingStep(
            label="discount group dg-1: 8 %",
            amount=euros("13.7350"),
            rounding="4 places, ROUND_HALF_UP",
        ),
    ),
    discount="category fasteners from quantity 0: 8%",
)


def _full_lines() -> tuple[LineItem, ...]:
    return (
        LineItem(
            product=ProductId("p-1"),
            quantity=Decimal("2.5"),
            unit_price=euros("13.7350"),
            description="Bolts, 4-decimal unit price",
            ad_hoc=AdHocDiscount(
                reason="Lieferverzug: Kulanz",
                granted_by=ManagerId("m-1"),
                percentage=Percentage("7.5"),
            ),
            explanation=_EXPLANATION,
        ),
        attrs.evolve(
            line("0.10", "Washers"),
            ad_hoc=AdHocDiscount(
                reason="rounding", granted_by=ManagerId("m-2"), amount=euros("0.05")
            ),
        ),
    )


def _full_price_list(id: str) -> PriceList:  # noqa: A002
    return PriceList(
        id=PriceListId(id),
        name="Liste Süd, Großkunden",
        currency="EUR",
        kind=PriceListKind.CLIENT,
        items=(
            PriceItem(
                product=ProductId("p-2"),
                derived=Derivation(
                    source=PriceListId("pl-base"),
                    adjustment=Percentage("-8.25"),
                    surcharge=Decimal("-0.0150"),
                    rounding_step=Decimal("0.05"),
                ),
                min_quantity=Decimal("12.5"),
                valid_from=dt.date(2024, 2, 29),
                valid_to=dt.date(2026, 12, 31),
                discountable=True,
            ),
            PriceItem(
                product=ProductId("p-1"),
                unit_price=euros("13.7350"),
                valid_to=dt.date(2026, 2, 28),
                discountable=False,
            ),
            PriceItem(
                product=ProductId("p-1"),
                unit_price=euros("0.0001"),
                min_quantity=Decimal(10),
                valid_from=dt.date(2026, 3, 1),
            ),
        ),
    )


def _full_discount_group(id: str) -> DiscountGroup:  # noqa: A002
    return DiscountGroup(
        id=DiscountGroupId(id),
        name="Rabattgruppe Größe A",
        rules=(
            DiscountRule(
                scope=DiscountScope.PRODUCT,
                percentage=Percentage("2.75"),
                target="p-1",
                min_quantity=Decimal("0.5"),
                valid_from=dt.date(2024, 2, 29),
                valid_to=dt.date(2026, 3, 31),
            ),
            DiscountRule(
                scope=DiscountScope.CATEGORY,
                percentage=Percentage(100),
                target="fasteners",
            ),
            DiscountRule(scope=DiscountScope.ALL, percentage=Percentage("0.01")),
        ),
    )


def _full_order(id: str) -> Order:  # noqa: A002
    return Order(
        id=OrderId(id),
        client=ClientId("c-1"),
        order_date=dt.date(2026, 2, 28),
        currency="EUR",
        lines=_full_lines(),
        status=OrderStatus.FULFILLED,
        closed_on=dt.date(2026, 3, 9),
    )


def _full_invoice(id: str) -> Invoice:  # noqa: A002
    return Invoice(
        id=InvoiceId(id),
        client=ClientId("c-1"),
        issue_date=dt.date(2026, 2, 28),
        due_date=dt.date(2026, 3, 31),
        currency="EUR",
        lines=_full_lines(),
        redemptions=(
            PointsRedemption(
                membership=MembershipId("ms-1"),
                points=Decimal("1234.5"),
                rate=euros("0.0025"),
                proposal=ProposalId("pr-1"),
                description="Treuepunkte eingelöst",
            ),
        ),
        payments=(
            payment("pay-2", dt.date(2026, 3, 20), "10.00"),
            Payment(
                id=PaymentId("pay-1"),
                received_on=dt.date(2026, 3, 5),
                amount=euros("5.55"),
                reference="SEPA 123",
            ),
        ),
        credit_notes=(credit_note("cn-1", dt.date(2026, 3, 1), "1.00"),),
    )


def _full_ticket(id: str) -> Ticket:  # noqa: A002
    return Ticket(
        id=TicketId(id),
        client=ClientId("c-1"),
        subject="Invoice address wrong",
        opened_at=dt.datetime(2026, 3, 2, 10, 15, 30, 123456, tzinfo=PARIS_WINTER),
        priority=TicketPriority.HIGH,
        resolved_at=dt.datetime(2026, 3, 3, 8, 0, tzinfo=dt.UTC),
    )


def _full_activity(id: str) -> Activity:  # noqa: A002
    return Activity(
        id=ActivityId(id),
        client=ClientId("c-1"),
        kind=ActivityKind.MEETING,
        occurred_at=dt.datetime(2026, 3, 2, 14, 0, tzinfo=PARIS_WINTER),
        summary="Quarterly review: renewal terms agreed",
        author=ManagerId("m-1"),
        opportunity=OpportunityId("op-1"),
        contract=ContractId("k-1"),
        internal=False,
    )


def _relabel_lines(document: Any, text: str) -> Any:
    first, *rest = document.lines
    return attrs.evolve(document, lines=(attrs.evolve(first, description=text), *rest))


@attrs.frozen
class AggregateKind(Generic[AggregateT]):
    """What the suite needs to know about one kind of aggregate.

    Attributes:
        type: The aggregate class.
        attribute: The unit of work's attribute holding its repository
            (``"clients"``); also its name in test ids.
        sample: A version-0 aggregate with the given id, every field filled.
        label: The aggregate with a text field set to the given text, so that
            two writers' changes can be told apart.
    """

    type: type[AggregateT]
    attribute: str
    sample: Callable[[str], AggregateT]
    label: Callable[[AggregateT, str], AggregateT]

    @property
    def name(self) -> str:
        """The entity as named in errors: the class name (``"Client"``)."""
        return self.type.__name__

    def repository(self, uow: UnitOfWork) -> Repository[AggregateT, Any]:
        """This kind's repository in ``uow``."""
        repository: Repository[AggregateT, Any] = getattr(uow, self.attribute)
        return repository


KINDS: tuple[AggregateKind[Any], ...] = (
    AggregateKind(
        Client,
        "clients",
        _full_client,
        lambda c, text: attrs.evolve(c, name=text),
    ),
    AggregateKind(
        ClientGroup,
        "client_groups",
        _full_client_group,
        lambda g, text: attrs.evolve(g, name=text),
    ),
    AggregateKind(
        Product,
        "products",
        _full_product,
        lambda p, text: attrs.evolve(p, name=text),
    ),
    AggregateKind(
        PriceList,
        "price_lists",
        _full_price_list,
        lambda pl, text: attrs.evolve(pl, name=text),
    ),
    AggregateKind(
        DiscountGroup,
        "discount_groups",
        _full_discount_group,
        lambda g, text: attrs.evolve(g, name=text),
    ),
    AggregateKind(Order, "orders", _full_order, _relabel_lines),
    AggregateKind(Invoice, "invoices", _full_invoice, _relabel_lines),
    AggregateKind(
        Ticket,
        "tickets",
        _full_ticket,
        lambda t, text: attrs.evolve(t, subject=text),
    ),
    AggregateKind(
        Activity,
        "activities",
        _full_activity,
        lambda a, text: attrs.evolve(a, summary=text),
    ),
    AggregateKind(Contract, "contracts", full_contract, relabel_contract),
    AggregateKind(
        RenewalAlert,
        "renewal_alerts",
        full_renewal_alert,
        lambda a, text: attrs.evolve(a, recipient=ManagerId(text)),
    ),
    AggregateKind(
        RenewalCase,
        "renewal_cases",
        full_renewal_case,
        lambda c, text: attrs.evolve(c, client=ClientId(text)),
    ),
    AggregateKind(Proposal, "proposals", full_proposal, relabel_proposal),
    AggregateKind(
        Programme,
        "programmes",
        full_programme,
        lambda p, text: attrs.evolve(p, name=text),
    ),
    AggregateKind(Membership, "memberships", full_membership, relabel_membership),
    AggregateKind(
        Opportunity,
        "opportunities",
        full_opportunity,
        lambda o, text: attrs.evolve(o, title=text),
    ),
)

_BY_TYPE = {kind.type: kind for kind in KINDS}
_BY_ATTRIBUTE = {kind.attribute: kind for kind in KINDS}


def kind_of(aggregate: object) -> AggregateKind[Any]:
    """The :class:`AggregateKind` of ``aggregate``."""
    return _BY_TYPE[type(aggregate)]


def kind_named(attribute: str) -> AggregateKind[Any]:
    """The :class:`AggregateKind` whose repository is ``uow.<attribute>``."""
    return _BY_ATTRIBUTE[attribute]
