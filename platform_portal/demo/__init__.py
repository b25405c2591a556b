"""Demo data from the reference document (shared/reference), loaded by `manage.py load_demo`.

Each app that has demo records provides `<app>/demo.py` with `load(*, actor, reference_dir, stdout)`.
Loaders are idempotent: running load_demo twice leaves the same records.
"""

import importlib
from pathlib import Path

from django.conf import settings

from platform_portal.audit import Actor

DEMO_APPS = ["platform_portal", "members", "meetings", "subsidies", "supporters"]


def reference_dir() -> Path:
    """The seed CSVs: shipped in docs/reference-data (a copy of shared/reference/seed-data)."""
    return Path(settings.BASE_DIR) / "docs" / "reference-data"


def load_all(*, actor: Actor, stdout) -> None:
    for app in DEMO_APPS:
        module_name = "platform_portal.demo.platform" if app == "platform_portal" else f"{app}.demo"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.load(actor=actor, reference_dir=reference_dir(), stdout=stdout)
