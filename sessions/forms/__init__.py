"""Session forms, one module per topic."""
