"""Audit entries are stored as codes and parameters and read in the reader's language; entries
written before the codes keep showing the sentence they were stored with."""

import datetime

from django.urls import reverse
from django.utils import translation

from mentorship import audit
from mentorship.models import AuditEntry


def _page(client, reader) -> str:
    client.force_login(reader)
    return client.get(reverse("reporting:audit-log")).content.decode()


def test_an_export_is_stored_as_a_code_with_plain_parameters(consultancy_admin):
    entry = audit.record(
        actor=consultancy_admin,
        action=AuditEntry.Action.EXPORTED,
        detail="sponsor_report",
        params={"name": "Alder Freight AB", "start": "2026-01-01", "end": "2026-06-30"},
    )
    entry.refresh_from_db()
    assert (entry.detail_code, entry.detail_params["start"]) == ("sponsor_report", "2026-01-01")
    assert entry.target_label == "Sponsor report for Alder Freight AB, 1 Jan 2026–30 Jun 2026"


def test_the_same_entry_reads_in_swedish_and_in_english(client, consultancy_admin):
    audit.record(
        actor=consultancy_admin,
        action=AuditEntry.Action.EXPORTED,
        detail="csv_export",
        params={"kind": "sessions", "organisation": "Alder Freight AB", "status": "active", "from": "2026-12-01"},
    )
    assert "sessions CSV (Alder Freight AB, active, 1 Dec 2026–…)" in _page(client, consultancy_admin)
    consultancy_admin.language = "sv"
    consultancy_admin.save(update_fields=["language"])
    swedish = _page(client, consultancy_admin)
    assert "träffar CSV (Alder Freight AB, aktivt, 1 dec. 2026–…)" in swedish
    assert "Exporterade uppgifter" in swedish


def test_an_entry_written_before_the_codes_shows_its_stored_sentence(client, consultancy_admin):
    AuditEntry.objects.create(actor_label="old@example.org", action="exported", target_label="own data of user #7")
    consultancy_admin.language = "sv"
    consultancy_admin.save(update_fields=["language"])
    assert "own data of user #7" in _page(client, consultancy_admin)


def test_an_unknown_code_or_broken_parameters_fall_back_to_the_stored_sentence(db):
    broken = AuditEntry(action="exported", target_label="kept", detail_code="sponsor_report", detail_params={})
    unknown = AuditEntry(action="exported", target_label="also kept", detail_code="no_such_code")
    with translation.override("sv"):
        assert [audit.describe(broken), audit.describe(unknown)] == ["kept", "also kept"]


def test_a_persons_own_export_reads_in_the_readers_language(mentee):
    entry = audit.record(
        actor=mentee, action="exported", target=mentee, detail="own_data_export", params={"kind": "notes", "user": 5}
    )
    with translation.override("en"):
        assert audit.describe(entry) == "own session notes of user #5"
    with translation.override("sv"):
        assert "#5" in audit.describe(entry)
        assert audit.describe(entry) != "own session notes of user #5"


def test_the_dates_follow_the_readers_format(consultancy_admin):
    entry = audit.record(
        actor=consultancy_admin,
        action="exported",
        detail="sponsor_report",
        params={"name": "X", "start": datetime.date(2026, 3, 1).isoformat(), "end": "2026-05-31"},
    )
    with translation.override("sv"):
        assert audit.describe(entry) == "Sponsorrapport för X, 1 mars 2026–31 maj 2026"
