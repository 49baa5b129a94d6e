"""The records of the demo portfolio: who the clients are, what they buy at
which prices, their contracts and the loyalty programme.

:mod:`kamcore._demo` stores them through the services and adds the history
(orders, invoices, payments, points, alerts) relative to the demo date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from kamcore.accounts import Client, ClientGroup, Product
from kamcore.contracts import Contract, ContractStatus, Signature
from kamcore.kernel import (
    CategoryId,
    ClientGroupId,
    ClientId,
    ContractId,
    DiscountGroupId,
    ManagerId,
    Money,
    Percentage,
    PriceListId,
    ProductId,
    ProgrammeId,
    Rate,
)
from kamcore.loyalty import (
    CategoryMultiplier,
    EarnRules,
    Programme,
    Tier,
    TierBenefits,
)
from kamcore.pricing import (
    Derivation,
    DiscountGroup,
    DiscountRule,
    DiscountScope,
    PriceItem,
    PriceList,
    PriceListKind,
)

__all__ = [
    "ACME",
    "ALPINE",
    "BENELUX",
    "BOREALIS",
    "DACH",
    "DEMO_MEMBERS",
    "FJORD",
    "HELVETIA",
    "KELLER",
    "KLEINBAU",
    "LUMEN",
    "NORDICS",
    "PARTNER",
    "PUMP",
    "ROSSI",
    "SEAL",
    "SENSOR",
    "VALVE",
    "catalogue",
    "chf",
    "client_groups",
    "clients",
    "contracts",
    "discount_groups",
    "eur",
    "products",
    "programme",
]

ROSSI, KELLER = ManagerId("m.rossi"), ManagerId("a.keller")
DACH, NORDICS = ClientGroupId("dach"), ClientGroupId("nordics")
BENELUX, ALPINE = ClientGroupId("benelux"), ClientGroupId("alpine")
ACME, BOREALIS, HELVETIA = ClientId("acme"), ClientId("borealis"), ClientId("helvetia")
LUMEN, FJORD, KLEINBAU = ClientId("lumen"), ClientId("fjord"), ClientId("kleinbau")
VALVE, PUMP = ProductId("valve-dn50"), ProductId("pump-p200")
SEAL, SENSOR = ProductId("seal-kit"), ProductId("sensor-s1")
PARTNER = ProgrammeId("partner")

DEMO_MEMBERS = (ACME, LUMEN)
"""The clients enrolled in the loyalty programme."""


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def chf(amount: str) -> Money:
    return Money(amount, "CHF")


def catalogue(start: dt.date) -> list[PriceList]:
    base = PriceListId("base-eur")
    return [
        PriceList(
            id=base,
            name="Base prices (EUR)",
            currency="EUR",
            kind=PriceListKind.BASE,
            items=(
                PriceItem(product=VALVE, unit_price=eur("44.80")),
                PriceItem(
                    product=VALVE, unit_price=eur("42.90"), min_quantity=Decimal(100)
                ),
                PriceItem(product=PUMP, unit_price=eur("1840.00")),
                PriceItem(product=SEAL, unit_price=eur("12.50")),
                PriceItem(product=SENSOR, unit_price=eur("310.00")),
            ),
        ),
        PriceList(
            id=PriceListId("base-chf"),
            name="Base prices (CHF)",
            currency="CHF",
            kind=PriceListKind.BASE,
            items=(
                PriceItem(product=VALVE, unit_price=chf("48.50")),
                PriceItem(product=PUMP, unit_price=chf("1990.00")),
                PriceItem(product=SEAL, unit_price=chf("13.50")),
                PriceItem(product=SENSOR, unit_price=chf("335.00")),
            ),
        ),
        # The DACH group list is derived: base -5 %, rounded to 0.05 (data, not
        # a formula).
        PriceList(
            id=PriceListId("dach-group"),
            name="DACH group prices",
            currency="EUR",
            kind=PriceListKind.GROUP,
            items=tuple(
                PriceItem(
                    product=product,
                    derived=Derivation(
                        source=base,
                        adjustment=Percentage("-5"),
                        rounding_step=Decimal("0.05"),
                    ),
                    valid_from=start,
                )
                for product in (VALVE, PUMP, SEAL, SENSOR)
            ),
        ),
    ]


def clients() -> list[Client]:
    def key_account(
        ident: ClientId,
        name: str,
        group: ClientGroupId,
        *,
        currency: str = "EUR",
        locale: str = "en_GB",
        manager: ManagerId = ROSSI,
    ) -> Client:
        return Client(
            id=ident,
            name=name,
            currency=currency,
            locale=locale,
            key_account=True,
            account_manager=manager,
            groups=frozenset({group}),
        )

    return [
        key_account(ACME, "ACME Industrial GmbH", DACH, locale="de_DE"),
        attrs.evolve(
            key_account(BOREALIS, "Borealis Energi AB", NORDICS, locale="sv_SE"),
            discount_group=DiscountGroupId("volume-valves"),
        ),
        key_account(
            HELVETIA,
            "Helvetia Wasser AG",
            ALPINE,
            currency="CHF",
            locale="de_CH",
            manager=KELLER,
        ),
        key_account(LUMEN, "Lumen Logistics BV", BENELUX, locale="nl_NL"),
        key_account(FJORD, "Fjord Marine AS", NORDICS, locale="nb_NO"),
        Client(
            id=KLEINBAU,
            name="Kleinbau KG",
            currency="EUR",
            locale="de_AT",
            account_manager=ROSSI,
            groups=frozenset({DACH}),
        ),
    ]


def client_groups() -> list[ClientGroup]:
    """The portfolio's segments; DACH has a derived group price list."""
    return [
        ClientGroup(
            id=DACH,
            name="DACH",
            priority=10,
            price_list=PriceListId("dach-group"),
        ),
        ClientGroup(id=NORDICS, name="Nordics", priority=5),
        ClientGroup(id=BENELUX, name="Benelux", priority=5),
        ClientGroup(id=ALPINE, name="Alpine", priority=5),
    ]


def products() -> list[Product]:
    """The catalogue."""
    return [
        Product(id=VALVE, name="Valve DN50", category=CategoryId("valves")),
        Product(id=PUMP, name="Pump P200", category=CategoryId("pumps")),
        Product(id=SEAL, name="Seal kit", category=CategoryId("seals")),
        Product(id=SENSOR, name="Flow sensor S1", category=CategoryId("sensors")),
    ]


def discount_groups() -> list[DiscountGroup]:
    """A volume discount on valves, from 50 units."""
    return [
        DiscountGroup(
            id=DiscountGroupId("volume-valves"),
            name="Volume valves",
            rules=(
                DiscountRule(
                    scope=DiscountScope.CATEGORY,
                    target="valves",
                    percentage=Percentage(4),
                    min_quantity=Decimal(50),
                ),
            ),
        )
    ]


def programme() -> Programme:
    return Programme(
        id=PARTNER,
        name="Valvetta Partner",
        currency="EUR",
        earn=EarnRules(
            points_per_unit=Rate(1),
            category_multipliers=(
                CategoryMultiplier(category=CategoryId("pumps"), multiplier=Rate(2)),
            ),
        ),
        tiers=(
            Tier(
                code="member",
                name="Member",
                threshold=eur("0"),
                benefits=TierBenefits(description="points on every invoice"),
            ),
            Tier(
                code="silver",
                name="Silver",
                threshold=eur("25000"),
                benefits=TierBenefits(
                    description="2 % off every order",
                    extra_discount=Percentage(2),
                ),
            ),
            Tier(
                code="gold",
                name="Gold",
                threshold=eur("75000"),
                benefits=TierBenefits(
                    description="5 % off every order, points x1.5",
                    extra_discount=Percentage(5),
                    earn_multiplier=Rate("1.5"),
                ),
            ),
        ),
        expiry=relativedelta(months=24),
        redemption_rate=eur("0.01"),
        max_redemption_share=Percentage(20),
    )


def _contract(
    ident: str,
    client: ClientId,
    title: str,
    *,
    end: dt.date,
    value: Money,
    recorded_by: ManagerId,
    term: relativedelta | None = None,
    **terms: Any,
) -> Contract:
    """An active contract whose (first) term ends on ``end``."""
    length = relativedelta(years=1) if term is None else term
    start = end + dt.timedelta(days=1) - length
    at = dt.datetime.combine(start, dt.time(9), tzinfo=dt.UTC)
    draft = Contract.draft(
        id=ContractId(ident),
        client=client,
        title=title,
        start=start,
        term=length,
        value=value,
        recorded_at=at,
        recorded_by=recorded_by,
        **terms,
    )
    signed = draft.sign(Signature(version=1, signed_on=start, signed_by="CFO"))
    return signed.move_to(ContractStatus.ACTIVE, on=start, at=at, reason="signed")


def contracts(as_of: dt.date) -> list[Contract]:
    day = dt.timedelta(days=1)
    return [
        _contract(
            "K-ACME-SUPPLY",
            ACME,
            "Framework supply agreement",
            end=as_of + 58 * day,
            value=eur("180000.00"),
            recorded_by=ROSSI,
        ),
        _contract(
            "K-BOREALIS-SERVICE",
            BOREALIS,
            "Valve service agreement",
            end=as_of - 46 * day,
            value=eur("64000.00"),
            recorded_by=ROSSI,
        ),
        _contract(
            "K-HELVETIA-SUPPLY",
            HELVETIA,
            "Supply agreement",
            end=as_of - 100 * day,
            value=chf("96000.00"),
            recorded_by=KELLER,
            auto_renew=True,
        ),
        _contract(
            "K-LUMEN-PUMPS",
            LUMEN,
            "Pump fleet agreement",
            end=as_of + 120 * day,
            value=eur("52000.00"),
            recorded_by=ROSSI,
            auto_renew=True,
            notice_period=relativedelta(months=3),
        ),
        _contract(
            "K-FJORD-PILOT",
            FJORD,
            "Pilot supply agreement",
            end=as_of + 640 * day,
            value=eur("40000.00"),
            recorded_by=ROSSI,
            term=relativedelta(years=2),
        ),
    ]
