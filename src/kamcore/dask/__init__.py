"""kamcore on Dask: a portfolio state built where the data lives.

``kamcore[dask]`` (dask's DataFrame and distributed). A Dask DataFrame of
invoices and credit notes (or of orders), with the columns
:func:`~kamcore.metrics.invoices_from_frame` reads, becomes one
:class:`~kamcore.metrics.PortfolioState`: each partition's state is built on
a worker and the states are merged in a tree, so no process ever holds all
the rows. See ``docs/scaling.md``.
"""

from kamcore.dask._states import delayed_state, state_from_dask

__all__ = ["delayed_state", "state_from_dask"]
