"""Consent, item by item, over every page built from the sponsor view: each progress item (a
goal's title, its ratings, a progress statement) × shared / not shared / withdrawn × viewer
(the mentee, the mentor, a sponsor of this organisation, a sponsor of another, an admin). The
sponsor portal and its engagement page, the mentee's preview and the admin's sponsor report
(and its printable version) show an item only while it is shared; people who may not open a
page get 403/404. No export (the admins' CSVs, another person's data export) and no email (the
extension request, the reminder sweep's) carries progress, whatever is shared. Withdrawing hides
an item on the sponsor's next request."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from privacy.export import export_own_data
from progress.consent.services import set_goal_consent, set_statement_consent
from progress.models import ConsentItem
from sessions.reminders.sweep import sweep

pytestmark = pytest.mark.django_db  # consent states and viewers, not dates: one run at the pinned clock

GOAL_TITLE = "GOAL-TITLE-7f3a Lead the warehouse change"
STATEMENT = "STATEMENT-7f3a I chair the Monday meeting now."
CHART = 'class="chart-frame"'  # a goal's ratings, drawn (with their table)
ITEMS = ["title", "ratings", "statement"]
STATES = ["shared", "private", "withdrawn"]
VIEWERS = ["mentee", "mentor", "sponsor", "other_sponsor", "consultancy_admin"]


def _goal_fields(item: str, state: str) -> dict:
    """The goal's consent for this case. The ratings case shares the title (ratings mean nothing
    without it) and varies the ratings."""
    if item == "title":
        return {"shared": {"shared": ("title",)}, "private": {}, "withdrawn": {"withdrawn": ("title",)}}[state]
    if item == "ratings":
        return {
            "shared": {"shared": ("title", "ratings")},
            "private": {"shared": ("title",)},
            "withdrawn": {"shared": ("title",), "withdrawn": ("ratings",)},
        }[state]
    return {}


@pytest.fixture
def plan(engagement, mentee, goal_factory, check_in_factory, statement_factory):
    """make(item, state): the engagement's goal with mentee check-ins, and a statement."""

    def make(item: str, state: str):
        goal = goal_factory(engagement=engagement, title=GOAL_TITLE, **_goal_fields(item, state))
        check_in_factory(engagement=engagement, person=mentee, goals={goal: 3})
        statement = statement_factory(
            engagement=engagement, text=STATEMENT, state=state if item == "statement" else "private"
        )
        return goal, statement

    return make


def _marker(item: str) -> str:
    return {"title": GOAL_TITLE, "ratings": CHART, "statement": STATEMENT}[item]


def _pages(viewer: str, engagement) -> list[tuple[str, int, bool]]:
    """(url, expected status, whether the page shows this engagement's shared items) per page."""
    portal = reverse("sponsors:portal")
    page = reverse("sponsors:engagement", args=[engagement.uuid])
    preview = reverse("sponsors:preview", args=[engagement.uuid])
    reports = [
        reverse(name, args=[engagement.organisation.uuid]) for name in ("sponsors:report", "sponsors:report-print")
    ]
    expected = {
        "sponsor": [(portal, 200, True), (page, 200, True), (preview, 404, False)],
        "mentee": [(preview, 200, True), (portal, 403, False), (page, 404, False)],
        "consultancy_admin": [(url, 200, True) for url in reports] + [(page, 404, False), (preview, 404, False)],
        "mentor": [(portal, 403, False), (page, 404, False), (preview, 404, False)],
        "other_sponsor": [(portal, 200, False), (page, 404, False), (preview, 404, False)],
    }[viewer]
    if viewer != "consultancy_admin":
        expected += [(url, 404, False) for url in reports]
    return expected


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("item", ITEMS)
def test_an_item_shows_only_while_shared_and_only_to_those_who_may_see(
    client, request, plan, engagement, sponsor, other_sponsor, item, state, viewer
):
    plan(item, state)
    client.force_login(request.getfixturevalue(viewer))
    for url, status, shows_engagement in _pages(viewer, engagement):
        response = client.get(url)
        assert response.status_code == status, (url, viewer)
        content = response.content.decode()
        assert (_marker(item) in content) == (shows_engagement and state == "shared"), (url, viewer, item, state)
        if response.status_code == 200 and item == "ratings" and state != "shared" and shows_engagement:
            assert GOAL_TITLE in content  # the goal is listed, its ratings are not
            assert "The progress ratings are not shared." in content


def test_withdrawing_hides_each_item_on_the_sponsors_next_request(sponsor_client, plan, engagement, mentee):
    goal, statement = plan("ratings", "shared")
    set_statement_consent(actor=mentee, statement=statement, share=True)
    page = reverse("sponsors:engagement", args=[engagement.uuid])
    before = sponsor_client.get(page).content.decode()
    assert GOAL_TITLE in before
    assert CHART in before
    assert STATEMENT in before

    set_goal_consent(actor=mentee, goal=goal, item=ConsentItem.GOAL_RATINGS, share=False)
    after_ratings = sponsor_client.get(page).content.decode()
    assert GOAL_TITLE in after_ratings
    assert CHART not in after_ratings

    set_statement_consent(actor=mentee, statement=statement, share=False)
    assert STATEMENT not in sponsor_client.get(page).content.decode()

    set_goal_consent(actor=mentee, goal=goal, item=ConsentItem.GOAL_TITLE, share=False)
    for url in (page, reverse("sponsors:portal")):
        assert GOAL_TITLE not in sponsor_client.get(url).content.decode()


def test_the_report_the_portal_and_the_preview_show_the_same_progress(
    client, plan, engagement, mentee, sponsor, consultancy_admin
):
    plan("ratings", "shared")
    seen = {}
    for who, url in [
        (sponsor, reverse("sponsors:portal")),
        (mentee, reverse("sponsors:preview", args=[engagement.uuid])),
        (consultancy_admin, reverse("sponsors:report", args=[engagement.organisation.uuid])),
    ]:
        client.force_login(who)
        context = client.get(url).context
        views = context.get("views") or [context.get("view") or context["report"]]
        seen[who.pk] = [row.progress for row in views[0].rows]
    assert len({repr(progress) for progress in seen.values()}) == 1
    assert seen[sponsor.pk][0].goals[0].title == GOAL_TITLE


def _everything_shared(plan, mentee):
    goal, statement = plan("ratings", "shared")
    set_statement_consent(actor=mentee, statement=statement, share=True)
    return goal, statement


def test_no_export_carries_progress_whatever_is_shared(client, plan, consultancy_admin, mentee, sponsor, engagement):
    """The admins' CSV exports hold codes and counts only; a person's own data export holds their
    own plan (the mentee's), never anybody else's (the sponsor's holds none)."""
    _everything_shared(plan, mentee)
    client.force_login(consultancy_admin)
    for name in ("reporting:export-engagements", "reporting:export-sessions"):
        body = b"".join(client.get(reverse(name)).streaming_content).decode()
        assert GOAL_TITLE not in body
        assert STATEMENT not in body
    assert GOAL_TITLE in str(export_own_data(user=mentee))
    sponsors_own = str(export_own_data(user=sponsor))
    assert GOAL_TITLE not in sponsors_own
    assert STATEMENT not in sponsors_own


def test_no_email_carries_progress_whatever_is_shared(
    sponsor_client, plan, consultancy_admin, mentee, engagement, django_capture_on_commit_callbacks
):
    """Emails that go out around a shared plan — the sponsor's extension request to the admins,
    and everything the reminder sweep sends — never quote it."""
    _everything_shared(plan, mentee)
    with django_capture_on_commit_callbacks(execute=True):
        sponsor_client.post(
            reverse("sponsors:extension-request", args=[engagement.uuid]), {"message": "Six more months, please."}
        )
        sweep(timezone.now())
    assert mail.outbox  # the admins were told of the request
    for message in mail.outbox:
        text = message.subject + message.body + "".join(str(part[0]) for part in getattr(message, "alternatives", []))
        assert GOAL_TITLE not in text
        assert STATEMENT not in text
