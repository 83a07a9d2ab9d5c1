"""Celery finds each app's tasks in its `tasks` module; the mentorship tasks live with their
topic, so this module imports them. Task names are fixed (`name=`) so queued messages survive
code moves."""

from mentorship import heartbeat  # noqa: F401
from mentorship.inquiries import tasks as inquiry_tasks  # noqa: F401
from mentorship.matching import tasks as matching_tasks  # noqa: F401
from mentorship.organisations import tasks as organisation_tasks  # noqa: F401
