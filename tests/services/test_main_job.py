"""``python -m kamcore``: the daily overdue check on the sample portfolio."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kamcore.__main__ import main


def test_default_run_lists_overdue_key_account_invoices(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Daily overdue check, Monday, 23 November 2026",
        "m.rossi:",
        "  ACME Industrial GmbH: INV-1044 €4,642.50 due, 26 days overdue "
        "(automated reminder held back: call the client)",
        "  Borealis Energi AB: INV-1050 €3,590.00 due, 23 days overdue "
        "(automated reminder held back: call the client)",
    ]


def test_report_follows_the_date_and_locale(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--as-of", "2026-12-03", "--locale", "de_DE"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Daily overdue check, Donnerstag, 3. Dezember 2026",
        "m.rossi:",
        "  ACME Industrial GmbH: INV-1044 4.642,50\xa0€ due, 36 days overdue "
        "(automated reminder held back: call the client)",
        "  Borealis Energi AB: INV-1050 3.590,00\xa0€ due, 33 days overdue "
        "(automated reminder held back: call the client)",
        "  ACME Industrial GmbH: INV-1102 3.555,00\xa0€ due, 1 day overdue "
        "(automated reminder held back: call the client)",
    ]


def test_nothing_overdue_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--as-of", "2026-10-01"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Daily overdue check, Thursday, 1 October 2026",
        "No key account has an overdue invoice.",
    ]


def test_unknown_locale_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--locale", "xx_YY"])
    assert exited.value.code == 2
    assert "unknown locale 'xx_YY' @ locale" in capsys.readouterr().err


def test_runs_as_a_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kamcore", "--as-of", "2026-10-01"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.splitlines()[-1] == "No key account has an overdue invoice."
