"""The direction of imports between the apps is written down once, in pyproject.toml
([tool.importlinter]): demo → overview | sponsors → reporting | privacy | billing | progress → sessions → mentorship → accounts
→ core. This checks the code keeps it, and that an import running back up would break it."""

from pathlib import Path

import pytest
from importlinter import configuration
from importlinter.application import use_cases
from importlinter.application.app_config import settings

PYPROJECT = str(Path(__file__).resolve().parents[2] / "pyproject.toml")


class GraphWithExtraImport:
    """The real graph builder, with one more import added to what it finds."""

    def __init__(self, builder, importer: str, imported: str):
        self.builder, self.importer, self.imported = builder, importer, imported

    def build(self, **kwargs):
        graph = self.builder.build(**kwargs)
        graph.add_import(importer=self.importer, imported=self.imported, line_number=1, line_contents="import")
        return graph


@pytest.fixture
def lint(monkeypatch):
    configuration.configure()

    def run(extra: tuple[str, str] | None = None):
        if extra:
            monkeypatch.setitem(settings._config, "GRAPH_BUILDER", GraphWithExtraImport(settings.GRAPH_BUILDER, *extra))
        kept = use_cases.lint_imports(PYPROJECT, cache_dir=None, is_debug_mode=True, no_logo=True)
        return kept == use_cases.SUCCESS

    return run


def test_the_apps_import_only_downwards(lint):
    assert lint()


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("accounts.models", "mentorship.models"),  # the bottom app reaching into a domain
        ("mentorship.engagements.views", "sessions.models"),  # engagements knowing sessions
        ("sessions.booking.selectors", "reporting.health.selectors"),  # a domain reading reports
        ("reporting.reports.exports", "privacy.deletion"),  # siblings are independent
        ("billing.invoices.exports", "reporting.reports.exports"),  # billing and reporting too
        ("sessions.usage", "billing.models"),  # a domain reading invoices
        ("progress.sharing", "reporting.reports.exports"),  # progress beside reporting, not above it
        ("sessions.records.views", "progress.models"),  # sessions knowing the development plan
        ("core.emails", "accounts.models"),  # the platform knowing an app
        ("overview.views", "sponsors.access"),  # overview and sponsors are siblings
        ("reporting.reports.views", "sponsors.sponsor_view"),  # reporting links to the sponsor report by name
    ],
)
def test_an_import_running_back_up_breaks_the_contract(lint, importer, imported):
    assert not lint(extra=(importer, imported))


def test_tests_may_reach_across(lint):
    assert lint(extra=("accounts.tests.test_roles", "demo.seed"))
