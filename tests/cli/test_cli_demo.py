"""``kamcore demo``: a fresh portfolio, and the weekly routine run on it."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from cli.cli_support import AS_OF, DemoRun, row_counts, run_main

PYTHON = shlex.quote(sys.executable)


def test_demo_builds_a_portfolio_and_prints_the_weekly_routine(
    demo_run: DemoRun,
) -> None:
    database = demo_run.database
    assert (demo_run.code, demo_run.err) == (0, "")
    lines = demo_run.out.splitlines()
    assert (
        lines[0]
        == f"Demo portfolio of Valvetta (valves and pumps) in sqlite:///{database}"
    )
    assert lines[2:4] == [
        "Renewal scheduler, 23 Nov 2026: 1 alert raised",
        "  K-ACME-SUPPLY ACME Industrial GmbH: renewal alert, term ends 20 Jan 2027 "
        "(in 58 days), to m.rossi",
    ]
    for expected in (
        "Daily overdue check, Monday, 23 November 2026",
        "Monday portfolio health check, all key accounts, 23 Nov 2026",
        "  Borealis Energi AB: €3,392.43 -> €2,222.80 (-34.48%)",
        "Account retention rate, 24 Nov 2025 to 23 Nov 2026 (as of 23 Nov 2026): "
        "50% (1 of 2 accounts renewed)",
        "  K-BOREALIS-SERVICE Valve service agreement (Borealis Energi AB): "
        "lapsed on 9 Oct 2026, €64,000.00 per term",
        "  Lumen Logistics BV: €368.00 on 4 invoices",
        "  €16,525.70 more to reach Gold now",
        f"  {PYTHON} -m kamcore report --db {database} --as-of {AS_OF} "
        "--manager m.rossi",
    ):
        assert expected in lines
    counts = row_counts(database)
    # Two renewal alerts, and two late ones: the demo's first scheduler run
    # found a lapsed and a renewed term that no run had told of.
    assert (counts["clients"], counts["invoices"], counts["renewal_alerts"]) == (
        6,
        104,
        4,
    )


def test_demo_refuses_an_existing_file(tmp_path: Path) -> None:
    taken = tmp_path / "taken.db"
    taken.write_text("")
    code, out, err = run_main("demo", "--db", taken)
    assert (code, out) == (3, "")
    assert err == (
        f"kamcore demo: {taken} already exists: the demo builds a new portfolio, "
        "give the path of a new file\n"
    )


def test_demo_refuses_a_database_that_holds_a_portfolio(demo_db: Path) -> None:
    code, _, err = run_main("demo", "--db", f"sqlite:///{demo_db}", "--as-of", AS_OF)
    assert code == 3
    assert err == (
        f"kamcore demo: sqlite:///{demo_db} already holds a portfolio: "
        "give a new database\n"
    )


def test_demo_by_default_keeps_a_fresh_file_in_a_temporary_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    code, out, _ = run_main("demo", "--as-of", AS_OF, "--locale", "de_DE")
    assert code == 0
    [made] = tmp_path.glob("kamcore-demo-*/portfolio.db")
    assert out.splitlines()[0].endswith(f"sqlite:///{made}")
    assert "  Borealis Energi AB: 3.392,43\xa0€ -> 2.222,80\xa0€ (-34,48\xa0%)" in out
    commands = _explore(out.splitlines(), heading="Weitere Auswertungen:")
    assert commands[-1] == (
        f"{PYTHON} -m kamcore loyalty --db {made} --as-of {AS_OF} --locale de_DE"
    )
    _run_each_in_this_process(commands)


def _demo_in(folder: Path, *program: str) -> list[str]:
    """The demo's output lines, run by ``program`` in ``folder``, as from a
    shell there."""
    result = subprocess.run(  # noqa: S603 - this interpreter, our own package
        [*program, "demo", "--db", "portfolio.db", "--as-of", AS_OF],
        capture_output=True,
        text=True,
        check=False,
        cwd=folder,
        timeout=300,
    )
    assert (result.returncode, result.stderr) == (0, "")
    return result.stdout.splitlines()


def _explore(lines: list[str], *, heading: str = "Explore it further:") -> list[str]:
    """The commands listed under ``heading``, the demo's last section."""
    start = lines.index(heading)
    return [line.strip() for line in lines[start + 1 :]]


def _run_each(commands: list[str], folder: Path) -> None:
    for command in commands:
        done = subprocess.run(  # noqa: S602 - the demo's own commands, as a user types them
            command,
            shell=True,
            capture_output=True,
            text=True,
            check=False,
            cwd=folder,
            timeout=300,
        )
        assert (command, done.returncode, done.stderr) == (command, 0, "")


def _run_each_in_this_process(commands: list[str]) -> None:
    """Each command split as the shell splits it, its arguments run by
    :func:`kamcore.cli.main` (the shell runs the printed commands themselves in
    the two tests below)."""
    for command in commands:
        words = shlex.split(command)
        assert words[:3] == [sys.executable, "-m", "kamcore"], command
        code, _, err = run_main(*words[3:])
        assert (command, code, err) == (command, 0, "")


def test_the_explore_commands_run_as_printed(tmp_path: Path) -> None:
    commands = _explore(_demo_in(tmp_path, sys.executable, "-m", "kamcore"))
    assert commands == [
        f"{PYTHON} -m kamcore report --db portfolio.db --as-of {AS_OF} "
        "--manager m.rossi",
        f"{PYTHON} -m kamcore report --db portfolio.db --as-of {AS_OF} --format json",
        f"{PYTHON} -m kamcore report --db portfolio.db --as-of {AS_OF} "
        "--decline-basis invoiced",
        f"{PYTHON} -m kamcore price acme valve-dn50 40 --db portfolio.db --on {AS_OF}",
        f"{PYTHON} -m kamcore loyalty --db portfolio.db --as-of {AS_OF}",
    ]
    _run_each(commands, tmp_path)


def test_after_the_quick_start_the_commands_name_the_venv_script(
    tmp_path: Path,
) -> None:
    # The README's Quick start runs `.venv/bin/kamcore demo` from the clone:
    # the commands it prints must run from there, without an activated venv.
    script = Path(sys.executable).parent / "kamcore"
    if not script.exists():
        pytest.skip("no kamcore console script beside this interpreter")
    venv = tmp_path / ".venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "kamcore").symlink_to(script)
    commands = _explore(_demo_in(tmp_path, ".venv/bin/kamcore"))
    assert [command.split(" ", 2)[:2] for command in commands] == [
        [".venv/bin/kamcore", "report"],
        [".venv/bin/kamcore", "report"],
        [".venv/bin/kamcore", "report"],
        [".venv/bin/kamcore", "price"],
        [".venv/bin/kamcore", "loyalty"],
    ]
    _run_each(commands, tmp_path)


def test_the_demo_reads_for_an_account_manager(demo_run: DemoRun) -> None:
    lines = demo_run.out.splitlines()
    # No internal keys such as "renewal:K-ACME-SUPPLY:due".
    assert [line for line in lines if re.search(r"\w+:[\w-]+:\w+", line)] == []
    start = lines.index("Open opportunities: 4")
    assert lines[start : start + 5] == [
        "Open opportunities: 4",
        "  Borealis Energi AB: Flow sensor retrofit, needs analysis, €12,500.00, "
        "closes 18 Nov 2026 (close date passed, no recent change)",
        "  ACME Industrial GmbH: Pump P200 fleet upgrade, proposal, €48,000.00, "
        "closes 23 Dec 2026",
        "  Helvetia Wasser AG: Second plant in Basel, qualification, "
        "CHF30,000.00, closes 21 Feb 2027 (no recent change)",
        "  Lumen Logistics BV: Pump fleet agreement renewal, needs analysis, "
        "€55,000.00, closes 3 Mar 2027 (no recent change)",
    ]
    assert "Loyalty day: 0 notifications to send" in lines
    assert (
        "Days to first action on renewal alerts, 24 Nov 2025 to 23 Nov 2026 "
        "(as of 23 Nov 2026): mean 3, median 3 over 1 alert"
    ) in lines
    assert (
        "  K-ACME-SUPPLY Framework supply agreement (ACME Industrial GmbH): "
        "ends 20 Jan 2027, in 58 days, €180,000.00"
    ) in lines
    assert (
        "  K-HELVETIA-SUPPLY (Helvetia Wasser AG): late alert for the term that "
        "ended 15 Aug 2026 unannounced, raised 2 Nov 2026, 21 days without action"
    ) in lines
    growth = lines.index(
        "  Fjord Marine AS: €4,290.00 against €0.00: n/a (new account)"
    )
    assert growth > start
