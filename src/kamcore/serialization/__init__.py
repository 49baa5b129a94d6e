"""A validating cattrs converter for every kamcore entity and value (SPEC §8).

Anything that crosses the boundary as data -- a JSON document, a row from
storage -- comes in through :func:`structure` (or :func:`from_json`) and goes out
through :func:`unstructure` (or :func:`to_json`). Malformed input of any shape
raises :class:`~kamcore.errors.ValidationError` and nothing else, listing every
offending field with a ``$``-rooted path::

    invalid Invoice:
      - required field missing @ $.due_date
      - expected a decimal string, got float 12.5 @ $.lines[1].unit_price.amount
      - unknown field 'colour' @ $

Formats
-------
* ``Decimal``: a string of exactly its digits (``"12.50"`` stays ``"12.50"``;
  ``str(Decimal)``, so an exponent form such as ``"1E+2"`` round-trips too).
* ``Money``: ``{"amount": "12.50", "currency": "EUR"}``.
* ``Percentage`` and ``Rate``: the decimal string of their value (``"8.5"``).
* ``date``: ``"YYYY-MM-DD"`` exactly; a date-time string is refused.
* ``datetime``: ISO 8601 with a UTC offset (``"2026-03-01T09:30:00+01:00"``,
  ``Z`` accepted on input); naive date-times are refused. The offset is kept,
  not the zone name: a value read back has a fixed-offset ``tzinfo`` and is the
  same instant.
* Enums: their value. Typed ids: plain strings.
* ``tuple``: a list. ``frozenset``: a sorted list; duplicates are refused on input.
* ``relativedelta``: ``{"years": 1, "months": 6, "days": 15}``, zeros omitted on
  output, any subset accepted on input, other keys refused.
* ``DateRange``: ``{"start": date | null, "end": date | null}``.
* ``Notification.payload``: an object of string to string.
* Entities: an object with one key per attribute, defaults included on output;
  on input, attributes with a default may be left out, unknown keys are refused.
* Pricing results (``docs/pricing-json.md``): a ``ResolvedPrice`` names its
  client by id; a ``PricedDocument`` writes each line's gross total, ad-hoc
  value and total and the document's totals (derived: checked if given on
  input, computed if left out); a ``PriceExplanation`` leaves out its empty
  fields. Resolved prices, the ad-hoc report and error bodies
  (``PricingConfigurationError``, ``PriceNotFoundError``, ``ValidationError``)
  are written, never read back: structuring one is refused.

JSON numbers
------------
Decimal fields take a **string**. A JSON integer is also accepted there (it is
exact). A JSON number with a fraction or an exponent (``12.5``, ``1e3``) is
refused, whether it arrives as a Python ``float`` or, through
:func:`from_json`, as the exact ``Decimal`` it is parsed into -- so the message
quotes the digits the sender wrote: ``expected a decimal string, got number
12.50``. ``NaN`` and ``Infinity`` are refused as text and as strings.

Strictness
----------
Nothing is coerced: a string field refuses ``5``, an integer field refuses
``True``, ``"5"`` and ``5.0``, a boolean refuses ``1`` and ``"true"``, a list
field refuses a string or an object. Currency codes and locales are checked
while structuring (fields named ``currency`` and ``locale``), so they are
reported with the document's other errors. Rules that relate several fields of
one entity (due date after issue date, credit notes within the total) are the
entity's own; they run once its fields are all valid, and their errors are
placed under the entity's path (``$[0].due_date``).
"""

from kamcore.serialization._converter import make_converter, structure, unstructure
from kamcore.serialization._json import from_json, to_json

__all__ = ["from_json", "make_converter", "structure", "to_json", "unstructure"]
