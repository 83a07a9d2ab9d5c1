import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import CommandError, call_command

from accounts.models import User
from demo.seed import DEMO_PASSWORD
from mentorship.matching.selectors import declined_engagements
from mentorship.matching.services import can_choose, declined_choice
from mentorship.models import LeadershipTeam, Organisation
from sessions.models import MemberAttendance


def _row_counts() -> dict[str, int]:
    models = [
        m
        for label in ("accounts", "mentorship", "mentoring_sessions", "billing", "progress", "account")
        for m in apps.get_app_config(label).get_models()
    ]
    return {model._meta.label: model.objects.count() for model in models}


@pytest.mark.django_db
def test_seed_demo_twice_gives_the_same_rows(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = _row_counts()
    call_command("seed_demo")
    assert _row_counts() == first
    assert first["accounts.User"] > 0


@pytest.mark.django_db
def test_seed_demo_creates_the_documented_accounts(settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    admin = User.objects.get(email="admin@example.com")
    assert admin.is_consultancy_admin
    assert User.objects.filter(is_mentor=True).count() >= 4
    assert User.objects.get(email="mentor@example.com").is_mentor
    assert Organisation.objects.count() == 2
    team = LeadershipTeam.objects.get()
    # One member left, one joined late: six seats, five of them today.
    assert team.memberships.count() == 6
    assert team.memberships.current().count() == 5
    left = team.memberships.get(user__email="eva.strand@example.com")
    late = team.memberships.get(user__email="lina.berg@example.com")
    assert left.left_on is not None
    assert late.joined_on > left.joined_on
    engagement = team.engagements.get()
    assert engagement.coordinator.email == "maria.sjoberg@example.com"
    held = engagement.sessions.filter(status="completed", kind="session").order_by("start")
    first, last = held.first(), held.last()
    # Attendance per member on every held team session, by the roster of its day.
    assert all(MemberAttendance.objects.filter(session=session).exists() for session in held)
    assert set(MemberAttendance.objects.filter(session=first).values_list("member__email", flat=True)) == {
        seat.user.email for seat in first.roster()
    }
    assert "lina.berg@example.com" not in set(first.roster().values_list("user__email", flat=True))
    assert "eva.strand@example.com" not in set(last.roster().values_list("user__email", flat=True))
    assert MemberAttendance.objects.get(session=last, member__email="ali.hassan@example.com").status == "absent"
    mentee = User.objects.get(email="mentee@example.com")
    other = User.objects.get(email="other.mentee@example.com")
    assert mentee.is_mentee
    assert other.is_mentee
    assert mentee.organisation_membership.organisation != other.organisation_membership.organisation
    # Solhaga's chosen mentor declined: the choice is back with the mentee, in the admins' queue.
    proposed = other.engagements_as_mentee.get(status="proposed")
    assert can_choose(proposed, list(proposed.mentor_options.all()), has_pending=False)
    assert declined_choice(list(proposed.mentor_options.all())).mentor.email == "per.holm@example.com"
    admin = User.objects.get(email="admin@example.com")
    assert [row.pk for row in declined_engagements(admin)] == [proposed.pk]
    assert not EmailAddress.objects.filter(verified=False).exists()
    response = client.post("/accounts/login/", {"login": "mentee@example.com", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()
    call_command("seed_demo", "--force")
    assert User.objects.filter(email="admin@example.com").exists()


@pytest.mark.django_db
def test_seed_demo_keeps_a_changed_password(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    user = User.objects.get(email="mentor@example.com")
    user.set_password("my own secret passphrase")
    user.save()
    call_command("seed_demo")
    user.refresh_from_db()
    assert user.check_password("my own secret passphrase")


@pytest.mark.django_db
@pytest.mark.clock
def test_seed_demo_shows_every_contract_state(settings):
    from billing.models import Invoice
    from mentorship.models import Contract
    from sessions import usage

    settings.DEBUG = True
    call_command("seed_demo")
    contracts = {contract.reference: contract for contract in Contract.objects.all()}
    assert {c.organisation.name for c in contracts.values()} == {"Björkvik Logistik AB", "Solhaga Energi AB"}
    assert {c.unit for c in contracts.values()} == {"sessions", "hours"}
    nearly = usage.usage_of(contracts["BL-2026-014"])
    assert nearly.left == 1
    assert contracts["BL-2026-014"].engagements.count() == 2  # Erik's and the leadership team's
    assert Invoice.objects.filter(contract=contracts["BL-2026-014"]).count() == 1  # last month, finalised


@pytest.mark.django_db
@pytest.mark.parametrize(
    "today", ["2026-12-10T10:00:00+01:00", "2026-12-31T10:00:00+01:00", "2027-06-11T10:00:00+02:00"]
)
def test_seed_demo_books_nothing_on_a_holiday(settings, today):
    import datetime
    import zoneinfo

    import time_machine

    from mentorship import workdays
    from sessions.models import MentoringSession

    settings.DEBUG = True
    with time_machine.travel(datetime.datetime.fromisoformat(today), tick=False):
        call_command("seed_demo")
    sessions = list(MentoringSession.objects.select_related("mentor"))
    assert sessions
    on_holidays = [
        s for s in sessions if workdays.is_holiday(s.start.astimezone(zoneinfo.ZoneInfo(s.mentor.time_zone)).date())
    ]
    assert on_holidays == []


@pytest.mark.django_db
def test_seed_demo_gives_the_team_one_to_ones_whose_notes_stay_with_each_member(settings):
    from sessions import access

    settings.DEBUG = True
    call_command("seed_demo")
    engagement = LeadershipTeam.objects.get().engagements.get()
    assert engagement.one_to_one_interval_months == 1
    one_to_ones = {s.mentee.email: s for s in engagement.sessions.filter(kind="one_to_one").select_related("mentee")}
    assert set(one_to_ones) == {"karin.alm@example.com", "oskar.lund@example.com", "ali.hassan@example.com"}
    assert one_to_ones["ali.hassan@example.com"].is_upcoming
    karin = one_to_ones["karin.alm@example.com"]
    assert karin.status == "completed"
    assert {note.visibility for note in karin.notes.all()} == {"shared", "private"}
    reader = {email: User.objects.get(email=email) for email in ("karin.alm@example.com", "maria.sjoberg@example.com")}
    assert [n.visibility for n in access.notes_visible_to(reader["karin.alm@example.com"], karin)] == ["shared"]
    assert not access.notes_visible_to(reader["maria.sjoberg@example.com"], karin).exists()
    assert not access.notes_visible_to(User.objects.get(email="admin@example.com"), karin).exists()
