"""The shared fixtures, until they are registered once in the root conftest."""

from sessions.tests.conftest import *  # noqa: F403
