"""Learning's pages, one module per sub-area (forums and audits have their own packages)."""
