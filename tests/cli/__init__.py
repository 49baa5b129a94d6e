"""End-to-end tests of the ``kamcore`` command line."""
