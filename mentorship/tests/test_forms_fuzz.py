"""Property-based tests: any input gives a form error or a redirect, never an exception.

Every form class defined in the project's form modules is found by discovery and fed random,
huge (10 000+ characters), unicode (NUL, right-to-left marks) and HTML/script input in every
field, mixed with plausible values (real choices, dates at the ends of the calendar, huge
numbers) so the fuzzing also reaches the forms' own `clean()` methods. A handful of important
POST views get the same treatment through the test client, starting from a valid post and
spoiling some of its fields, and the page a redirect leads to is opened too.
"""

import datetime
import importlib
import inspect
import os
import pkgutil
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from accounts.forms import ProfileForm
from accounts.models import User
from core.tests.helpers import days_from_now
from demo.factories import make_availability, make_contract, make_session, make_venue
from mentorship.engagements.forms import EngagementCreateForm
from mentorship.inquiries.forms import InquiryForm
from mentorship.models import Contract, Engagement, FocusArea, Inquiry, LeadershipTeam, MentorProfile, Organisation
from sessions.availability.forms import AvailabilityWindowForm
from sessions.booking import selectors as session_selectors
from sessions.booking.forms import SlotVenueForm
from sessions.followup.forms import ActionItemForm, FeedbackForm
from sessions.models import (
    AvailabilityWindow,
    BookingSettings,
    Feedback,
    MentoringSession,
    SessionStatus,
    TimeOff,
    Venue,
)
from sessions.records.forms import NoteForm

# 10 examples a run: each run draws new ones, and the fixed hostile values run every time
# (test_every_form_survives_each_hostile_value_in_all_fields). FUZZ_EXAMPLES=500 digs deeper when
# hunting. Hypothesis keeps failing examples in .hypothesis/ (git-ignored by itself) and replays
# them first next time.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "10")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


# Known bugs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownBug:
    """A 500 this fuzzing found in code outside this test's remit, reported to the lead. Its
    `test_known_bug_*` below is a strict xfail: once the bug is fixed that test fails, and the
    entry and the xfail marker are to be removed together."""

    exception: type[BaseException]
    message: str
    raised_in: str  # a file the traceback passes through

    def matches(self, error: BaseException) -> bool:
        files = [frame.filename for frame in traceback.extract_tb(error.__traceback__)]
        return (
            isinstance(error, self.exception)
            and self.message in str(error)
            and any(name.endswith(self.raised_in) for name in files)
        )


# Errors the fuzzing found and that are not fixed yet (none now: the two it found — a booking
# start at the calendar's far end, an engagement starting in year 9999 — were fixed and have
# regression tests below).
KNOWN_BUGS: list[KnownBug] = []


@contextmanager
def known_bugs_tolerated() -> Iterator[None]:
    """Drop an example that hits a known bug (so the fuzzing stays useful for everything else)."""
    try:
        yield
    except Exception as error:
        if any(bug.matches(error) for bug in KNOWN_BUGS):
            reject()
        raise


# Discovery -------------------------------------------------------------------------------------


PROJECT_PACKAGES = ["core", "accounts", "mentorship", "sessions", "privacy", "reporting", "billing", "overview", "demo"]


def _form_modules() -> list[str]:
    """Every `forms` module of the project (each topic keeps its forms next to its views)."""
    names = []
    for package_name in PROJECT_PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
            if info.name.rsplit(".", 1)[-1] == "forms" and ".tests" not in info.name:
                names.append(info.name)
    return names


def discover_form_classes() -> list[type[forms.BaseForm]]:
    found = []
    for module_name in _form_modules():
        module = importlib.import_module(module_name)
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, forms.BaseForm) and obj.__module__ == module_name:
                found.append(obj)
    return sorted(found, key=lambda cls: (cls.__module__, cls.__name__))


FORM_CLASSES = discover_form_classes()


def test_discovery_finds_the_forms_of_every_app():
    names = {cls.__name__ for cls in FORM_CLASSES}
    assert {"ProfileForm", "DeletionRequestForm", "EngagementCreateForm", "InquiryForm", "SlotVenueForm"} <= names
    assert {"NoteForm", "FeedbackForm", "ActionItemForm", "AvailabilityWindowForm", "VenueForm"} <= names
    assert len(FORM_CLASSES) >= 30


# Input ----------------------------------------------------------------------------------------

HOSTILE = [
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",  # right-to-left override
    "\u200f\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",  # RTL mark, Hebrew, Arabic
    "\ufeff",
    "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f\u031e\u0320\u034d",
    "𝕳𝖊𝖑𝖑𝖔 🙂👩🏽‍💻",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7|add:7 }}{% debug %}",
    "' OR '1'='1'; --",
    "%s %n %x",
    "../../../../etc/passwd",
    "line\r\nSet-Cookie: x=1",
    " ",
    "",
    "-1",
    "0",
    "1e309",
    "NaN",
    "Infinity",
    "99999999999999999999999999",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "24:00",
    "2026-02-30",
    "00000000-0000-0000-0000-000000000000",
]
SCRIPT_MARKERS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


def _repeat(piece: str, size: int) -> str:
    return (piece * (size // max(len(piece), 1) + 1))[:size]


huge_text = st.builds(
    _repeat, st.text(min_size=1, max_size=8) | st.sampled_from(HOSTILE[:14]), st.integers(10_000, 12_000)
)
hostile_text = st.one_of(
    st.text(),
    st.sampled_from(HOSTILE),
    huge_text,
    st.builds(lambda a, b, c: a + b + c, st.text(max_size=10), st.sampled_from(HOSTILE), st.text(max_size=10)),
)


def _choice_keys(choices) -> list[str]:
    keys = []
    for key, label in choices:
        if isinstance(label, (list, tuple)):  # an option group
            keys += [str(inner) for inner, _label in label]
        else:
            keys.append(str(key))
    return keys


def plausible_values(form_field: forms.Field) -> st.SearchStrategy[str]:
    """Values of the right shape for the field, valid or just outside what it accepts."""
    if isinstance(form_field, forms.ModelChoiceField):
        keys = [str(form_field.prepare_value(obj)) for obj in form_field.queryset[:10]]
        return st.sampled_from([*keys, "", "0", "999999"])
    if isinstance(form_field, forms.ChoiceField):
        return st.sampled_from([*_choice_keys(form_field.choices), ""])
    if isinstance(form_field, forms.BooleanField):
        return st.sampled_from(["on", "true", "false", "0", ""])
    if isinstance(form_field, forms.DateTimeField):
        return st.datetimes().map(lambda value: value.isoformat(" "))
    if isinstance(form_field, forms.DateField):
        today = datetime.date.today()
        near = st.integers(-800, 800).map(lambda days: today + datetime.timedelta(days=days))
        return st.one_of(near, st.dates()).map(datetime.date.isoformat)
    if isinstance(form_field, forms.TimeField):
        return st.times().map(lambda value: value.strftime("%H:%M"))
    if isinstance(form_field, (forms.IntegerField, forms.FloatField, forms.DecimalField)):
        return st.one_of(st.integers(-5, 400), st.integers()).map(str)
    if isinstance(form_field, forms.EmailField):
        return st.emails()
    if isinstance(form_field, forms.URLField):
        return st.sampled_from(["https://meet.example.org/room", "http://", "example.org", "ftp://x", "https://[::1"])
    # Text, and timestamps for the text fields that parse one (the booking form's slot start).
    return st.one_of(st.text(max_size=60), st.datetimes(timezones=st.timezones()).map(datetime.datetime.isoformat))


def _keys(form: forms.BaseForm, name: str) -> list[str]:
    widget = form.fields[name].widget
    if isinstance(widget, forms.MultiWidget):
        return [f"{form.add_prefix(name)}_{index}" for index in range(len(widget.widgets))]
    return [form.add_prefix(name)]


def field_values(form: forms.BaseForm, name: str) -> st.SearchStrategy[list[str] | None]:
    """What to post for one field: nothing, one or more hostile values, or plausible ones."""
    form_field = form.fields[name]
    many = 4 if isinstance(form_field, forms.MultipleChoiceField) else 1
    return st.one_of(
        st.none(),
        st.lists(hostile_text, min_size=1, max_size=many),
        st.lists(plausible_values(form_field), min_size=1, max_size=many),
    )


def draw_post(data: st.DataObject, form: forms.BaseForm, names=None) -> dict[str, list[str]]:
    post = {}
    for name in names if names is not None else form.fields:
        values = data.draw(field_values(form, name), label=name)
        if values is not None:
            for key in _keys(form, name):
                post[key] = values
    return post


# Context for forms that need constructor arguments ---------------------------------------------


@dataclass
class World:
    """The people and records the forms and views are built around."""

    admin: User
    mentor: User
    mentee: User
    organisation: Organisation
    team: LeadershipTeam
    engagement: Engagement
    profile: MentorProfile
    held: MentoringSession
    venue: Venue
    contract: Contract

    def form_kwargs(self) -> dict[str, Any]:
        """Keyword-only constructor arguments, by name. A new form needing another one fails
        `test_every_form_survives_any_input` with the name to add here."""
        return {
            "engagement": self.engagement,
            "organisation": self.organisation,
            "team": self.team,
            "organisations": Organisation.objects.all(),
            "mentors": User.objects.filter(is_mentor=True),
            "mentees": User.objects.filter(is_mentee=True),
            "teams": LeadershipTeam.objects.all(),
            "time_zone": self.mentor.time_zone,
            "chooses_owner": True,
            "contract": self.contract,
            "offer_switch": True,
            "has_future_sessions": True,
            "members": [seat.user for seat in self.team.memberships.select_related("user")],
            "owners": User.objects.filter(pk__in=[self.mentor.pk, self.mentee.pk]),
            "today": datetime.date(2026, 11, 25),
            "inquiry": Inquiry(name="Lena Varg", email="lena.varg@example.org", kind=Inquiry.Kind.TEAM),
        }

    def instance_for(self, form_class) -> Any:
        """The instance a view passes to a model form (None: a new object)."""
        model = getattr(getattr(form_class, "_meta", None), "model", None)
        if model is User:
            return self.mentee
        if model is MentorProfile:
            return self.profile
        if model is AvailabilityWindow:
            return AvailabilityWindow(mentor=self.mentor, time_zone=self.mentor.time_zone)
        if model is TimeOff:
            return TimeOff(mentor=self.mentor)
        if model is BookingSettings:
            return BookingSettings(mentor=self.mentor)
        if form_class.__name__ == "TeamMembershipTitleForm":
            return self.team.memberships.first()
        if form_class.__name__ == "EngagementEditForm":
            return self.engagement
        return None


@pytest.fixture
def world(consultancy_admin, mentor, mentee, organisation, team, engagement, mentor_profile_factory) -> World:
    held = make_session(engagement=engagement, start=days_from_now(-2), status=SessionStatus.COMPLETED)
    venue = make_venue()
    make_availability(mentor=mentor)
    profile = mentor_profile_factory(user=mentor, focus=["leadership"])
    contract = make_contract(organisation=organisation)
    return World(consultancy_admin, mentor, mentee, organisation, team, engagement, profile, held, venue, contract)


def build_form(form_class, data, world: World) -> forms.BaseForm:
    kwargs = {}
    available = world.form_kwargs()
    for parameter in inspect.signature(form_class.__init__).parameters.values():
        if parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty:
            assert parameter.name in available, f"{form_class.__name__} needs {parameter.name}=: add it to World"
            kwargs[parameter.name] = available[parameter.name]
    if issubclass(form_class, forms.BaseModelForm):
        kwargs["instance"] = world.instance_for(form_class)
    return form_class(data, **kwargs)


# Every form -------------------------------------------------------------------------------------


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
@FUZZ
@given(data=st.data())
def test_every_form_survives_any_input(form_class, world, data):
    blank = build_form(form_class, None, world)
    post = MultiValueDict(draw_post(data, blank))
    with known_bugs_tolerated():
        _check_form(build_form(form_class, post, world))


def _check_form(form: forms.BaseForm) -> None:
    valid = form.is_valid()
    assert valid in (True, False)
    assert valid or form.errors
    # What a page does next: show the form again with the input and its errors, escaped.
    html = render_to_string("includes/form.html", {"form": form})
    assert not any(marker in html for marker in SCRIPT_MARKERS)


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_form_survives_each_hostile_value_in_all_fields(form_class, world):
    """The fixed list, every time (the random tests may or may not draw a given value)."""
    blank = build_form(form_class, None, world)
    for value in [*HOSTILE, _repeat("<script>alert(1)</script>\x00\u202e", 12_000)]:
        post = MultiValueDict({key: [value] for name in blank.fields for key in _keys(blank, name)})
        try:
            _check_form(build_form(form_class, post, world))
        except Exception as error:
            if not any(bug.matches(error) for bug in KNOWN_BUGS):
                raise AssertionError(f"{form_class.__name__} raised on {value[:40]!r}") from error


# Important POST views ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ViewCase:
    who: str  # "anonymous" or a World attribute
    url: Any  # World -> str
    form: Any  # World -> the unbound form the view shows
    valid: Any  # World -> a post the view accepts
    form_context: str = "form"


def _first_free_start(world: World) -> str:
    slots = session_selectors.free_slots_for_engagement(world.engagement)
    return slots[0].start.isoformat()


VIEW_CASES = {
    "profile": ViewCase(
        who="mentee",
        url=lambda w: reverse("accounts:profile"),
        form=lambda w: ProfileForm(instance=w.mentee),
        valid=lambda w: {"full_name": "Dave Mentee", "time_zone": "Europe/Stockholm", "language": "en"},
    ),
    "inquiry": ViewCase(
        who="anonymous",
        url=lambda w: reverse("mentorship:inquiry-create"),
        form=lambda w: InquiryForm(),
        valid=lambda w: {
            "name": "Greta Lead",
            "email": "greta@example.net",
            "company": "Cedar AB",
            "kind": "individual",
            "message": "We would like a mentor for our new CFO.",
            "website": "",
        },
    ),
    "engagement-create": ViewCase(
        who="admin",
        url=lambda w: reverse("mentorship:engagement-create"),
        form=lambda w: EngagementCreateForm(
            mentees=User.objects.filter(is_mentee=True), teams=LeadershipTeam.objects.all()
        ),
        valid=lambda w: {
            "mentee": str(w.mentee.pk),
            "triggers": ["new_in_role"],
            "initiated_by": "mentee",
            "focus_areas": [str(FocusArea.objects.filter(is_active=True).first().pk)],
            "goals": "Grow into the role.",
            "preferred_language": "sv",
            "start_date": "2026-09-01",
            "planned_months": "6",
            "initial_phase_weeks": "12",
            "initial_interval_days": "14",
            "steady_interval_months": "1",
            "session_minutes": "120",
        },
    ),
    "booking": ViewCase(
        who="mentee",
        url=lambda w: reverse("mentoring_sessions:book", args=[w.engagement.uuid]),
        form=lambda w: SlotVenueForm(engagement=w.engagement),
        valid=lambda w: {"start": _first_free_start(w), "venue": str(w.venue.pk)},
    ),
    "note-create": ViewCase(
        who="mentor",
        url=lambda w: reverse("mentoring_sessions:note-create", args=[w.held.uuid]),
        form=lambda w: NoteForm(),
        valid=lambda w: {"body": "We talked about delegation.", "visibility": "private"},
    ),
    "feedback": ViewCase(
        who="mentee",
        url=lambda w: reverse("mentoring_sessions:session-feedback", args=[w.held.uuid]),
        form=lambda w: FeedbackForm(),
        valid=lambda w: {"usefulness": "4", "trust": "5", "comment": "Helpful."},
    ),
    "action-item-create": ViewCase(
        who="mentor",
        url=lambda w: reverse("mentoring_sessions:action-items", args=[w.engagement.uuid]),
        form=lambda w: ActionItemForm(engagement=w.engagement, chooses_owner=True),
        valid=lambda w: {"text": "Draft the hiring plan", "owner": str(w.mentee.pk), "due_date": ""},
    ),
    "availability-window-create": ViewCase(
        who="mentor",
        url=lambda w: reverse("mentoring_sessions:availability-window-create"),
        form=lambda w: AvailabilityWindowForm(prefix="window"),
        valid=lambda w: {"window-weekday": "0", "window-start_time": "17:00", "window-end_time": "20:00"},
        form_context="window_form",
    ),
}


def _post_as(client, world: World, case: ViewCase, post: dict):
    client.logout()
    if case.who != "anonymous":
        client.force_login(getattr(world, case.who))
    return client.post(case.url(world), post)


@pytest.mark.parametrize("name", VIEW_CASES)
def test_the_valid_post_each_view_fuzz_starts_from_is_accepted(client, world, name):
    case = VIEW_CASES[name]
    response = _post_as(client, world, case, case.valid(world))
    assert response.status_code == 302, response.context[case.form_context].errors if response.context else ""


@pytest.mark.parametrize("name", VIEW_CASES)
@FUZZ
@given(data=st.data())
def test_important_views_answer_any_post_with_a_form_error_or_a_redirect(client, world, name, data):
    cache.clear()  # rate limits (the inquiry form) would otherwise turn later posts into 429s
    case = VIEW_CASES[name]
    form = case.form(world)
    post = dict(case.valid(world))
    spoiled = data.draw(st.sets(st.sampled_from(sorted(form.fields)), min_size=1), label="spoiled fields")
    for name_ in spoiled:
        for key in _keys(form, name_):
            post.pop(key, None)
    post.update(draw_post(data, form, sorted(spoiled)))

    with known_bugs_tolerated():
        response = _post_as(client, world, case, post)

    if response.status_code == 302:
        page = client.get(response["Location"])
        assert page.status_code == 200, response["Location"]
        assert not any(marker.encode() in page.content for marker in SCRIPT_MARKERS)
        return
    if name == "feedback" and response.status_code == 409:  # an earlier example already gave feedback
        assert Feedback.objects.filter(session=world.held, mentee=world.mentee).exists()
        return
    assert response.status_code == 200
    assert response.context[case.form_context].errors
    assert not any(marker.encode() in response.content for marker in SCRIPT_MARKERS)


EDGE_VALUES = [
    "",
    "\x00",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "24:00",
    "23:59",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
]
TYPED_FIELDS = (forms.DateField, forms.TimeField, forms.DateTimeField, forms.IntegerField)


@pytest.mark.parametrize("name", VIEW_CASES)
def test_important_views_answer_edge_values_in_typed_fields_without_a_500(client, world, name):
    """Dates at the ends of the calendar, huge numbers, impossible times, one field at a time on
    an otherwise valid post: what gets past a form's own checks into a service."""
    case = VIEW_CASES[name]
    form = case.form(world)
    typed = [n for n, f in form.fields.items() if isinstance(f, TYPED_FIELDS) or n == "start"]
    for field_name in typed:
        for value in EDGE_VALUES:
            post = {**case.valid(world), form.add_prefix(field_name): value}
            try:
                response = _post_as(client, world, case, post)
            except Exception as error:
                if any(bug.matches(error) for bug in KNOWN_BUGS):
                    continue
                raise AssertionError(f"{name}: {field_name}={value!r} raised") from error
            assert response.status_code in (200, 302, 409), (field_name, value, response.status_code)


def test_a_booking_start_at_the_end_of_the_calendar_gets_a_form_error(client, world):
    case = VIEW_CASES["booking"]
    response = _post_as(client, world, case, {**case.valid(world), "start": "0001-01-01T00:00:00+14:00"})
    assert response.status_code == 200
    assert response.context["form"].errors["start"]


def test_an_engagement_starting_in_year_9999_gets_a_form_error(client, world):
    case = VIEW_CASES["engagement-create"]
    created = _post_as(client, world, case, {**case.valid(world), "start_date": "9999-12-31"})
    assert created.status_code == 200
    assert created.context["form"].errors["start_date"]
    edit_post = {key: value for key, value in case.valid(world).items() if key != "mentee"}
    edited = client.post(
        reverse("mentorship:engagement-edit", args=[world.engagement.uuid]), {**edit_post, "start_date": "9999-12-31"}
    )
    assert edited.status_code == 200
    assert edited.context["form"].errors["start_date"]
