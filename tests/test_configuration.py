"""Every environment variable that settings.py reads is documented in .env.example and README.md."""

import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
READS = re.compile(r"""env(?:\.\w+|_secret)\(\s*(?:f?["'])([A-Z][A-Z0-9_]+)["']""")


def _variables_read() -> set[str]:
    return set(READS.findall((BASE_DIR / "platform_portal" / "settings.py").read_text(encoding="utf-8")))


def test_settings_read_the_expected_variables():
    variables = _variables_read()
    assert {"DJANGO_ENV", "DJANGO_SECRET_KEY", "DATABASE_URL", "CACHE_URL", "TRUSTED_PROXY_COUNT"} <= variables
    assert len(variables) >= 20


def test_every_variable_is_in_env_example():
    example = (BASE_DIR / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert _variables_read() - documented == set()


def test_every_variable_is_in_the_readme():
    readme = (BASE_DIR / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", readme))
    assert _variables_read() - documented == set()
