"""Writes that span models, one module per topic (heartbeat, organisations, engagements, ...)."""
