"""Safe HTML from the standard library: every text escaped unless built here.

:func:`el` builds an element: its children that are plain ``str`` are
escaped with :func:`html.escape`, and only :class:`Markup` (what :func:`el`
and :func:`document` return) goes in as it is. Tag and attribute names are
the code's own (checked against a pattern); attribute values are always
escaped and double-quoted. So a client named ``<script>`` or ``"><svg
onload=...>`` is text on the page, never markup.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable, Mapping

from babel import Locale

__all__ = ["Markup", "document", "el", "escape", "join"]

_NAME = re.compile(r"[a-z][a-z0-9-]*", re.IGNORECASE)
_VOID = frozenset({"meta", "br", "hr", "col"})
# Characters HTML text may not hold (NUL, control characters other than
# whitespace) and lone surrogates, which UTF-8 cannot encode: shown as U+FFFD,
# as a browser shows a NUL.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class Markup(str):
    """HTML already escaped: the output of :func:`el`, never data."""

    __slots__ = ()


def escape(text: str) -> str:
    r"""``text`` as HTML text or attribute value: ``&``, ``<``, ``>`` and both
    quotes escaped, characters HTML may not hold replaced by U+FFFD.

    Example:
        >>> escape('<b title="x">Tom & Jerry\x00</b>')
        '&lt;b title=&quot;x&quot;&gt;Tom &amp; Jerry�&lt;/b&gt;'
    """
    return html.escape(_NOT_TEXT.sub("\ufffd", text), quote=True)


def _escaped(child: str) -> str:
    return child if isinstance(child, Markup) else escape(child)


def join(children: Iterable[str], separator: str = "") -> Markup:
    """``children`` side by side, each plain ``str`` escaped."""
    return Markup(_escaped(separator).join(_escaped(c) for c in children))


def el(
    name: str,
    attributes: Mapping[str, object] | None = None,
    /,
    *children: str,
) -> Markup:
    """The element ``<name attributes>children</name>``.

    Attribute values are escaped and quoted (``None`` leaves the attribute
    out, ``True`` writes it bare); plain ``str`` children are escaped.

    Raises:
        ValueError: a tag or attribute name that is not a plain name (a bug:
            names come from the code, never from data).

    Example:
        >>> el("td", {"title": 'a"b'}, "<x> & y")
        '<td title="a&quot;b">&lt;x&gt; &amp; y</td>'
    """
    if not _NAME.fullmatch(name):
        msg = f"not a tag name: {name!r}"
        raise ValueError(msg)
    parts = [name]
    for key, value in (attributes or {}).items():
        if not _NAME.fullmatch(key):
            msg = f"not an attribute name: {key!r}"
            raise ValueError(msg)
        if value is True:
            parts.append(key)
        elif value is not None and value is not False:
            parts.append(f'{key}="{escape(str(value))}"')
    opening = f"<{' '.join(parts)}>"
    if name in _VOID:
        return Markup(opening)
    return Markup(f"{opening}{join(children)}</{name}>")


def _style_hash(style: str) -> str:
    digest = hashlib.sha256(style.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def document(*, locale: str, title: str, style: str, body: Markup) -> Markup:
    """A whole HTML5 page: ``lang`` and ``dir`` from ``locale``, ``style``
    inline, and a Content-Security-Policy that allows nothing else.

    The policy (``default-src 'none'``) forbids scripts, frames, fonts,
    images and every load from elsewhere; the one style block is allowed by
    its hash, so no injected ``style`` could apply either.
    """
    parsed = Locale.parse(locale)
    policy = (
        f"default-src 'none'; style-src '{_style_hash(style)}'; "
        "base-uri 'none'; form-action 'none'"
    )
    head = join(
        [
            el("meta", {"charset": "utf-8"}),
            el("meta", {"http-equiv": "Content-Security-Policy", "content": policy}),
            el("meta", {"name": "viewport", "content": "width=device-width"}),
            el("meta", {"name": "referrer", "content": "no-referrer"}),
            el("title", None, title),
            # The style is the code's own text: no data goes into it.
            Markup(f"<style>{style}</style>"),
        ],
        "\n",
    )
    page = el(
        "html",
        {"lang": str(parsed).replace("_", "-"), "dir": parsed.text_direction},
        "\n",
        el("head", None, "\n", head, "\n"),
        "\n",
        el("body", None, "\n", body, "\n"),
        "\n",
    )
    return Markup(f"<!DOCTYPE html>\n{page}\n")
