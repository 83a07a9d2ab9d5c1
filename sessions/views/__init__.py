"""Session views, one module per topic."""
