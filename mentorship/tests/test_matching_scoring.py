"""The scoring is a pure function: these tables pin its exact scores and reasons."""

import random

import pytest
from django.utils import translation

from mentorship.matching.scoring import Area, Candidate, Need, Reason, rank, score

LEADERSHIP = Area(1, "Leadership")
COMMUNICATION = Area(2, "Communication")
STRATEGY = Area(3, "Strategy")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def need(**fields) -> Need:
    defaults = {
        "focus_areas": (LEADERSHIP, COMMUNICATION),
        "preferred_language": "sv",
        "is_team": False,
        "city": "Göteborg",
    }
    return Need(**{**defaults, **fields})


def candidate(**fields) -> Candidate:
    defaults = {
        "mentor_id": 1,
        "name": "Bob Mentor",
        "focus_area_ids": frozenset({1, 2}),
        "languages": ("sv", "en"),
        "mentors_teams": False,
        "capacity": 4,
        "active_count": 1,
        "accepting_new": True,
        "region": "",
    }
    return Candidate(**{**defaults, **fields})


SCORES = [
    pytest.param(
        need(),
        candidate(region="göteborg "),
        61,
        [
            ("focus", 20, "Focus areas in common: Leadership, Communication"),
            ("language", 30, "Speaks Swedish"),
            ("capacity", 6, "Room for 3 more engagements (1 of 4 active)"),
            ("region", 5, "Based in göteborg, like the client"),
        ],
        [],
        id="everything-fits-region-case-insensitive",
    ),
    pytest.param(
        need(),
        candidate(focus_area_ids=frozenset({3}), languages=("en",), capacity=10, active_count=0),
        10,
        [
            ("focus", 0, "No focus areas in common"),
            ("language", 0, "Does not speak Swedish"),
            ("capacity", 10, "Room for 10 more engagements (0 of 10 active)"),
        ],
        [],
        id="no-overlap-wrong-language-free-places-capped-at-five",
    ),
    pytest.param(
        need(focus_areas=(STRATEGY, LEADERSHIP), preferred_language="en", city=""),
        candidate(focus_area_ids=frozenset({1}), active_count=3, region="Stockholm"),
        42,
        [
            ("focus", 10, "Focus areas in common: Leadership"),
            ("language", 30, "Speaks English"),
            ("capacity", 2, "Room for 1 more engagement (3 of 4 active)"),
        ],
        [],
        id="one-area-one-place-no-client-city",
    ),
    pytest.param(
        need(is_team=True, city="Uppsala"),
        candidate(mentors_teams=True, region="Stockholm"),
        71,
        [
            ("focus", 20, "Focus areas in common: Leadership, Communication"),
            ("language", 30, "Speaks Swedish"),
            ("team", 15, "Mentors whole leadership teams"),
            ("capacity", 6, "Room for 3 more engagements (1 of 4 active)"),
            ("region", 0, "Based in Stockholm; the client is in Uppsala"),
        ],
        [],
        id="team-experience-counts-for-a-team",
    ),
    pytest.param(
        need(is_team=True, focus_areas=()),
        candidate(mentors_teams=False),
        36,
        [
            ("language", 30, "Speaks Swedish"),
            ("team", 0, "Does not mentor whole leadership teams"),
            ("capacity", 6, "Room for 3 more engagements (1 of 4 active)"),
        ],
        [],
        id="team-without-team-experience-and-no-focus-areas",
    ),
    pytest.param(
        need(is_team=False),
        candidate(mentors_teams=True),
        56,
        [
            ("focus", 20, "Focus areas in common: Leadership, Communication"),
            ("language", 30, "Speaks Swedish"),
            ("capacity", 6, "Room for 3 more engagements (1 of 4 active)"),
        ],
        [],
        id="team-experience-ignored-for-one-mentee",
    ),
    pytest.param(
        need(),
        candidate(active_count=4),
        50,
        [
            ("focus", 20, "Focus areas in common: Leadership, Communication"),
            ("language", 30, "Speaks Swedish"),
        ],
        ["At capacity: 4 of 4 active"],
        id="at-capacity-set-apart",
    ),
    pytest.param(
        need(),
        candidate(active_count=6),
        50,
        [
            ("focus", 20, "Focus areas in common: Leadership, Communication"),
            ("language", 30, "Speaks Swedish"),
        ],
        ["At capacity: 6 of 4 active"],
        id="over-capacity-set-apart",
    ),
    pytest.param(
        need(),
        candidate(accepting_new=False, capacity=0, active_count=0),
        50,
        [
            ("focus", 20, "Focus areas in common: Leadership, Communication"),
            ("language", 30, "Speaks Swedish"),
        ],
        ["Not taking new engagements", "At capacity: 0 of 0 active"],
        id="not-accepting-and-zero-capacity",
    ),
    pytest.param(
        need(),
        candidate(declined_reason="On parental leave <b>until May</b>"),
        56,
        [
            ("focus", 20, "Focus areas in common: Leadership, Communication"),
            ("language", 30, "Speaks Swedish"),
            ("capacity", 6, "Room for 3 more engagements (1 of 4 active)"),
        ],
        ["Declined this engagement: On parental leave <b>until May</b>"],
        id="declined-set-apart-with-reason",
    ),
]


@pytest.mark.parametrize(("the_need", "the_candidate", "expected_score", "expected_reasons", "set_apart"), SCORES)
def test_score_and_reasons(the_need, the_candidate, expected_score, expected_reasons, set_apart):
    match = score(the_need, the_candidate)
    assert match.score == expected_score
    assert [(reason.kind, reason.points, reason.text) for reason in match.reasons] == expected_reasons
    assert list(match.set_apart_because) == set_apart
    assert match.is_available is (not set_apart)


def test_reasons_split_into_for_and_against():
    match = score(need(), candidate(languages=("en",)))
    assert [reason.text for reason in match.reasons_for] == [
        "Focus areas in common: Leadership, Communication",
        "Room for 3 more engagements (1 of 4 active)",
    ]
    assert match.reasons_against == [Reason("language", 0, "Does not speak Swedish")]


def test_reasons_follow_the_active_language():
    with translation.override("sv"):
        match = score(need(), candidate())
    texts = [reason.text for reason in match.reasons]
    assert any("svenska" in text.lower() for text in texts), texts


def test_unknown_language_code_is_shown_as_the_code():
    match = score(need(preferred_language="xx"), candidate())
    assert match.reasons[1].text == "Does not speak xx"


def test_ranking_orders_by_score_then_name_then_id_and_sets_apart():
    candidates = [
        candidate(mentor_id=5, name="Zoe", languages=("en",)),  # 26
        candidate(mentor_id=4, name="anna"),  # 56, ties with Anna (3) and Bea
        candidate(mentor_id=3, name="Anna"),  # 56
        candidate(mentor_id=2, name="Bea"),  # 56
        candidate(mentor_id=1, name="Carl", active_count=4),  # set apart
        candidate(mentor_id=6, name="Dora", accepting_new=False),  # set apart
        candidate(mentor_id=7, name="Eve", region="Göteborg"),  # 61
    ]
    ranking = rank(need(), candidates)
    assert [(m.candidate.mentor_id, m.score) for m in ranking.ranked] == [(7, 61), (3, 56), (4, 56), (2, 56), (5, 26)]
    assert [m.candidate.mentor_id for m in ranking.set_apart] == [6, 1]
    assert [m.candidate.mentor_id for m in ranking.top(3)] == [7, 3, 4]


def test_ranking_does_not_depend_on_the_input_order():
    candidates = [
        candidate(
            mentor_id=index, name=f"Mentor {index % 7}", active_count=index % 5, region=("Göteborg", "")[index % 2]
        )
        for index in range(1, 60)
    ]
    expected = rank(need(), candidates)
    shuffled = candidates[:]
    for seed in range(5):
        random.Random(seed).shuffle(shuffled)
        assert rank(need(), shuffled) == expected


def test_no_candidates_gives_an_empty_ranking():
    ranking = rank(need(), [])
    assert ranking.ranked == ()
    assert ranking.set_apart == ()
    assert ranking.top(3) == ()
