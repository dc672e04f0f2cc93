"""The reviews pages, one module per sub-area; `urls.py` points at the modules (import a view from its module:
a sub-area's page often has the sub-area's name, so the package re-exports nothing)."""
