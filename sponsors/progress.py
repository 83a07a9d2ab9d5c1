"""The progress a sponsor may see: only the items each mentee chose to share, read through
`progress.sharing` (the progress app decides consent; nothing here filters it again)."""

from progress.sharing import SharedGoal, SharedProgress, SharedStatement, shared_progress

__all__ = ["SharedGoal", "SharedProgress", "SharedStatement", "shared_progress"]
