"""Benchmark of the meetings PDFs (docs/quality.md R6): the 7th meeting's agenda and a 20-page packet.

Usage: .venv/bin/python bench/meetings_pdf.py [--runs 7]
Each document is measured in its own process (so peak memory is that document's): one warm-up
render, then --runs timed renders; prints the median time and the peak memory (process RSS and
Python-heap peak from tracemalloc). The packet is built inside a transaction that is rolled back,
with material PDFs generated on the fly in a temporary MEDIA_ROOT: the database is left unchanged.
Needs the demo data (manage.py load_demo) for the agenda.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _setup(media_root: str) -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_portal.settings")
    os.environ["MEDIA_ROOT"] = media_root
    import django

    django.setup()


def _measure(render, runs: int) -> dict:
    """Timed renders without tracing (tracemalloc slows Python code down), then one traced render."""
    import io

    from pypdf import PdfReader

    render()  # warm-up: fonts, templates
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        content = render()
        times.append(time.perf_counter() - start)
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    render()
    _current, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "pages": len(PdfReader(io.BytesIO(content)).pages),
        "bytes": len(content),
        "rss_peak_mib": rss_peak,
        "heap_peak_mib": heap_peak / (1024 * 1024),
    }


def child(which: str, runs: int) -> dict:
    with tempfile.TemporaryDirectory() as media_root:
        _setup(media_root)
        from django.db import transaction

        from meetings.models import Meeting
        from meetings.pdf import render_agenda_pdf, render_packet_pdf

        if which == "agenda":
            meeting = Meeting.objects.select_related("body").get(body__slug="platform", number=7)
            return _measure(lambda: render_agenda_pdf(meeting), runs)
        from meetings.services import meeting as services
        from tests.meetings.pdfs import make_pdf, upload

        with transaction.atomic():
            meeting = Meeting.objects.select_related("body").get(body__slug="platform", number=7)
            for index, pages in enumerate([5, 6, 6], start=1):  # 3 own pages + 17 material pages = 20
                services.material_add(
                    actor=None,
                    meeting=meeting,
                    title=f"ベンチマーク資料{index}",
                    upload=upload(make_pdf(f"BENCH-{index}", pages)),
                    is_public=True,
                    number=900 + index,
                )
            result = _measure(lambda: render_packet_pdf(meeting, include_private=True), runs)
            transaction.set_rollback(True)
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", choices=["agenda", "packet"])
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.runs)))
        return
    rows = []
    for which, label in [("agenda", "agenda.pdf (7th meeting)"), ("packet", "packet.pdf (20 pages)")]:
        out = (
            subprocess.run(
                [sys.executable, __file__, "--child", which, "--runs", str(args.runs)],
                capture_output=True,
                text=True,
                check=True,
                cwd=BASE_DIR,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        rows.append((label, json.loads(out)))
    print("| document | pages | median | min | peak RSS | Python heap peak | size |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, r in rows:
        print(
            f"| {label} | {r['pages']} | {r['median_s'] * 1000:.0f} ms | {r['min_s'] * 1000:.0f} ms | "
            f"{r['rss_peak_mib']:.0f} MiB | {r['heap_peak_mib']:.1f} MiB | {r['bytes'] / 1024:.0f} KiB |"
        )
    print(f"({args.runs} timed runs each after one warm-up, each document in its own process)")


if __name__ == "__main__":
    main()
