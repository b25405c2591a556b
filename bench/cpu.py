#!/usr/bin/env python3
"""CPU time per public page in one process: cold (page cache off) and warm (served from the cache).

    .venv/bin/python bench/cpu.py                  # the database of DATABASE_URL (or SQLite)
    .venv/bin/python bench/cpu.py --requests 200 --only members_list,events

Uses Django's test client with DEBUG off (no network, no server): for each HTML, feed and
export target of bench/targets.txt (PDFs are measured by bench/run.py), a few warm-up requests,
then --requests requests timed with the process CPU clock (time.process_time), reporting the
median and p90 per request. "cold" renders every request (PAGE_CACHE_ENABLED off: the uncached
path, the cost of the first request after a write); "warm" serves from the page cache.
The cache is the one configured (CACHE_URL; local memory by default). Exits non-zero when a
page answers other than 200 or a cold median is above --limit (3.5 ms by default).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--only", help="comma-separated target names")
    parser.add_argument("--limit", type=float, default=3.5, help="cold median limit in ms (default 3.5)")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--profile", help="profile one target's cold path with cProfile and print the top 40")
    args = parser.parse_args()

    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platform_portal.settings")
    os.environ["DJANGO_DEBUG"] = "off"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["RATELIMIT_ENABLE"] = "off"
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    sys.path.insert(0, str(BASE_DIR / "bench"))
    from run import TRIVIAL, read_targets

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    targets = [t for t in read_targets(BASE_DIR / "bench" / "targets.txt") if not t[1].endswith(".pdf")]
    if args.only:
        wanted = set(args.only.split(","))
        targets = [t for t in targets if t[0] in wanted or t[1] == TRIVIAL]
    client = Client()

    def measure(path: str, cached: bool) -> tuple[float, float, int]:
        settings.PAGE_CACHE_ENABLED = cached
        status = 0
        for _ in range(args.warmup):
            status = client.get(path).status_code
        times = []
        for _ in range(args.requests):
            start = time.process_time()
            client.get(path)
            times.append(time.process_time() - start)
        times.sort()
        return statistics.median(times) * 1000, times[int(len(times) * 0.9) - 1] * 1000, status

    if args.profile:
        import cProfile
        import pstats

        path = dict(targets)[args.profile]
        settings.PAGE_CACHE_ENABLED = False
        client.get(path)
        profiler = cProfile.Profile(time.process_time)  # CPU, not waiting
        profiler.enable()
        for _ in range(args.requests):
            client.get(path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
            int(os.environ.get("TOP", "40"))
        )
        return

    rows, failed = [], []
    for name, path in targets:
        cold, cold_p90, status = measure(path, cached=False)
        warm, warm_p90, _ = measure(path, cached=True)
        rows.append([name, path, str(status), f"{cold:.2f}", f"{cold_p90:.2f}", f"{warm:.2f}", f"{warm_p90:.2f}"])
        if status != 200 or (path != TRIVIAL and cold > args.limit):
            failed.append(name)
        print(f"  {name}: cold {cold:.2f} ms, warm {warm:.2f} ms", file=sys.stderr, flush=True)
    columns = ["target", "path", "status", "cold ms (median)", "cold p90", "warm ms (median)", "warm p90"]
    database = "PostgreSQL" if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else "SQLite"
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"\nCPU per request, {database}, cache {cache}, {args.requests} requests after {args.warmup} warm-up\n")
    if args.markdown:
        print("| " + " | ".join(columns) + " |")
        print("| " + " | ".join("---" for _ in columns) + " |")
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(columns[i]), *(len(row[i]) for row in rows)) for i in range(len(columns))]
        print("  ".join(c.ljust(widths[i]) for i, c in enumerate(columns)))
        for row in rows:
            print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))
    if failed:
        print(f"\nabove {args.limit} ms cold or not 200: {', '.join(failed)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
