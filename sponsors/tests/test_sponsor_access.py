"""sponsors.access as a table: (person, object) → allowed. A sponsor reaches the engagements of
the organisations they sponsor (started ones), nothing else; the preview is the engagement's
mentee's alone; the sponsor report is the admins'."""

import pytest
from django.http import Http404
from django.utils import timezone

from demo.factories import make_engagement
from mentorship.models import Sponsorship
from sponsors import access

pytestmark = pytest.mark.django_db

PEOPLE = ["sponsor", "other_sponsor", "mentee", "mentor", "consultancy_admin", "outsider_mentee"]
SPONSOR_PAGE = {"sponsor": {"engagement"}, "other_sponsor": {"outsider_engagement"}}
PREVIEW = {"mentee": {"engagement"}, "outsider_mentee": {"outsider_engagement"}}


def _allowed(fetch, user, engagement) -> bool:
    try:
        fetch(user, engagement.uuid)
    except Http404:
        return False
    return True


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("target", ["engagement", "outsider_engagement"])
def test_the_sponsor_page_and_the_preview_as_a_table(request, person, target):
    user, engagement = request.getfixturevalue(person), request.getfixturevalue(target)
    assert _allowed(access.get_engagement_for_sponsor, user, engagement) == (target in SPONSOR_PAGE.get(person, ()))
    assert _allowed(access.get_engagement_for_preview, user, engagement) == (target in PREVIEW.get(person, ()))


@pytest.mark.parametrize("person", PEOPLE)
def test_only_admins_open_the_sponsor_report(request, person, organisation):
    user = request.getfixturevalue(person)
    try:
        access.get_organisation_for_report(user, organisation.uuid)
    except Http404:
        allowed = False
    else:
        allowed = True
    assert allowed == (person == "consultancy_admin")


def test_a_sponsor_sees_started_engagements_of_their_organisation_only(
    sponsor, mentee, engagement, outsider_engagement
):
    proposed = make_engagement(mentee=mentee)
    assert set(access.engagements_for_sponsor(sponsor)) == {engagement}
    assert proposed not in access.engagements_for_sponsor(sponsor)


def test_a_revoked_or_inactive_sponsor_sees_nothing(sponsor, engagement):
    Sponsorship.objects.filter(user=sponsor).update(revoked_at=timezone.now())
    assert not access.engagements_for_sponsor(sponsor).exists()
    assert not access.sponsored_organisations(sponsor).exists()
    Sponsorship.objects.filter(user=sponsor).update(revoked_at=None)
    sponsor.is_active = False
    sponsor.save()
    assert not access.engagements_for_sponsor(sponsor).exists()
