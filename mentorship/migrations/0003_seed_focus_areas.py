from django.db import migrations

# The core areas from the consultancy's practice; admins can add, rename and retire areas later.
FOCUS_AREAS = [
    ("leadership", "Leadership", "Ledarskap"),
    ("change-management", "Change management", "Förändringsledning"),
    ("new-in-role", "New in role", "Ny i rollen"),
    ("strategy-business-development", "Strategy and business development", "Strategi och affärsutveckling"),
    ("communication", "Communication", "Kommunikation"),
    ("conflict-handling", "Conflict handling", "Konflikthantering"),
    ("team-development", "Team development", "Teamutveckling"),
    ("personal-effectiveness", "Personal effectiveness", "Personlig effektivitet"),
]


def add_focus_areas(apps, schema_editor):
    FocusArea = apps.get_model("mentorship", "FocusArea")
    for position, (slug, name_en, name_sv) in enumerate(FOCUS_AREAS, start=1):
        FocusArea.objects.get_or_create(
            slug=slug, defaults={"name_en": name_en, "name_sv": name_sv, "position": position * 10}
        )


def remove_focus_areas(apps, schema_editor):
    apps.get_model("mentorship", "FocusArea").objects.filter(slug__in=[slug for slug, _, _ in FOCUS_AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("mentorship", "0002_engagements_profiles_invitations_inquiries")]

    operations = [migrations.RunPython(add_focus_areas, remove_focus_areas)]
