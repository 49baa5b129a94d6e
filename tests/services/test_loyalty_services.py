"""Seed workflow 4 through the ports: earn, tiers, notifications, redemption."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from dateutil.relativedelta import relativedelta

from kamcore.accounts import Client, CreditNote, Invoice, LineItem, Payment, Product
from kamcore.adapters.clock import FixedClock
from kamcore.adapters.ids import SequentialIdSource
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.adapters.notifiers import RecordingNotifier
from kamcore.errors import (
    CurrencyMismatchError,
    FieldError,
    InvalidTransitionError,
    NotFoundError,
    PolicyViolationError,
    ValidationError,
)
from kamcore.kernel import (
    CategoryId,
    ClientId,
    CreditNoteId,
    InvoiceId,
    ManagerId,
    MembershipId,
    Money,
    PaymentId,
    Percentage,
    ProductId,
    ProgrammeId,
    ProposalId,
    Rate,
)
from kamcore.loyalty import (
    CategoryMultiplier,
    EarnRules,
    EarnTrigger,
    EntryKind,
    Membership,
    Programme,
    ReservationStatus,
    Tier,
    TierBenefits,
    TierOverride,
)
from kamcore.ports import Recipient, RecipientKind
from kamcore.proposals import (
    Proposal,
    ProposalPurpose,
    ProposalRevision,
    ProposalStatus,
)
from kamcore.services import (
    end_tier_override,
    enrol,
    override_tier,
    post_invoice,
    redeem_at_invoicing,
    release_points,
    reserve_points,
    run_loyalty_day,
    tier_report,
    what_to_spend,
)

ACME, GLOBEX = ClientId("acme"), ClientId("globex")
ROSSI = ManagerId("m.rossi")
PARTNER = ProgrammeId("partner")
MEMBERSHIP = MembershipId("membership-000001")
LOCALES: dict[str, str] = {ROSSI: "en_GB"}
ENROLLED = dt.date(2026, 1, 5)


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def morning(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8, 0), tzinfo=dt.UTC)


def partner(**changes: Any) -> Programme:
    """A point per euro, pumps earn double; Gold from 10,000.00 EUR over a
    rolling 12 months; points live 24 months and are worth 0.01 EUR each."""
    programme = Programme(
        id=PARTNER,
        name="Partner programme",
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
                code="gold",
                name="Gold",
                threshold=eur("10000"),
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
    return attrs.evolve(programme, **changes)


@attrs.define
class World:
    uow: InMemoryUnitOfWork
    clock: FixedClock
    notifier: RecordingNotifier
    ids: SequentialIdSource

    def on(self, day: dt.date) -> None:
        self.clock.set(morning(day))

    def issue(
        self,
        id: str,  # noqa: A002
        day: dt.date,
        *lines: tuple[str, str, str],
        client: ClientId = ACME,
    ) -> Invoice:
        with self.uow:
            invoice = self.uow.invoices.add(
                Invoice(
                    id=InvoiceId(id),
                    client=client,
                    issue_date=day,
                    due_date=day + dt.timedelta(days=30),
                    currency="EUR",
                    lines=tuple(
                        LineItem(
                            product=ProductId(product),
                            quantity=Decimal(quantity),
                            unit_price=eur(price),
                        )
                        for product, quantity, price in lines
                    ),
                )
            )
            self.uow.commit()
        return invoice

    def change_invoice(self, id: str, change: Any) -> None:  # noqa: A002
        with self.uow:
            self.uow.invoices.save(change(self.uow.invoices.get(InvoiceId(id))))
            self.uow.commit()

    def post(self, id: str) -> Any:  # noqa: A002
        return post_invoice(
            self.uow, self.notifier, self.clock, invoice=InvoiceId(id), locales=LOCALES
        )

    def membership(self) -> Membership:
        with self.uow:
            return self.uow.memberships.get(MEMBERSHIP)

    def invoice(self, id: str) -> Invoice:  # noqa: A002
        with self.uow:
            return self.uow.invoices.get(InvoiceId(id))


def make_world(programme: Programme) -> World:
    world = World(
        uow=InMemoryUnitOfWork(InMemoryStore()),
        clock=FixedClock(morning(ENROLLED)),
        notifier=RecordingNotifier(),
        ids=SequentialIdSource(),
    )
    with world.uow:
        world.uow.clients.add(
            Client(
                id=ACME,
                name="ACME Industrie GmbH",
                currency="EUR",
                locale="de_DE",
                key_account=True,
                account_manager=ROSSI,
            )
        )
        world.uow.clients.add(
            Client(id=GLOBEX, name="Globex", currency="EUR", locale="en_US")
        )
        for product, category in (("pump", "pumps"), ("seal", "seals")):
            world.uow.products.add(
                Product(
                    id=ProductId(product),
                    name=product.title(),
                    category=CategoryId(category),
                    unit="pc",
                )
            )
        world.uow.programmes.add(programme)
        world.uow.commit()
    enrol(world.uow, world.ids, world.clock, client=ACME, programme=PARTNER)
    return world


@pytest.fixture
def world() -> World:
    return make_world(partner())


FEB_2, MAR_2 = dt.date(2026, 2, 2), dt.date(2026, 3, 2)


def first_invoice(world: World) -> None:
    """3,123.45 EUR on February 2: two pumps (double points) and ten seals."""
    world.issue("i-1", FEB_2, ("pump", "2", "1500.00"), ("seal", "10", "12.345"))
    world.on(FEB_2)
    world.post("i-1")


# -- enrolment ----------------------------------------------------------------
def test_enrolling_records_the_membership_on_the_client(world: World) -> None:
    with world.uow:
        assert world.uow.clients.get(ACME).membership == MEMBERSHIP
    membership = world.membership()
    assert (membership.client, membership.programme, membership.enrolled_on) == (
        ACME,
        PARTNER,
        ENROLLED,
    )
    again = enrol(world.uow, world.ids, world.clock, client=ACME, programme=PARTNER)
    assert again == membership


def test_a_member_cannot_join_a_second_programme(world: World) -> None:
    with world.uow:
        world.uow.programmes.add(attrs.evolve(partner(), id=ProgrammeId("other")))
        world.uow.commit()
    with pytest.raises(ValidationError, match="already a member of programme"):
        enrol(
            world.uow,
            world.ids,
            world.clock,
            client=ACME,
            programme=ProgrammeId("other"),
        )


def test_a_programme_in_another_currency_is_refused(world: World) -> None:
    with world.uow:
        world.uow.clients.add(
            Client(
                id=ClientId("initech"), name="Initech", currency="USD", locale="en_US"
            )
        )
        world.uow.commit()
    with pytest.raises(CurrencyMismatchError):
        enrol(
            world.uow,
            world.ids,
            world.clock,
            client=ClientId("initech"),
            programme=PARTNER,
        )


# -- earning ------------------------------------------------------------------
def test_posting_an_invoice_earns_by_category_rounding_down(world: World) -> None:
    first_invoice(world)
    membership = world.membership()
    assert [(e.key, e.points, e.exact, e.spend) for e in membership.entries] == [
        ("earn:invoice:i-1:line:0", Decimal(6000), Decimal("6000.00"), eur("3000.00")),
        ("earn:invoice:i-1:line:1", Decimal(123), Decimal("123.45"), eur("123.45")),
    ]
    assert (membership.balance(), membership.carried()) == (
        Decimal(6123),
        Decimal("0.45"),
    )
    assert world.notifier.sent == []


def test_posting_the_same_invoice_again_changes_nothing(world: World) -> None:
    first_invoice(world)
    before = world.membership()
    update = world.post("i-1")
    assert (update.entries, update.sent, update.changed) == ((), (), False)
    assert world.membership() == before  # not even the version moved


def test_a_client_without_membership_earns_nothing(world: World) -> None:
    world.issue("g-1", FEB_2, ("pump", "1", "10.00"), client=GLOBEX)
    update = world.post("g-1")
    assert (update.membership, update.entries) == (None, ())


def test_an_upgrade_is_told_once_to_the_client_and_the_manager(world: World) -> None:
    first_invoice(world)
    world.issue("i-2", MAR_2, ("pump", "5", "1500.00"))
    world.on(MAR_2)
    update = world.post("i-2")
    client, manager = update.sent
    assert client.recipient == Recipient(kind=RecipientKind.CLIENT, id=ACME)
    assert (client.kind, client.key, client.locale) == (
        "loyalty_upgrade",
        "loyalty_upgrade:membership-000001:gold:2026-01-05:client",
        "de_DE",
    )
    assert client.subject == (
        "Willkommen in der Stufe Gold: Ihre Vorteile sind freigeschaltet"
    )
    assert client.body == (
        "Mit 10.623,45\xa0€ anrechenbarem Umsatz hat ACME Industrie GmbH am "
        "2. März 2026 die Stufe Gold erreicht. Ihre Vorteile: 5 % off every order, "
        "points x1.5."
    )
    assert manager.recipient == Recipient(kind=RecipientKind.MANAGER, id=ROSSI)
    assert (manager.key, manager.locale) == (
        "loyalty_upgrade:membership-000001:gold:2026-01-05:manager",
        "en_GB",
    )
    assert manager.subject == "ACME Industrie GmbH reached Gold"
    assert manager.body == (
        "ACME Industrie GmbH reached the Gold tier on 2 March 2026 with €10,623.45 "
        "of qualifying spend (threshold €10,000.00). Benefits unlocked: 5 % off "
        "every order, points x1.5."
    )
    assert client.data()["spend"] == "10623.45 EUR"
    assert world.notifier.sent == [client, manager]

    # Re-posting, and a later invoice in the same period, tell nobody again.
    assert world.post("i-2").sent == ()
    world.issue("i-3", dt.date(2026, 3, 20), ("seal", "100", "10.00"))
    world.on(dt.date(2026, 3, 20))
    later = world.post("i-3")
    assert later.sent == ()
    assert [e.points for e in later.entries] == [Decimal(1500)]  # Gold earns x1.5
    assert len(world.notifier.sent) == 2


def test_a_paid_invoice_confirms_its_pending_points(world: World) -> None:
    world = make_world(partner(earn_on=EarnTrigger.PAYMENT))
    world.issue("i-1", FEB_2, ("seal", "1", "250.00"))
    world.on(FEB_2)
    world.post("i-1")
    assert (world.membership().pending(), world.membership().balance()) == (
        Decimal(250),
        Decimal(0),
    )
    world.change_invoice(
        "i-1",
        lambda i: i.with_payment(
            Payment(
                id=PaymentId("pay-1"), received_on=dt.date(2026, 2, 20), amount=i.total
            )
        ),
    )
    world.on(dt.date(2026, 2, 21))
    update = world.post("i-1")
    assert [(e.kind, e.points, e.on) for e in update.entries] == [
        (EntryKind.PENDING, Decimal(-250), dt.date(2026, 2, 20)),
        (EntryKind.EARN, Decimal(250), dt.date(2026, 2, 20)),
    ]
    assert world.post("i-1").entries == ()


def test_a_credit_note_before_payment_reduces_the_pending_points() -> None:
    world = make_world(partner(earn_on=EarnTrigger.PAYMENT))
    world.issue("i-1", FEB_2, ("seal", "1", "250.00"))
    world.on(FEB_2)
    world.post("i-1")
    world.change_invoice(
        "i-1",
        lambda i: i.with_credit_note(
            CreditNote(
                id=CreditNoteId("cn-1"),
                issued_on=dt.date(2026, 2, 9),
                amount=eur("50.00"),
                reason="damaged",
            )
        ),
    )
    world.post("i-1")
    assert world.membership().pending() == Decimal(200)
    world.change_invoice(
        "i-1",
        lambda i: i.with_payment(
            Payment(
                id=PaymentId("pay-1"),
                received_on=dt.date(2026, 2, 20),
                amount=eur("200.00"),
            )
        ),
    )
    world.post("i-1")
    membership = world.membership()
    assert (membership.pending(), membership.balance()) == (Decimal(0), Decimal(200))
    assert membership.spend_between(None, dt.date(2026, 12, 31), "EUR") == eur("200.00")


def test_a_credit_note_reverses_its_share_once(world: World) -> None:
    world.issue("i-1", FEB_2, ("pump", "1", "1000.00"))
    world.on(FEB_2)
    world.post("i-1")
    world.change_invoice(
        "i-1",
        lambda i: i.with_credit_note(
            CreditNote(
                id=CreditNoteId("cn-1"),
                issued_on=dt.date(2026, 2, 9),
                amount=eur("250.00"),
                reason="one unit returned",
            )
        ),
    )
    world.on(dt.date(2026, 2, 9))
    update = world.post("i-1")
    [reversal] = update.entries
    assert (reversal.kind, reversal.points, reversal.spend) == (
        EntryKind.REVERSE,
        Decimal(-500),
        eur("-250.00"),
    )
    assert world.post("i-1").entries == ()
    assert world.membership().balance() == Decimal(1500)


# -- tiers --------------------------------------------------------------------
def test_what_to_spend_to_reach_gold_by_the_period_end(world: World) -> None:
    first_invoice(world)
    assert what_to_spend(world.uow, world.clock, client=ACME, tier="gold") == eur(
        "6876.55"
    )
    report = tier_report(world.uow, world.clock, client=ACME)
    assert (report.standing.tier.code, report.standing.spend) == (
        "member",
        eur("3123.45"),
    )
    assert report.target("gold").needed == eur("6876.55")
    assert report.target("gold").by == dt.date(2027, 1, 4)
    assert (report.balance, report.redeemable_value) == (Decimal(6123), eur("61.23"))


def test_the_tier_on_a_past_date(world: World) -> None:
    first_invoice(world)
    world.issue("i-2", MAR_2, ("pump", "5", "1500.00"))
    world.on(MAR_2)
    world.post("i-2")
    before = tier_report(world.uow, world.clock, client=ACME, as_of=dt.date(2026, 3, 1))
    assert (before.standing.tier.code, before.balance) == ("member", Decimal(6123))
    assert tier_report(world.uow, world.clock, client=ACME).standing.tier.code == "gold"


def test_the_account_manager_overrides_a_tier(world: World) -> None:
    world.on(FEB_2)
    override_tier(
        world.uow,
        world.clock,
        client=ACME,
        tier="gold",
        reason="framework agreement signed",
        by=ROSSI,
        ends_on=dt.date(2026, 6, 30),
    )
    standing = tier_report(world.uow, world.clock, client=ACME).standing
    assert (standing.tier.code, standing.held.code, standing.overridden) == (
        "gold",
        "member",
        True,
    )
    world.issue("i-1", FEB_2, ("seal", "1", "100.00"))
    assert [e.points for e in world.post("i-1").entries] == [Decimal(150)]
    after = tier_report(world.uow, world.clock, client=ACME, as_of=dt.date(2026, 7, 1))
    assert after.standing.tier.code == "member"


def test_only_the_clients_manager_overrides_its_tier(world: World) -> None:
    with pytest.raises(PolicyViolationError, match=r"'j\.smith' is not the account"):
        override_tier(
            world.uow,
            world.clock,
            client=ACME,
            tier="gold",
            reason="asked nicely",
            by=ManagerId("j.smith"),
            ends_on=dt.date(2026, 6, 30),
        )
    with pytest.raises(ValidationError, match="no tier 'platinum'"):
        override_tier(
            world.uow,
            world.clock,
            client=ACME,
            tier="platinum",
            reason="typo",
            by=ROSSI,
            ends_on=dt.date(2026, 6, 30),
        )


def with_platinum() -> Programme:
    """The partner programme with a third tier: Platinum, points x2."""
    platinum = Tier(
        code="platinum",
        name="Platinum",
        threshold=eur("50000"),
        benefits=TierBenefits(description="points x2", earn_multiplier=Rate(2)),
    )
    return partner(tiers=(*partner().tiers, platinum))


def set_tier(
    world: World, tier: str, ends_on: dt.date, *, by: ManagerId = ROSSI, **more: Any
) -> Membership:
    return override_tier(
        world.uow,
        world.clock,
        client=ACME,
        tier=tier,
        reason=f"{tier} by hand",
        by=by,
        ends_on=ends_on,
        **more,
    )


def end_tier(world: World, *, by: ManagerId = ROSSI) -> Membership:
    return end_tier_override(
        world.uow, world.clock, client=ACME, by=by, reason="agreement cancelled"
    )


def tier_then(world: World, day: dt.date) -> tuple[str, str, bool]:
    standing = tier_report(world.uow, world.clock, client=ACME, as_of=day).standing
    return (standing.tier.code, standing.held.code, standing.overridden)


JAN_15, MAR_31, JUN_30 = (
    dt.date(2026, 1, 15),
    dt.date(2026, 3, 31),
    dt.date(2026, 6, 30),
)


def test_a_second_override_leaves_the_first_ones_days_as_they_were() -> None:
    world = make_world(with_platinum())
    set_tier(world, "gold", MAR_31)  # on January 5, the enrolment day
    before = tier_then(world, JAN_15)
    world.on(FEB_2)
    stored = set_tier(world, "platinum", JUN_30)
    assert before == ("gold", "member", True)
    assert tier_then(world, JAN_15) == ("gold", "member", True)
    assert tier_then(world, FEB_2) == ("platinum", "member", True)
    assert [(o.tier, o.set_on, o.starts_on, o.ends_on) for o in stored.overrides] == [
        ("gold", ENROLLED, ENROLLED, MAR_31),
        ("platinum", FEB_2, FEB_2, JUN_30),
    ]
    # An invoice of January 15 posted in February earns at January's Gold x1.5.
    world.issue("i-1", JAN_15, ("seal", "1", "100.00"))
    assert [e.points for e in world.post("i-1").entries] == [Decimal(150)]


def test_the_override_set_last_wins_on_the_days_both_cover() -> None:
    world = make_world(with_platinum())
    world.on(FEB_2)
    set_tier(world, "platinum", JUN_30, starts_on=dt.date(2026, 3, 1))
    world.on(dt.date(2026, 2, 10))
    set_tier(world, "gold", MAR_31)
    assert tier_then(world, dt.date(2026, 2, 9))[0] == "member"
    assert tier_then(world, dt.date(2026, 3, 15))[0] == "gold"
    assert tier_then(world, MAR_31)[0] == "gold"
    assert tier_then(world, dt.date(2026, 4, 1))[0] == "platinum"
    assert tier_then(world, dt.date(2026, 7, 1)) == ("member", "member", False)


def test_the_account_manager_ends_an_override_early(world: World) -> None:
    world.on(FEB_2)
    set_tier(world, "gold", JUN_30)
    world.on(MAR_2)
    stored = end_tier(world)
    assert stored.overrides[-1] == TierOverride(
        tier=None,
        reason="agreement cancelled",
        by=ROSSI,
        starts_on=MAR_2,
        ends_on=JUN_30,
        set_on=MAR_2,
    )
    assert len(stored.overrides) == 2
    assert world.membership() == stored
    assert tier_then(world, dt.date(2026, 3, 1)) == ("gold", "member", True)
    assert tier_then(world, MAR_2) == ("member", "member", False)
    assert tier_then(world, JUN_30) == ("member", "member", False)


def test_ending_without_an_override_in_effect_is_refused(world: World) -> None:
    world.on(FEB_2)
    set_tier(world, "gold", dt.date(2026, 2, 28))
    world.on(MAR_2)
    before = world.membership()
    with pytest.raises(InvalidTransitionError) as caught:
        end_tier(world)
    assert (caught.value.entity, caught.value.id) == ("Membership", MEMBERSHIP)
    assert caught.value.current == "no tier override in effect on 2026-03-02"
    assert world.membership() == before


def test_an_override_starting_before_today_is_refused(world: World) -> None:
    world.on(FEB_2)
    before = world.membership()
    with pytest.raises(ValidationError) as caught:
        set_tier(world, "gold", JUN_30, starts_on=dt.date(2026, 2, 1))
    assert caught.value.errors == (
        FieldError(
            "starts_on",
            "2026-02-01 is before the day the override is set (2026-02-02): "
            "an override never applies retroactively",
            dt.date(2026, 2, 1),
        ),
    )
    assert world.membership() == before
    assert before.overrides == ()


def test_only_the_clients_manager_sets_or_ends_an_override_and_nothing_is_written(
    world: World,
) -> None:
    smith = ManagerId("j.smith")
    world.on(FEB_2)
    with pytest.raises(PolicyViolationError) as caught:
        set_tier(world, "gold", JUN_30, by=smith)
    assert (caught.value.policy, caught.value.value) == ("tier override", smith)
    assert world.membership().overrides == ()
    set_tier(world, "gold", JUN_30)
    before = world.membership()
    world.on(MAR_2)
    with pytest.raises(PolicyViolationError, match=r"'j\.smith' is not the account"):
        end_tier(world, by=smith)
    assert world.membership() == before
    assert tier_then(world, MAR_2) == ("gold", "member", True)


# -- the daily run ------------------------------------------------------------
def test_the_daily_run_warns_of_a_downgrade_once(world: World) -> None:
    first_invoice(world)
    world.issue("i-2", MAR_2, ("pump", "5", "1500.00"))
    world.on(MAR_2)
    world.post("i-2")
    world.notifier.clear()
    world.on(dt.date(2027, 12, 4))
    assert run_loyalty_day(world.uow, world.notifier, world.clock).sent == ()
    world.on(dt.date(2027, 12, 5))  # 30 days before the period ends on Jan 4
    run = run_loyalty_day(world.uow, world.notifier, world.clock, locales=LOCALES)
    client, manager = run.sent
    assert client.subject == (
        "Behalten Sie Ihre Stufe Gold: noch 10.000,00\xa0€ bis zum 4. Januar 2028"
    )
    assert client.body == (
        "ACME Industrie GmbH hat bisher 0,00\xa0€ anrechenbaren Umsatz erzielt. Um "
        "die Stufe Gold im nächsten Zeitraum zu behalten, sind bis zum "
        "4. Januar 2028 weitere 10.000,00\xa0€ erforderlich."
    )
    assert manager.subject == "ACME Industrie GmbH may lose Gold"
    assert manager.body == (
        "ACME Industrie GmbH needs a further €10,000.00 of qualifying spend by "
        "4 January 2028 to keep the Gold tier; otherwise it moves down on "
        "5 January 2028. Qualifying spend so far: €0.00."
    )
    assert run_loyalty_day(world.uow, world.notifier, world.clock).sent == ()


def test_the_expiry_run_warns_once_then_expires_once(world: World) -> None:
    first_invoice(world)
    world.on(dt.date(2028, 1, 5))  # lot 1 and 2 expire on 2028-02-02
    warned = run_loyalty_day(world.uow, world.notifier, world.clock, locales=LOCALES)
    assert [(m.recipient.kind, m.subject) for m in warned.sent] == [
        (RecipientKind.CLIENT, "6.000 Treuepunkte verfallen am 2. Februar 2028"),
        (
            RecipientKind.MANAGER,
            "ACME Industrie GmbH: 6,000 loyalty points expire on 2 February 2028",
        ),
        (RecipientKind.CLIENT, "123 Treuepunkte verfallen am 2. Februar 2028"),
        (
            RecipientKind.MANAGER,
            "ACME Industrie GmbH: 123 loyalty points expire on 2 February 2028",
        ),
    ]
    assert warned.sent[0].body == (
        "6.000 Punkte von ACME Industrie GmbH, gesammelt am 2. Februar 2026, "
        "verfallen am 2. Februar 2028. Werden sie bis dahin auf einer Rechnung "
        "eingelöst, sind sie 60,00\xa0€ wert."
    )
    assert warned.expired == ()
    again = run_loyalty_day(world.uow, world.notifier, world.clock)
    assert (again.updates, again.sent) == ((), ())

    world.on(dt.date(2028, 2, 3))  # a day late: the expiry is dated on the day
    expired = run_loyalty_day(world.uow, world.notifier, world.clock)
    assert [(e.kind, e.points, e.on) for e in expired.expired] == [
        (EntryKind.EXPIRE, Decimal(-6000), dt.date(2028, 2, 2)),
        (EntryKind.EXPIRE, Decimal(-123), dt.date(2028, 2, 2)),
    ]
    assert expired.sent == ()
    assert run_loyalty_day(world.uow, world.notifier, world.clock).expired == ()
    assert world.membership().balance() == Decimal(0)
    assert len(world.notifier.sent) == 4


def test_an_unknown_locale_is_refused_before_anything_runs(world: World) -> None:
    with pytest.raises(ValidationError, match="default_locale"):
        run_loyalty_day(world.uow, world.notifier, world.clock, default_locale="xx_YY")


# -- redemption at invoicing --------------------------------------------------
def proposal(total: str = "1000.00") -> Proposal:
    return Proposal(
        id=ProposalId("pr-1"),
        client=ACME,
        purpose=ProposalPurpose.EXPANSION,
        currency="EUR",
        revisions=(
            ProposalRevision(
                number=1,
                lines=(
                    LineItem(
                        product=ProductId("seal"),
                        quantity=Decimal(100),
                        unit_price=eur("10.00"),
                    ),
                ),
                pricing_date=MAR_2,
                note="first offer",
                recorded_at=morning(MAR_2),
                recorded_by=ROSSI,
            ),
        ),
        status=ProposalStatus.SENT,
    )


def test_reserved_points_are_committed_at_the_locked_rate(world: World) -> None:
    first_invoice(world)  # 6,123 points
    with world.uow:
        world.uow.proposals.add(proposal())
        world.uow.commit()
    world.on(MAR_2)
    reservation = reserve_points(
        world.uow, world.clock, proposal=ProposalId("pr-1"), points=Decimal(5000)
    )
    assert (reservation.rate, reservation.status) == (
        eur("0.01"),
        ReservationStatus.HELD,
    )
    with world.uow:
        world.uow.programmes.save(
            attrs.evolve(world.uow.programmes.get(PARTNER), redemption_rate=eur("0.02"))
        )
        world.uow.commit()
    world.issue("i-2", dt.date(2026, 3, 10), ("seal", "100", "10.00"))
    invoice, membership = redeem_at_invoicing(
        world.uow, world.clock, invoice=InvoiceId("i-2"), proposal=ProposalId("pr-1")
    )
    assert (invoice.lines_total, invoice.redeemed, invoice.total) == (
        eur("1000.00"),
        eur("50.00"),
        eur("950.00"),
    )
    assert (membership.balance(), membership.held()) == (Decimal(1123), Decimal(0))
    assert membership.reservations[0].invoice == InvoiceId("i-2")
    # The invoice earns on the 950.00 EUR invoiced in money.
    world.on(dt.date(2026, 3, 10))
    assert [e.points for e in world.post("i-2").entries] == [Decimal(950)]


def test_released_points_are_available_again(world: World) -> None:
    first_invoice(world)
    with world.uow:
        world.uow.proposals.add(proposal())
        world.uow.commit()
    reserve_points(
        world.uow, world.clock, proposal=ProposalId("pr-1"), points=Decimal(6000)
    )
    assert tier_report(world.uow, world.clock, client=ACME).redeemable == Decimal(123)
    released = release_points(world.uow, proposal=ProposalId("pr-1"))
    assert released.status is ReservationStatus.RELEASED
    assert tier_report(world.uow, world.clock, client=ACME).redeemable == Decimal(6123)


def test_a_refused_redemption_writes_nothing(world: World) -> None:
    first_invoice(world)  # 6,123 points
    world.issue("i-2", MAR_2, ("seal", "100", "10.00"))
    before = (world.membership(), world.invoice("i-2"))
    with pytest.raises(PolicyViolationError, match="more than the programme's"):
        redeem_at_invoicing(
            world.uow, world.clock, invoice=InvoiceId("i-2"), points=Decimal(20001)
        )
    with pytest.raises(PolicyViolationError, match="6124 points asked, 6123"):
        redeem_at_invoicing(
            world.uow, world.clock, invoice=InvoiceId("i-2"), points=Decimal(6124)
        )
    assert (world.membership(), world.invoice("i-2")) == before


def test_redeeming_the_same_points_again_changes_nothing(world: World) -> None:
    first_invoice(world)
    world.issue("i-2", MAR_2, ("seal", "100", "10.00"))
    first = redeem_at_invoicing(
        world.uow, world.clock, invoice=InvoiceId("i-2"), points=Decimal(2000)
    )
    assert first[0].total == eur("980.00")
    again = redeem_at_invoicing(
        world.uow, world.clock, invoice=InvoiceId("i-2"), points=Decimal(2000)
    )
    assert again == first
    assert (world.membership(), world.invoice("i-2")) == (first[1], first[0])


def test_reserving_for_a_client_without_membership_is_not_found(world: World) -> None:
    with world.uow:
        world.uow.proposals.add(attrs.evolve(proposal(), client=GLOBEX))
        world.uow.commit()
    with pytest.raises(NotFoundError) as error:
        reserve_points(
            world.uow, world.clock, proposal=ProposalId("pr-1"), points=Decimal(1)
        )
    assert (error.value.entity, error.value.ids) == (
        "Loyalty membership of client",
        (GLOBEX,),
    )
