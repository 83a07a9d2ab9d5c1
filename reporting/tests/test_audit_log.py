"""The audit log: what is recorded, the admins' page, and that nobody can change an entry."""

import datetime

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from demo.factories import make_user
from mentorship import audit
from mentorship.access import audit_entries_visible_to
from mentorship.models import AuditEntry

AUDIT_URL = "/audit-log/"


def test_the_url_name_resolves():
    assert reverse("reporting:audit-log") == AUDIT_URL


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitor_is_sent_to_login(client, db, method):
    response = getattr(client, method)(reverse("reporting:audit-log"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("person", ["mentee", "outsider_mentee", "mentor", "other_mentor"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_everybody_but_admins_gets_403(request, client, person, method):
    client.force_login(request.getfixturevalue(person))
    assert getattr(client, method)(reverse("reporting:audit-log")).status_code == 403


def test_admins_may_not_post_to_it(client, consultancy_admin):
    client.force_login(consultancy_admin)
    assert client.post(reverse("reporting:audit-log")).status_code == 405


@pytest.mark.parametrize("person", ["mentee", "mentor", "consultancy_admin"])
def test_the_scoper_gives_the_log_to_admins_only(request, db, person):
    audit.record(actor=None, action="exported", label="x")
    user = request.getfixturevalue(person)
    assert audit_entries_visible_to(user).count() == (1 if person == "consultancy_admin" else 0)


def test_an_admin_opening_an_engagement_page_is_recorded(client, consultancy_admin, engagement):
    client.force_login(consultancy_admin)
    assert client.get(engagement.get_absolute_url()).status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_type, entry.target_id) == (
        consultancy_admin,
        "viewed_engagement",
        "mentorship.Engagement",
        str(engagement.pk),
    )
    assert entry.target_label == "Dave Mentee"


@pytest.mark.parametrize("person", ["mentor", "mentee"])
def test_participants_opening_the_page_are_not_recorded(request, client, engagement, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(engagement.get_absolute_url()).status_code == 200
    assert not AuditEntry.objects.exists()


def test_the_page_lists_entries_newest_first_with_who_what_and_when(client, consultancy_admin, mentee):
    old = audit.record(actor=mentee, action="exported", target=mentee, label=f"own data of user #{mentee.pk}")
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=1))
    audit.record(actor=consultancy_admin, action="viewed_engagement", label="Alder leadership team")
    client.force_login(consultancy_admin)

    response = client.get(reverse("reporting:audit-log"))

    entries = list(response.context["page"])
    assert [entry.action for entry in entries] == ["viewed_engagement", "exported"]
    html = response.content.decode()
    assert "alice.admin@example.org" in html
    assert "Opened an engagement page" in html
    assert "Exported data" in html
    assert f"own data of user #{mentee.pk}" in html


def test_the_page_filters_by_action_and_ignores_an_unknown_one(client, consultancy_admin):
    audit.record(actor=consultancy_admin, action="exported", label="a")
    audit.record(actor=consultancy_admin, action="deleted", label="b")
    client.force_login(consultancy_admin)

    filtered = client.get(reverse("reporting:audit-log"), {"action": "deleted"})
    assert [entry.target_label for entry in filtered.context["page"]] == ["b"]
    assert 'aria-current="page">Deleted' in filtered.content.decode()

    unknown = client.get(reverse("reporting:audit-log"), {"action": "<script>", "page": "abc"})
    assert unknown.status_code == 200
    assert len(unknown.context["page"]) == 2
    assert "<script>" not in unknown.content.decode()


def test_the_page_is_paginated_and_keeps_the_filter(client, consultancy_admin):
    AuditEntry.objects.bulk_create(
        [AuditEntry(actor_label="x", action="exported", target_label=f"entry {index}") for index in range(55)]
    )
    client.force_login(consultancy_admin)
    first = client.get(reverse("reporting:audit-log"), {"action": "exported"})
    assert len(first.context["page"]) == 50
    assert "action=exported&amp;page=2" in first.content.decode()
    second = client.get(reverse("reporting:audit-log"), {"action": "exported", "page": 2})
    assert len(second.context["page"]) == 5
    beyond = client.get(reverse("reporting:audit-log"), {"page": 999})
    assert beyond.status_code == 200


def test_entry_text_is_escaped(client, consultancy_admin):
    audit.record(actor=None, action="exported", label="<b>bold</b>")
    client.force_login(consultancy_admin)
    html = client.get(reverse("reporting:audit-log")).content.decode()
    assert "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


@pytest.mark.parametrize("size", [1, 30])
def test_the_query_count_does_not_grow_with_entries(client, consultancy_admin, django_assert_num_queries, size):
    for index in range(size):
        actor = make_user(email=f"actor{index}@example.org", roles=("mentee",))
        audit.record(actor=actor, action="exported", target=actor, label=f"own data of user #{actor.pk}")
    client.force_login(consultancy_admin)
    client.get(reverse("reporting:audit-log"))
    with django_assert_num_queries(5):  # +1: the admin two-factor check
        assert client.get(reverse("reporting:audit-log")).status_code == 200


def test_there_is_no_view_to_change_or_delete_an_entry(db):
    for name in ("audit-edit", "audit-delete", "audit-entry-edit", "audit-entry-delete", "audit-entry"):
        with pytest.raises(NoReverseMatch):
            reverse(f"reporting:{name}", args=[1])


def test_the_django_admin_shows_entries_read_only(client, db):
    superuser = make_user(email="root.audit@example.org", is_staff=True, is_superuser=True)
    entry = audit.record(actor=superuser, action="exported", label="kept")
    model_admin = admin.site._registry[AuditEntry]
    request = RequestFactory().get("/")
    request.user = superuser
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)

    client.force_login(superuser)
    assert client.get(reverse("admin:mentorship_auditentry_changelist")).status_code == 200
    change_page = client.get(reverse("admin:mentorship_auditentry_change", args=[entry.pk]))
    assert change_page.status_code == 200
    assert 'name="target_label"' not in change_page.content.decode()
    response = client.post(
        reverse("admin:mentorship_auditentry_change", args=[entry.pk]), {"target_label": "changed", "action": "deleted"}
    )
    assert response.status_code == 403
    assert (
        client.post(reverse("admin:mentorship_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    )
    assert client.get(reverse("admin:mentorship_auditentry_add")).status_code == 403
    entry.refresh_from_db()
    assert (entry.target_label, entry.action) == ("kept", "exported")
