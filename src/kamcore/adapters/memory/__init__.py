"""In-memory adapters: a transactional, versioned unit of work for tests and notebooks.

* :class:`InMemoryStore` -- the committed state, shareable across threads;
* :class:`InMemoryUnitOfWork` -- a :class:`kamcore.ports.UnitOfWork` over a store.

Units of work built over one store share its committed state::

    store = InMemoryStore()
    service_uow, test_uow = InMemoryUnitOfWork(store), InMemoryUnitOfWork(store)
"""

from kamcore.adapters.memory._store import InMemoryStore
from kamcore.adapters.memory._unit_of_work import InMemoryUnitOfWork

__all__ = ["InMemoryStore", "InMemoryUnitOfWork"]
