"""A page that refreshes the stored health and a writer that changes an engagement at the same
moment: neither waits for the other, nothing deadlocks, and what the page left out stays due.

Found by `make bench`: under 20 people at once, a booking (engagement locked, then its record
marked due) and a page's refresh (records written, then the months' foreign keys checked on the
engagement) deadlocked, and one of them answered 500."""

import threading

import pytest
from django.db import connection, connections, transaction

from mentorship.models import Engagement
from reporting.health import store
from reporting.models import EngagementHealthRecord
from sessions.models import MentoringSession

pytestmark = pytest.mark.django_db(transaction=True)


class Writer(threading.Thread):
    """In its own connection: locks the engagement as the booking service does, waits to be
    told, then changes a session (which marks the record due) and commits."""

    def __init__(self, engagement_pk: int, session_pk: int):
        super().__init__()
        self.engagement_pk, self.session_pk = engagement_pk, session_pk
        self.locked, self.go_on = threading.Event(), threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with transaction.atomic():
                Engagement.objects.select_for_update().get(pk=self.engagement_pk)
                self.locked.set()
                self.go_on.wait(10)
                session = MentoringSession.objects.get(pk=self.session_pk)
                session.save()  # the signal marks the engagement's record due
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            connections.close_all()


def test_a_refresh_skips_an_engagement_a_writer_holds_and_takes_it_once_the_writer_is_done(
    engagement, outsider_engagement, session_factory
):
    session = session_factory(engagement)
    session_factory(outsider_engagement)
    EngagementHealthRecord.objects.update(computed_at=None)  # both due
    writer = Writer(engagement.pk, session.pk)
    writer.start()
    assert writer.locked.wait(10)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")  # waiting at all would fail the test
        assert store.refresh_due() == 1  # the other engagement only
        assert EngagementHealthRecord.objects.get(pk=engagement.pk).computed_at is None
        assert EngagementHealthRecord.objects.get(pk=outsider_engagement.pk).computed_at is not None
    finally:
        writer.go_on.set()
        writer.join(15)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    assert writer.error is None
    assert store.refresh_due() == 1  # now the writer's
    assert EngagementHealthRecord.objects.get(pk=engagement.pk).computed_at is not None


def test_a_writer_is_not_kept_waiting_by_a_refresh_holding_outsider_engagements(
    engagement, outsider_engagement, session_factory
):
    """The writer locks its engagement, then its record; a refresh of both engagements that
    started first holds the other one only, so the writer goes through."""
    session = session_factory(engagement)
    EngagementHealthRecord.objects.update(computed_at=None)
    writer = Writer(engagement.pk, session.pk)
    writer.start()
    assert writer.locked.wait(10)
    with transaction.atomic():
        assert store.refresh([engagement.pk, outsider_engagement.pk]) == 1
        writer.go_on.set()
        writer.join(15)  # it commits while this refresh's transaction is still open
        assert not writer.is_alive()
    assert writer.error is None
