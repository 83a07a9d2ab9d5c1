import os
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


def _extracted_messages(tmp_path: Path) -> polib.POFile:
    """What `makemessages` finds in the code and templates now, extracted in a copy of the sources
    (without settings, so it writes only into the copy's own locale folder)."""
    import shutil
    import subprocess
    import sys

    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed")
    root = LOCALE.parent
    copy = tmp_path / "src"
    skipped = {".venv", ".git", "locale", "staticfiles", ".devdata", "node_modules", "__pycache__", "bench"}
    shutil.copytree(
        root,
        copy,
        ignore=lambda folder, names: [name for name in names if name in skipped or name.startswith(".")],
    )
    (copy / "locale" / "sv" / "LC_MESSAGES").mkdir(parents=True)
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "sv", "--no-location", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    return polib.pofile(str(copy / "locale" / "sv" / "LC_MESSAGES" / "django.po"))


def test_every_string_in_the_code_has_a_swedish_translation(swedish, tmp_path):
    """A string marked for translation in the code or a template but missing from the Swedish
    catalogue (someone forgot to add it) is untranslated on every Swedish page."""
    translated = {(entry.msgctxt, entry.msgid) for entry in swedish.translated_entries()}
    missing = sorted(
        f"{entry.msgctxt + ' | ' if entry.msgctxt else ''}{entry.msgid}"
        for entry in _extracted_messages(tmp_path)
        if (entry.msgctxt, entry.msgid) not in translated
    )
    assert missing == []
