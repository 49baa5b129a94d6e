"""Test support shipped with kamcore (needs the ``kamcore[testing]`` extra).

* :mod:`kamcore.testing.conformance` -- base test classes every adapter must pass;
* :mod:`kamcore.testing.strategies` -- Hypothesis strategies for every entity.
"""

__all__: list[str] = []
