"""System checks: a PDF without a Japanese font prints tofu boxes while pdftotext still reads it."""

import shutil
import subprocess

from django.core.checks import Warning, register


@register()
def japanese_font_installed(app_configs, **kwargs):
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return [Warning("fc-list not found; cannot check for a Japanese font", id="platform_portal.W001")]
    try:
        output = subprocess.run([fc_list, ":lang=ja", "family"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        output = ""
    if "Noto Sans CJK JP" not in output and "Noto Serif CJK JP" not in output:
        return [
            Warning(
                "No Noto CJK JP font found: generated PDFs will print tofu boxes.",
                hint="apt-get install fonts-noto-cjk (make run does this when run as root)",
                id="platform_portal.W002",
            )
        ]
    return []
