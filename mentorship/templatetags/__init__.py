"""Template tags and filters, one module per topic."""
