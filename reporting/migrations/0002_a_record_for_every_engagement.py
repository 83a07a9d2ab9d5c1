"""Every engagement that exists gets its health record, not computed yet: the beat task
(`reporting.refresh_health`), the first health page or `manage.py rebuild_health` computes it."""

from django.db import migrations


def create_records(apps, schema_editor) -> None:
    Engagement = apps.get_model("mentorship", "Engagement")
    Record = apps.get_model("reporting", "EngagementHealthRecord")
    ids = Engagement.objects.order_by("pk").values_list("pk", flat=True)
    Record.objects.bulk_create((Record(engagement_id=pk) for pk in ids.iterator()), batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_engagement_health")]

    operations = [migrations.RunPython(create_records, migrations.RunPython.noop)]
