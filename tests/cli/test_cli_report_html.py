"""``kamcore report --format html``: one self-contained page whose figures are
the report's own, written for the reader's locale."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from cli.cli_support import AS_OF, clock_at, kamcore, open_uow, run_main
from cli.html_support import Page, parse_page
from cli.import_support import write
from cli.test_cli_import_docs import documented_portfolio
from kamcore.cli._html_svg import Bar, Progress, bar_chart, progress_chart
from kamcore.kernel import Money
from kamcore.metrics import AccountSelection
from kamcore.services import WeeklyReport, weekly_report

HTML = ("report", "--format", "html", "--as-of", AS_OF)


def page_of(demo_db: Path, *args: str) -> tuple[str, Page]:
    code, out, err = run_main(*HTML, "--db", demo_db, *args)
    assert (code, err) == (0, "")
    return out, parse_page(out)


@pytest.fixture(scope="module")
def report(demo_db: Path) -> WeeklyReport:
    with open_uow(demo_db) as uow:
        return weekly_report(
            uow, clock_at(AS_OF), selection=AccountSelection.key_accounts()
        )


@pytest.fixture(scope="module")
def english(demo_db: Path) -> tuple[str, Page]:
    return page_of(demo_db)


def test_the_ranking_is_the_reports_ranking(
    english: tuple[str, Page], report: WeeklyReport
) -> None:
    _, page = english
    assert page.tables["ranking"][1:] == [
        [str(line.rank), f"{line.name} ({line.client})", line.total.format("en_GB")]
        for line in report.health.ranking.ranked()
    ]
    assert page.tables["ranking"] == [
        ["Rank", "Account", "Net invoiced"],
        ["1", "Helvetia Wasser AG (helvetia)", "CHF36,948.50"],
        ["1", "ACME Industrial GmbH (acme)", "€85,508.10"],
        ["2", "Borealis Energi AB (borealis)", "€43,852.23"],
        ["3", "Lumen Logistics BV (lumen)", "€35,922.40"],
        ["4", "Fjord Marine AS (fjord)", "€4,290.00"],
    ]


def test_the_key_figures_count_the_reports_lines(english: tuple[str, Page]) -> None:
    _, page = english
    assert page.figures == {
        "Overdue invoices": "2",
        "Order declines": "1",
        "Contracts ending within 60 days": "1",
        "Open opportunities": "4",
        "Loyalty members": "2",
    }


def test_declines_overdue_invoices_and_renewals(english: tuple[str, Page]) -> None:
    _, page = english
    assert page.tables["decline"] == [
        ["Account", "Sept 2026", "Oct 2026", "Change"],
        ["Borealis Energi AB", "€3,392.43", "€2,222.80", "-34.48%"],
    ]
    assert page.tables["overdue"][1:] == [
        ["ACME Industrial GmbH", "INV-202609-ACME", "€3,109.40", "5 Oct 2026",
         "49", "m.rossi"],
        ["Borealis Energi AB", "INV-202609-BOREALIS", "€3,392.43", "5 Oct 2026",
         "49", "m.rossi"],
    ]  # fmt: skip
    assert page.tables["expiring"][1:] == [
        ["K-ACME-SUPPLY", "Framework supply agreement", "ACME Industrial GmbH",
         "20 Jan 2027", "in 58 days", "no", "€180,000.00"],
    ]  # fmt: skip
    assert page.tables["expired_unrenewed"][1:] == [
        ["K-BOREALIS-SERVICE", "Valve service agreement", "Borealis Energi AB",
         "9 Oct 2026", "€64,000.00"],
    ]  # fmt: skip
    assert page.tables["first_action"][1:] == [
        ["K-BOREALIS-SERVICE", "Borealis Energi AB", "late", "8 Oct 2026",
         "2 Nov 2026", "21"],
        ["K-HELVETIA-SUPPLY", "Helvetia Wasser AG", "late", "15 Aug 2026",
         "2 Nov 2026", "21"],
        ["K-ACME-SUPPLY", "ACME Industrial GmbH", "renewal", "20 Jan 2027",
         "23 Nov 2026", "0"],
    ]  # fmt: skip


def test_the_pipeline_lists_the_reviews_opportunities(
    english: tuple[str, Page], report: WeeklyReport
) -> None:
    _, page = english
    assert [row[1] for row in page.tables["opportunities"][1:]] == [
        item.opportunity.title for item in report.opportunities.items
    ]
    assert page.tables["opportunities"][1:] == [
        ["Borealis Energi AB", "Flow sensor retrofit", "needs analysis", "€12,500.00",
         "18 Nov 2026", "close date passed, no recent change"],
        ["ACME Industrial GmbH", "Pump P200 fleet upgrade", "proposal", "€48,000.00",
         "23 Dec 2026", ""],
        ["Helvetia Wasser AG", "Second plant in Basel", "qualification", "CHF30,000.00",
         "21 Feb 2027", "no recent change"],
        ["Lumen Logistics BV", "Pump fleet agreement renewal", "needs analysis",
         "€55,000.00", "3 Mar 2027", "no recent change"],
    ]  # fmt: skip


def test_the_pipeline_chart_sums_each_stage(english: tuple[str, Page]) -> None:
    _, page = english
    # Each chart's bars: the stage above, the total and count beside.
    charts = page.texts[page.texts.index("Open pipeline by stage in CHF") :]
    assert charts[:12] == [
        "Open pipeline by stage in CHF",
        "Open pipeline by stage in CHF",  # the chart's accessible name
        "qualification",
        "CHF30,000.00 in 1 opportunity",
        "Open pipeline by stage in EUR",
        "Open pipeline by stage in EUR",
        "needs analysis",
        "€67,500.00 in 2 opportunities",
        "proposal",
        "€48,000.00 in 1 opportunity",
        "Account",
        "Opportunity",
    ]


def test_loyalty_standings_and_key_metrics(english: tuple[str, Page]) -> None:
    _, page = english
    assert page.tables["loyalty"][1:] == [
        ["ACME Industrial GmbH", "Valvetta Partner", "Silver", "€58,474.30",
         "28 Feb 2027", "92,974", "€929.74", "€16,525.70 more to reach Gold"],
        ["Lumen Logistics BV", "Valvetta Partner", "Member", "€23,749.20",
         "28 Feb 2027", "38,101", "€381.01", "€1,250.80 more to reach Silver"],
    ]  # fmt: skip
    assert page.tables["metrics"][1:] == [
        ["Account retention rate", "24 Nov 2025 to 23 Nov 2026", "50%",
         "1 of 2 accounts renewed"],
        ["Days to first action on renewal alerts", "24 Nov 2025 to 23 Nov 2026",
         "mean 3, median 3", "over 1 alert acted on"],
    ]  # fmt: skip
    assert page.tables["growth"][3] == [
        "Fjord Marine AS",
        "€4,290.00",
        "€0.00",
        "new account",
    ]


def test_the_page_is_in_the_readers_language_and_formats(demo_db: Path) -> None:
    out, page = page_of(demo_db, "--locale", "de_DE")
    assert out.startswith('<!DOCTYPE html>\n<html lang="de-DE" dir="ltr">\n')
    assert page.tables["ranking"][2] == [
        "1",
        "ACME Industrial GmbH (acme)",
        "85.508,10\xa0€",
    ]
    assert page.tables["opportunities"][1] == [
        "Borealis Energi AB", "Flow sensor retrofit", "Bedarfsanalyse",
        "12.500,00\xa0€", "18.11.2026",
        "Abschlussdatum überschritten, keine Änderung in letzter Zeit",
    ]  # fmt: skip
    assert page.tables["loyalty"][1][5:7] == ["92.974", "929,74\xa0€"]


def test_a_right_to_left_locale_sets_the_direction(demo_db: Path) -> None:
    out, page = page_of(demo_db, "--locale", "ar_EG")
    assert out.startswith('<!DOCTYPE html>\n<html lang="ar-EG" dir="rtl">\n')
    acme = Money(Decimal("85508.10"), "EUR").format("ar_EG")
    assert page.tables["ranking"][2] == ["1", "ACME Industrial GmbH (acme)", acme]


def test_the_page_loads_nothing_and_runs_nothing(english: tuple[str, Page]) -> None:
    out, page = english
    assert re.findall(r"<script|https?:|url\(|@import", out, re.IGNORECASE) == []
    tags = {name for name, _ in page.tags}
    assert tags.isdisjoint({"script", "link", "img", "iframe", "object", "embed"})
    assert [
        a for _, attributes in page.tags for a in attributes if a[0] == "style"
    ] == []
    (policy,) = [
        dict(attributes)["content"]
        for name, attributes in page.tags
        if dict(attributes).get("http-equiv") == "Content-Security-Policy"
    ]
    assert policy is not None
    assert re.fullmatch(
        r"default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]{43}='; "
        r"base-uri 'none'; form-action 'none'",
        policy,
    )


def test_the_subtitle_names_the_managers_accounts(demo_db: Path) -> None:
    _, page = page_of(demo_db, "--manager", "m.rossi")
    assert page.texts[page.texts.index("Weekly report") + 1] == (
        "Key accounts of m.rossi, as of 23 Nov 2026"
    )


def test_a_table_goes_with_csv_or_json_only(demo_db: Path) -> None:
    code, out, err = run_main(*HTML, "--db", demo_db, "--table", "ranking")
    assert (code, out) == (2, "")
    assert "--table goes with --format csv or --format json" in err


def test_python_dash_m_writes_the_page(demo_db: Path) -> None:
    result = kamcore(*HTML, "--db", demo_db, "--group", "nordics")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.endswith("</main>\n</body>\n</html>\n")
    assert parse_page(result.stdout).tables["ranking"][1:] == [
        ["1", "Borealis Energi AB (borealis)", "€43,852.23"],
        ["2", "Fjord Marine AS (fjord)", "€4,290.00"],
    ]


def test_bars_share_one_scale_from_zero() -> None:
    chart = bar_chart(
        [
            Bar("a", Decimal(280), "280"),
            Bar("b", Decimal(-140), "-140"),
            Bar("c", Decimal("0"), "0"),
        ],
        title="t",
        chart_id="c-1",
    )
    rects = re.findall(
        r'<rect class="([a-z ]+)" x="([\d.]+)" y="18" width="([\d.]+)"', chart
    )
    # 560 pixels for the span 420: 2/3 of it right of the zero line at 186.7.
    assert rects == [
        ("bar", "186.7", "373.3"),
        ("bar negative", "0", "186.7"),
        ("bar", "186.7", "0.5"),
    ]


def test_every_id_is_unique_and_every_section_has_one(
    english: tuple[str, Page],
) -> None:
    _, page = english
    ids = [dict(attributes).get("id") for _, attributes in page.tags]
    ids = [id_ for id_ in ids if id_ is not None]
    assert len(ids) == len(set(ids))
    assert [
        dict(attributes).get("id") for name, attributes in page.tags if name == "h2"
    ] == [
        "health-check",
        "overdue-invoices",
        "renewals",
        "pipeline",
        "loyalty-standings",
        "key-metrics",
    ]


def test_one_currency_adds_the_average_and_no_member_says_none(
    demo_db: Path,
) -> None:
    _, page = page_of(demo_db, "--group", "nordics", "--top", "1")
    assert "Top 1 account by net invoiced, Nov 2025 to Oct 2026" in page.headings
    assert page.tables["ranking"][1:] == [
        ["1", "Borealis Energi AB (borealis)", "€43,852.23"]
    ]
    assert page.tables["metrics"][3] == [
        "Average value per account",
        "Nov 2025 to Oct 2026",
        "€24,071.12",
        "€48,142.23 over 2 accounts",
    ]
    assert "loyalty" not in page.tables
    assert page.texts[page.texts.index("Loyalty standings") + 1] == "none"


def test_declines_on_net_invoiced(demo_db: Path) -> None:
    _, page = page_of(demo_db, "--decline-basis", "invoiced")
    assert "Net invoiced down more than 20%, Sept 2026 to Oct 2026" in page.headings


def test_a_portfolio_without_orders_says_why_declines_are_empty(
    tmp_path: Path,
) -> None:
    database = tmp_path / "portfolio.db"
    portfolio = write(tmp_path / "portfolio.json", documented_portfolio())
    code, _, err = run_main("import", portfolio, "--db", database, "--quiet")
    assert code == 0, err
    _, page = page_of(database)
    heading = "Orders down more than 20%, Sept 2026 to Oct 2026"
    assert page.texts[page.texts.index(heading) + 1] == (
        "No orders are recorded for these accounts. Measure declines on the "
        "other basis: --decline-basis invoiced."
    )
    assert "decline" not in page.tables
    assert page.tables["metrics"][1:] == [
        ["Account retention rate", "24 Nov 2025 to 23 Nov 2026", "n/a",
         "0 of 0 accounts renewed"],
        ["Days to first action on renewal alerts", "24 Nov 2025 to 23 Nov 2026",
         "n/a", "over 0 alerts acted on"],
        ["Average value per account", "Nov 2025 to Oct 2026", "€3,488.00",
         "€3,488.00 over 1 account"],
    ]  # fmt: skip
    # As `kamcore loyalty` has it.
    assert page.tables["loyalty"][1] == [
        "ACME Industrial GmbH", "Partner programme", "Member", "€3,488.00",
        "31 Dec 2026", "5,328", "€53.28", "€21,512.00 more to reach Silver",
    ]  # fmt: skip
    assert "Growth year on year" not in page.texts  # a new account: no bar


def test_a_full_track_for_a_member_at_the_top_or_past_its_target() -> None:
    chart = progress_chart(
        [
            Progress("top", Decimal(0), Decimal(0), "highest tier"),
            Progress("past", Decimal(120), Decimal(100), "x"),
            Progress("half", Decimal(50), Decimal(100), "y"),
        ],
        title="t",
        chart_id="p-1",
    )
    assert re.findall(r'<rect class="bar" x="0" y="18" width="([\d.]+)"', chart) == [
        "560",
        "560",
        "280",
    ]
