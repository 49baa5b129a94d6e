"""The HTML report's markup builder: data is text, names are the code's own."""

from __future__ import annotations

import pytest

from kamcore.cli._html import Markup, el, join


def test_text_and_attribute_values_are_escaped_and_quoted() -> None:
    assert el("td", {"title": "\"'<&>"}, "<b>&</b>") == (
        '<td title="&quot;&#x27;&lt;&amp;&gt;">&lt;b&gt;&amp;&lt;/b&gt;</td>'
    )


def test_markup_goes_in_as_it_is() -> None:
    assert el("p", None, el("b", None, "x"), " & ", Markup("<i>y</i>")) == (
        "<p><b>x</b> &amp; <i>y</i></p>"
    )
    assert join(["<", el("br")], ", ") == "&lt;, <br>"


def test_true_writes_a_bare_attribute_none_and_false_none() -> None:
    assert el("td", {"hidden": True, "translate": False, "id": None}) == (
        "<td hidden></td>"
    )


@pytest.mark.parametrize(
    ("tag", "attributes"),
    [
        ("td onclick=x", {}),
        ("td", {"onclick=x y": 1}),
        ("td", {'x"': 1}),
    ],
)
def test_a_name_that_is_not_a_plain_name_is_a_bug(
    tag: str, attributes: dict[str, object]
) -> None:
    with pytest.raises(ValueError, match=r"not an? (tag|attribute) name"):
        el(tag, attributes)
