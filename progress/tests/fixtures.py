"""The progress world (registered in the root conftest): factories for goals, check-ins and
statements. Thin wrappers around demo/factories.py."""

import pytest

from demo import factories


@pytest.fixture
def goal_factory(db):
    """factories.make_goal: goal_factory(engagement=..., title=..., shared=("title", "ratings"), ...)."""
    return factories.make_goal


@pytest.fixture
def check_in_factory(db):
    """factories.make_check_in: check_in_factory(engagement=..., person=..., goals={goal: 7}, ...)."""
    return factories.make_check_in


@pytest.fixture
def statement_factory(db):
    """factories.make_statement: statement_factory(engagement=..., state="shared")."""
    return factories.make_statement
