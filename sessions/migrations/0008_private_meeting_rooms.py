"""Every online session gets its own private meeting room; the online venue's one link, shared by
every session of every mentee, goes away.

Existing sessions at an online venue (past ones too, so no page or export keeps showing the old
link) get a fresh room from MEETING_URL_TEMPLATE. Going back gives each online venue a new link
nobody has: the shared link is not brought back.
"""

import secrets

from django.conf import settings
from django.db import migrations, models


def give_each_online_session_its_room(apps, schema_editor):
    MentoringSession = apps.get_model("mentoring_sessions", "MentoringSession")
    sessions = MentoringSession.objects.filter(venue__kind="online", meeting_url="").only("pk")
    for session in sessions.iterator(chunk_size=2000):
        session.meeting_url = settings.MEETING_URL_TEMPLATE.replace("{room}", secrets.token_urlsafe(32))
        session.save(update_fields=["meeting_url"])


def new_link_for_online_venues(apps, schema_editor):
    Venue = apps.get_model("mentoring_sessions", "Venue")
    for venue in Venue.objects.filter(kind="online"):
        venue.meeting_url = settings.MEETING_URL_TEMPLATE.replace("{room}", secrets.token_urlsafe(32))
        venue.save(update_fields=["meeting_url"])


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring_sessions", "0007_session_room"),
    ]

    operations = [
        migrations.AddField(
            model_name="mentoringsession",
            name="meeting_url",
            field=models.URLField(blank=True, max_length=500, verbose_name="meeting link"),
        ),
        migrations.RunPython(give_each_online_session_its_room, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="venue",
            name="sessions_online_venue_has_link",
        ),
        migrations.RunPython(migrations.RunPython.noop, new_link_for_online_venues),
        migrations.RemoveField(
            model_name="venue",
            name="meeting_url",
        ),
    ]
