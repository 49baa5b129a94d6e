"""Adapters: implementations of the ports in :mod:`kamcore.ports`.

* :mod:`kamcore.adapters.memory` -- in-memory repositories and unit of work;
* :mod:`kamcore.adapters.composite` -- a unit of work over a host's own
  repositories and kamcore's for the rest;
* :mod:`kamcore.adapters.clock` -- the system clock and a fixed clock for tests;
* :mod:`kamcore.adapters.ids` -- UUID and sequential id sources;
* :mod:`kamcore.adapters.notifiers` -- recording and logging notifiers;
* :mod:`kamcore.adapters.archive` -- an in-memory document archive;
* :mod:`kamcore.adapters.reminders` -- a reminder control that records holds.

Adapters import the domain; the domain never imports an adapter.
"""

__all__: list[str] = []
