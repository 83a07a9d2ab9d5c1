"""The audit log: one function to record an entry, one to say what it was about in the reader's
language. Reading happens on the admin audit page.

An entry keeps what it was about as a code and its parameters (`detail_code`, `detail_params`:
ids, names, ISO dates, state codes), never as a sentence in the language of whoever did it, so a
Swedish admin reads Swedish and an English one English. `target_label` keeps the English sentence
too, for the Django admin's search; entries written before the codes have only it, and show it."""

import datetime
from collections.abc import Callable

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import User
from core.dates import local_format
from mentorship.models import AuditEntry, EngagementStatus


def record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    label: str = "",
    detail: str = "",
    params: dict | None = None,
) -> AuditEntry:
    """Record an entry. `detail` is a code of DETAILS with its `params` (JSON: plain values);
    without one, `label` (or the target's name) says what it was about."""
    params = params or {}
    if detail:
        with translation.override("en"):
            label = DETAILS[detail](params)
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=getattr(actor, "email", "") or "system",
        action=action,
        target_label=(label or (str(target) if target is not None else ""))[:300],
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        detail_code=detail,
        detail_params=params,
    )


def describe(entry: AuditEntry) -> str:
    """What the entry was about, in the active language; an older entry (or an unknown code) shows
    the sentence it was stored with."""
    render = DETAILS.get(entry.detail_code)
    if render is None:
        return entry.target_label
    try:
        return render(entry.detail_params)
    except (KeyError, TypeError, ValueError):
        return entry.target_label


def _day(value: str) -> str:
    return local_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT") if value else "…"


def _csv_export(params: dict) -> str:
    kinds = {"engagements": pgettext("export", "engagements"), "sessions": pgettext("export", "sessions")}
    status = params.get("status", "")
    parts = [
        params.get("organisation", ""),
        params.get("mentor", ""),
        str(EngagementStatus(status).label).lower() if status else "",
        f"{_day(params.get('from', ''))}–{_day(params.get('to', ''))}"
        if params.get("from") or params.get("to")
        else "",
    ]
    filters = ", ".join(part for part in parts if part) or _("everything")
    return _("%(kind)s CSV (%(filters)s)") % {"kind": kinds[params["kind"]], "filters": filters}


def _sponsor_report(params: dict) -> str:
    return _("Sponsor report for %(name)s, %(start)s–%(end)s") % {
        "name": params["name"],
        "start": _day(params["start"]),
        "end": _day(params["end"]),
    }


def _own_data_export(params: dict) -> str:
    kinds = {"data": _("own data"), "notes": _("own session notes")}
    return _("%(kind)s of user #%(user)s") % {"kind": kinds[params["kind"]], "user": params["user"]}


def _consent(params: dict) -> str:
    """A progress item (`progress.models.ConsentItem`'s codes) of an engagement, shared or
    withdrawn. Never the item's words: the audit log outlives them."""
    items = {
        "goal_title": _("a goal"),
        "goal_ratings": _("a goal's progress ratings"),
        "statement": _("the progress statement"),
    }
    item = items.get(params.get("item"), _("a progress item"))
    return _("%(item)s, engagement of %(engagement)s") % {"item": item, "engagement": params.get("engagement", "")}


DETAILS: dict[str, Callable[[dict], str]] = {
    "consent": _consent,
    "csv_export": _csv_export,
    "sponsor_report": _sponsor_report,
    "own_data_export": _own_data_export,
    "deletion_request": lambda params: _("deletion of user #%(user)s") % params,
    "deleted_user_data": lambda params: _("data of user #%(user)s") % params,
    "deleted_request": lambda params: _("deletion request #%(request)s") % params,
    "erased_person": lambda params: _("user #%(user)s (deleted)") % params,
    "erased_engagement": lambda params: _("engagement of user #%(user)s (deleted)") % params,
}
