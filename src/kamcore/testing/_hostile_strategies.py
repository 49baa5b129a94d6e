"""Strategies for input to *refuse*: what a careless or hostile caller passes.

Unlike the other strategies, these build values kamcore must turn away (or
accept, at the edges), to check that a call either answers or raises a
:class:`~kamcore.errors.KamcoreError`, promptly, whatever it is given.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from kamcore.kernel import Money, Percentage

__all__ = ["amount_texts", "hostile_values"]

_SPECIAL_DECIMALS = tuple(
    Decimal(text)
    for text in (
        "sNaN",
        "-sNaN",
        "NaN",
        "Infinity",
        "-Infinity",
        "-0",
        "0E-1000",
        "1E+999999",
        "1E-999999",
        "1E+999999999",
        "-1E-999999999",
        "9" * 30,
        "1E-30",
        "1E-31",
    )
)
_SPECIAL_INTS = (0, 1, -1, 10**6, 10**6 + 1, 10**8, 10**30, -(10**40), 2**63)
_CODES = ("EUR", "JPY", "KWD", "eur", "EURO", "", "ROUND_UP", "ROUND_HALF_EVEN")
_LOCALES = ("de_DE", "en_US", "xx", "de-DE", "C", "")


def amount_texts() -> st.SearchStrategy[str]:
    """Text that looks like an amount, or nearly: signs, points, exponents,
    underscores, spaces, non-ASCII digits, NaN and infinity spellings."""
    near = st.from_regex(
        r"\A[ +-]?[0-9_١٢٣٤٥٦]{0,6}(\.[0-9_]{0,6})?([eE][+-]?[0-9]{1,3})?[ \n]?\Z"
    )
    plain = st.from_regex(r"\A-?[0-9]{1,40}(\.[0-9]{1,35})?([eE][+-]?[0-9]{1,10})?\Z")
    words = st.sampled_from(
        ["NaN", "-nan", "sNaN", "snan12", "Infinity", "-inf", "+Inf", "1,5", "1 000"]
    )
    return st.one_of(near, plain, words)


def _extreme_decimals() -> st.SearchStrategy[Decimal]:
    """Decimals with up to 80 digits and exponents far beyond any context."""
    return st.builds(
        lambda sign, digits, exponent: Decimal((sign, tuple(digits), exponent)),
        st.integers(0, 1),
        st.lists(st.integers(0, 9), min_size=1, max_size=80),
        st.integers(-(10**9), 10**9) | st.integers(-40, 40),
    )


def hostile_values() -> st.SearchStrategy[object]:
    """Anything a caller might pass where kamcore expects a number, a code or
    a locale: ``None``, booleans, integers (huge ones too), floats, decimals
    (NaN, sNaN, infinities, extreme exponents), text, Money, percentages, and
    small lists and tuples of these."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.sampled_from(_SPECIAL_INTS),
        st.floats(),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.sampled_from(_SPECIAL_DECIMALS),
        _extreme_decimals(),
        st.text(max_size=20),
        amount_texts(),
        st.sampled_from(_CODES + _LOCALES),
        st.sampled_from([Money("12.34", "EUR"), Money("5", "JPY"), Percentage("8")]),
    )
    return scalars | st.lists(scalars, max_size=4) | st.tuples(scalars, scalars)
