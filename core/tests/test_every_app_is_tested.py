"""Every app's tests run: pytest collects only the folders `testpaths` in pytest.ini names, so an
app whose folder is missing there has tests that never run (it happened to billing and sponsors)."""

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_folder_with_tests_is_in_testpaths():
    config = configparser.ConfigParser()
    config.read(ROOT / "pytest.ini")
    testpaths = set(config["pytest"]["testpaths"].split())
    with_tests = {path.parent.name for path in ROOT.glob("*/tests") if any(path.glob("test_*.py"))}
    assert with_tests, "no app with tests found"
    assert with_tests <= testpaths, f"add {sorted(with_tests - testpaths)} to testpaths in pytest.ini"
