"""``kamcore loyalty``: members, tiers, points and what to spend."""

from __future__ import annotations

from pathlib import Path

from cli.cli_support import AS_OF, run_main


def test_every_member_with_tier_points_and_targets(demo_db: Path) -> None:
    code, out, err = run_main("loyalty", "--db", demo_db, "--as-of", AS_OF)
    assert code == 0, err
    assert out.splitlines() == [
        "ACME Industrial GmbH (acme), Valvetta Partner: Silver",
        "  qualifying spend €58,474.30 on 23 Nov 2026; the period ends 28 Feb 2027",
        "  points: 92,974 usable, 0 pending, 0 reserved; redeemable now 92,974 "
        "(€929.74)",
        "  €16,525.70 more to reach Gold now",
        "  to hold Silver next period: secured",
        "  to hold Gold next period: spend €16,525.70 by 28 Feb 2027",
        "Lumen Logistics BV (lumen), Valvetta Partner: Member",
        "  qualifying spend €23,749.20 on 23 Nov 2026; the period ends 28 Feb 2027",
        "  points: 38,101 usable, 0 pending, 0 reserved; redeemable now 38,101 "
        "(€381.01)",
        "  €1,250.80 more to reach Silver now",
        "  to hold Silver next period: spend €1,250.80 by 28 Feb 2027",
        "  to hold Gold next period: spend €51,250.80 by 28 Feb 2027",
    ]


def test_one_client_and_a_past_date(demo_db: Path) -> None:
    code, out, _ = run_main(
        "loyalty", "--db", demo_db, "--client", "acme", "--as-of", "2026-05-31"
    )
    assert code == 0
    assert out.splitlines()[:2] == [
        "ACME Industrial GmbH (acme), Valvetta Partner: Member",
        "  qualifying spend €20,655.10 on 31 May 2026; the period ends 28 Feb 2027",
    ]


def test_a_client_outside_the_programme_is_not_found(demo_db: Path) -> None:
    assert run_main("loyalty", "--db", demo_db, "--client", "borealis") == (
        4,
        "",
        "kamcore loyalty: client 'borealis' is not a loyalty member\n",
    )
