from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.fixture(scope="module")
def swedish():
    return polib.pofile(str(LOCALE / "sv" / "LC_MESSAGES" / "django.po"))


def test_every_swedish_entry_is_translated_and_not_fuzzy(swedish):
    untranslated = [entry.msgid for entry in swedish if not entry.obsolete and not entry.translated()]
    fuzzy = [entry.msgid for entry in swedish if "fuzzy" in entry.flags]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_swedish_catalogue_matches_the_source(swedish):
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr
        for entry in polib.mofile(str(LOCALE / "sv" / "LC_MESSAGES" / "django.mo"))
    }
    source = {
        (entry.msgctxt, entry.msgid): entry.msgstr for entry in swedish.translated_entries() if not entry.msgid_plural
    }
    assert {key: compiled.get(key) for key in source} == source, "run `make messages` to rebuild django.mo"


def test_placeholders_survive_translation(swedish):
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
    for entry in swedish.translated_entries():
        if entry.msgid_plural:
            continue
        assert sorted(pattern.findall(entry.msgid)) == sorted(pattern.findall(entry.msgstr)), entry.msgid
