"""The Japanese catalogue is complete (docs/house-style.md R18): no untranslated or fuzzy entry in
locale/ja/LC_MESSAGES/django.po, and no msgid in the code that the catalogue lacks.

The second check runs `makemessages` on a temporary copy of the repository, so the working
tree is never modified and parallel test runs do not collide.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
CATALOGUE = Path("locale") / "ja" / "LC_MESSAGES" / "django.po"
SKIP = {
    ".git",
    ".venv",
    "node_modules",
    "var",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "test-artifacts",
    "bench",
}


def _incomplete(po: polib.POFile) -> list[str]:
    problems = [f"untranslated: {entry.msgid!r}" for entry in po.untranslated_entries()]
    problems += [f"fuzzy: {entry.msgid!r}" for entry in po.fuzzy_entries()]
    problems += [
        f"untranslated plural: {entry.msgid!r}"
        for entry in po.translated_entries()
        if entry.msgid_plural and not all(entry.msgstr_plural.values())
    ]
    return problems


def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    po = polib.pofile(str(BASE_DIR / CATALOGUE))
    assert len(po.translated_entries()) > 100
    assert _incomplete(po) == []


def _copy_tree(target: Path) -> None:
    def ignore(directory, names):
        return [name for name in names if name in SKIP or name.endswith((".pyc", ".mo", ".sqlite3"))]

    shutil.copytree(BASE_DIR, target, ignore=ignore, symlinks=False)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed (apt-get install gettext)")
def test_every_msgid_in_the_code_is_in_the_catalogue(tmp_path):
    copy = tmp_path / "repo"
    _copy_tree(copy)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "ja",
            "--ignore=.venv",
            "--ignore=node_modules",
            "--ignore=var",
            "--no-location",
            "-v",
            "0",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    po = polib.pofile(str(copy / CATALOGUE))
    problems = _incomplete(po)
    assert problems == [], "Run `make messages-update` (makemessages) and translate these entries:\n" + "\n".join(
        problems
    )
