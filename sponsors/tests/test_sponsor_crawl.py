"""The sponsor crawl: signed in as a sponsor, follow every same-site link reachable from the
portal (GET only) and find on no page a note, a reflection, a feedback comment, a risk reason,
a progress item the mentee kept private, or anything of another organisation."""

import re
from collections import deque
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from django.urls import reverse

from demo.factories import make_feedback, make_note, make_reflection, make_statement
from reporting.health.dashboard import engagement_risk
from sessions.models import NoteRevision, SessionStatus

pytestmark = [pytest.mark.clock, pytest.mark.django_db]

SECRETS = {
    "private note": "PRIVATE-NOTE-c0ffee",
    "shared note": "SHARED-NOTE-c0ffee",
    "old note revision": "OLD-NOTE-c0ffee",
    "private reflection": "PRIVATE-REFLECTION-c0ffee",
    "shared reflection": "SHARED-REFLECTION-c0ffee",
    "feedback comment": "FEEDBACK-COMMENT-c0ffee",
    "private goal": "PRIVATE-GOAL-c0ffee",
    "withdrawn statement": "WITHDRAWN-STATEMENT-c0ffee",
}
HREF = re.compile(r'href="([^"]+)"')


@pytest.fixture
def world(engagement, team_engagement, outsider_engagement, mentor, mentee, past_session, goal_factory):
    """Alder: sessions with notes, reflections and feedback, two no-shows (a risk reason), a
    private goal, a withdrawn statement and a shared goal; Birch's engagement with its own."""
    held = past_session(engagement, days_ago=20)
    make_note(session=held, author=mentor, visibility="private", body=SECRETS["private note"])
    shared = make_note(session=held, author=mentor, visibility="shared", body=SECRETS["shared note"])
    NoteRevision.objects.create(note=shared, body=SECRETS["old note revision"], edited_by=mentor)
    make_reflection(session=held, visibility="private", body=SECRETS["private reflection"])
    make_reflection(session=held, visibility="shared", body=SECRETS["shared reflection"], timing="before")
    make_feedback(session=held, comment=SECRETS["feedback comment"])
    past_session(engagement, days_ago=6, status=SessionStatus.NO_SHOW)
    past_session(engagement, days_ago=4, status=SessionStatus.NO_SHOW)
    goal_factory(engagement=engagement, title=SECRETS["private goal"])
    goal_factory(engagement=engagement, title="SHARED-GOAL-c0ffee", shared=("title", "ratings"))
    make_statement(engagement=engagement, text=SECRETS["withdrawn statement"], state="withdrawn")
    outsider_session = past_session(outsider_engagement, days_ago=3)
    make_note(session=outsider_session, visibility="shared", body="BIRCH-NOTE-c0ffee")
    risk = engagement_risk(engagement)
    reasons = [signal.reason for signal in risk.signals] if risk else []
    assert reasons, "the seeded engagement should be at risk, with reasons to look for"
    return {"reasons": reasons, "other_names": ["Birch Power AB", "Erin Outsider", "BIRCH-NOTE-c0ffee"]}


def _links(page: str, base: str) -> list[str]:
    found = []
    for href in HREF.findall(page):
        url = urldefrag(urljoin(base, href.replace("&amp;", "&")))[0]
        parsed = urlparse(url)
        if parsed.netloc not in ("", "testserver") or parsed.scheme not in ("", "http"):
            continue
        if parsed.path.startswith("/static/"):
            continue
        found.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    return found


def test_nothing_confidential_is_reachable_from_the_sponsor_portal(sponsor_client, world, engagement):
    forbidden = list(SECRETS.values()) + world["reasons"] + world["other_names"]
    start = reverse("sponsors:portal")
    seen, queue, pages = {start}, deque([start]), {}
    while queue and len(seen) < 150:
        url = queue.popleft()
        response = sponsor_client.get(url)
        if response.status_code in (301, 302):
            continue
        assert response.status_code < 500, url
        if "text/html" not in response.get("Content-Type", ""):
            continue
        content = response.content.decode()
        pages[url] = response.status_code
        for secret in forbidden:
            assert secret not in content, (secret, url)
        for link in _links(content, url):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    assert pages[reverse("sponsors:engagement", args=[engagement.uuid])] == 200
    assert pages[reverse("sponsors:extension-request", args=[engagement.uuid])] == 200
    assert "SHARED-GOAL-c0ffee" in sponsor_client.get(start).content.decode()  # the crawl saw real content
