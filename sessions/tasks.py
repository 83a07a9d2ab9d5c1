"""Celery finds each app's tasks in its `tasks` module; the sessions tasks live with their topic,
so this module imports them. Task names are fixed (`name=`) so queued messages survive code moves."""

from sessions.booking import tasks as booking_tasks  # noqa: F401
from sessions.busy import tasks as busy_tasks  # noqa: F401
from sessions.reminders import tasks as reminder_tasks  # noqa: F401
