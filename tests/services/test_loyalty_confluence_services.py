"""Confluence through the ports: invoices posted out of date order, and tier
overrides set after an invoice of their first day, leave the points that
posting everything in date order would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from test_loyalty_services import ACME, FEB_2, MAR_2, ROSSI, World, make_world, partner

from kamcore.kernel import InvoiceId
from kamcore.loyalty import EntryKind
from kamcore.services import end_tier_override, override_tier, tier_report

FEB_10 = dt.date(2026, 2, 10)


def test_an_invoice_posted_late_corrects_the_points_of_a_later_one() -> None:
    world = make_world(partner())
    world.issue("i-a", FEB_2, ("seal", "1", "10000.00"))  # reaches Gold
    world.issue("i-b", MAR_2, ("seal", "1", "1000.00"))
    world.on(MAR_2)
    assert [e.points for e in world.post("i-b").entries] == [Decimal(1000)]
    update = world.post("i-a")
    assert [(e.kind, e.points, e.on, e.source.id) for e in update.entries] == [
        (EntryKind.EARN, Decimal(10000), FEB_2, "i-a"),
        (EntryKind.CORRECT, Decimal(500), MAR_2, "i-b"),
    ]
    assert world.membership().balance() == Decimal(11500)
    assert world.post("i-a").entries == ()
    assert world.post("i-b").entries == ()


def gold_from_today(world: World) -> None:
    override_tier(
        world.uow,
        world.clock,
        client=ACME,
        tier="gold",
        reason="framework agreement signed",
        by=ROSSI,
        ends_on=dt.date(2026, 6, 30),
    )


def test_an_override_corrects_the_points_earned_on_its_first_day() -> None:
    world = make_world(partner())
    world.issue("i-1", FEB_10, ("seal", "1", "100.00"))
    world.on(FEB_10)
    world.post("i-1")  # 100 points, as a member
    gold_from_today(world)
    membership = world.membership()
    correction = membership.entries[-1]
    assert (correction.kind, correction.points, correction.on) == (
        EntryKind.CORRECT,
        Decimal(50),
        FEB_10,
    )
    assert membership.balance() == Decimal(150)


def test_ending_an_override_corrects_the_points_earned_on_its_last_days() -> None:
    world = make_world(partner())
    world.on(FEB_2)
    gold_from_today(world)
    world.issue("i-1", FEB_10, ("seal", "1", "100.00"))
    world.on(FEB_10)
    world.post("i-1")  # 150 points, as Gold by hand
    end_tier_override(
        world.uow, world.clock, client=ACME, by=ROSSI, reason="agreement cancelled"
    )
    membership = world.membership()
    assert [(e.kind, e.points, e.on) for e in membership.entries[-1:]] == [
        (EntryKind.CORRECT, Decimal(-50), FEB_10)
    ]
    assert tier_report(world.uow, world.clock, client=ACME).balance == Decimal(100)
    assert world.post(str(InvoiceId("i-1"))).entries == ()
