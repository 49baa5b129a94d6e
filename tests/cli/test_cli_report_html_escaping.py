"""Every name on the HTML report comes from data, and stays text.

The demo portfolio (in memory) gets any names -- markup, quotes, ampersands,
``</svg>``, control characters, lone surrogates -- for its clients, products,
opportunities, contracts, account manager, loyalty programme and tiers. Read
back with the standard library's HTML parser, the page has exactly the
elements and attributes of the page with plain names (so nothing in it came
from a name), and each name reads back as the text it was: only the
characters HTML cannot hold (NUL, control characters, lone surrogates) turn
into U+FFFD, as a browser shows them.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli.html_support import DEMO_IDS, PLAIN_NAMES, DemoStore, Names, Page, parse_page

HOSTILE = (
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "</svg><script>x</script>",
    "' onmouseover='alert(1)",
    "</td></tr></table><h1>x",
    "&amp;",
    "&lt;b&gt; &#60; &",
    "<!-- ",
    "]]>",
    "</title></style><style>*{}</style>",
    "{count} {n} {0} %s",
    "javascript:alert(1)",
    "http://evil.example/x.png",
    "url(https://evil.example)",
    "\x00",
    "\ud800",
    "a\r\nb\tc",
    "\u202eevil",
    "\x1b[31m",
)
"""Names that would be markup, a reference or a broken page if not escaped."""

NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def shown(name: str) -> str:
    """``name`` as a browser shows it."""
    return NOT_TEXT.sub("\ufffd", name)


def names() -> st.SearchStrategy[str]:
    """A name: hostile, any text, or pieces of both."""
    piece = st.sampled_from(HOSTILE) | st.text(max_size=6)
    return (
        st.sampled_from(HOSTILE)
        | st.text(min_size=1)
        | st.lists(piece, min_size=1, max_size=4).map("".join)
    ).filter(lambda name: name.strip() != "")


@pytest.fixture(scope="module")
def store() -> DemoStore:
    return DemoStore()


@pytest.fixture(scope="module")
def plain_page(store: DemoStore) -> Page:
    store.rename(PLAIN_NAMES)
    return parse_page(store.page())


@st.composite
def every_name(draw: st.DrawFn, ids: Names) -> Names:
    """A name for every record: a few names drawn, given out in turn."""
    pool = draw(st.lists(names(), min_size=1, max_size=5))
    turn = iter(range(100))

    def several(count: int) -> tuple[str, ...]:
        return tuple(pool[next(turn) % len(pool)] for _ in range(count))

    return Names(
        clients=several(len(ids.clients)),
        products=several(len(ids.products)),
        opportunities=several(len(ids.opportunities)),
        contracts=several(len(ids.contracts)),
        manager=several(1)[0],
        programme=several(1)[0],
        tiers=several(len(ids.tiers)),
    )


@given(every_name(DEMO_IDS))
def test_names_are_text_and_only_text(
    store: DemoStore, plain_page: Page, chosen: Names
) -> None:
    store.rename(chosen)
    html = store.page()
    html.encode("utf-8")  # writable to any UTF-8 output: no lone surrogate left
    page = parse_page(html)
    assert page.tags == plain_page.tags
    assert re.search("<script", html, re.IGNORECASE) is None
    values = [value or "" for _, attributes in page.tags for _, value in attributes]
    assert [v for v in values if re.search(r"<|script|https?:|url\(", v, re.I)] == []
    client = dict(zip(DEMO_IDS.clients, chosen.clients, strict=True))
    assert sorted(row[1] for row in page.tables["ranking"][1:]) == sorted(
        f"{shown(name)} ({id_})" for id_, name in client.items() if id_ != "kleinbau"
    )
    assert sorted(row[1] for row in page.tables["opportunities"][1:]) == sorted(
        map(shown, chosen.opportunities)
    )
    contract = dict(zip(DEMO_IDS.contracts, chosen.contracts, strict=True))
    assert page.tables["expiring"][1][1] == shown(contract["K-ACME-SUPPLY"])
    assert page.tables["expired_unrenewed"][1][1] == shown(
        contract["K-BOREALIS-SERVICE"]
    )
    assert {row[5] for row in page.tables["overdue"][1:]} == {shown(chosen.manager)}
    member, silver, gold = chosen.tiers
    assert [row[:3] + row[7:] for row in page.tables["loyalty"][1:]] == [
        [
            shown(client["acme"]),
            shown(chosen.programme),
            shown(silver),
            f"€16,525.70 more to reach {shown(gold)}",
        ],
        [
            shown(client["lumen"]),
            shown(chosen.programme),
            shown(member),
            f"€1,250.80 more to reach {shown(silver)}",
        ],
    ]
