#!/usr/bin/env python3
"""Benchmark the portal as it runs in production: gunicorn (2 sync workers) on loopback.

    .venv/bin/python bench/run.py                 # 5 s per target (quick)
    .venv/bin/python bench/run.py --seconds 30    # the docs/quality.md R1 measurement (wrk -c32 -d30s)
    DATABASE_URL=postgres://... .venv/bin/python bench/run.py   # PostgreSQL, persistent connections

Targets come from bench/targets.txt (`name<TAB>path`, one per line; apps append theirs).
Each HTML target is driven with `wrk -t2 -c32 -d<seconds>`; the table shows requests/s, p50,
p99, errors (socket errors + responses >= 400, and a target that does not answer 2xx is flagged)
and the ratio to /healthz/ (a trivial view) measured in the same run, which is the stable form
to compare across machines. Targets ending in `.pdf` are measured apart: sequential requests,
median and max time, and the peak resident memory of the gunicorn workers.
Runs against the database configured by the environment (`make bench` migrates and loads the
demo data first). Loopback only; every duration is bounded.
"""

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
TRIVIAL = "/healthz/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def read_targets(path: Path) -> list[tuple[str, str]]:
    targets = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            name, target = line.split("\t")
        except ValueError:
            sys.exit(f"{path}:{number}: expected 'name<TAB>path', got {line!r}")
        if not target.startswith("/"):
            sys.exit(f"{path}:{number}: the path must start with '/'")
        targets.append((name.strip(), target.strip()))
    return targets


def start_server(port: int, workers: int, page_cache: bool = True) -> subprocess.Popen:
    env = {
        **os.environ,
        "PAGE_CACHE": "on" if page_cache else "off",
        "DJANGO_SETTINGS_MODULE": "platform_portal.settings",
        "DJANGO_DEBUG": "off",  # DEBUG keeps every query in memory and renders slower
        "LOG_LEVEL": "WARNING",
        "RATELIMIT_ENABLE": "off",
    }
    env.setdefault("DJANGO_ENV", "development")  # production would redirect plain HTTP to HTTPS
    command = [
        str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
        "platform_portal.wsgi",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        "--worker-tmp-dir=/dev/shm",
        "--log-level=warning",
        "--timeout=120",
    ]
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}{TRIVIAL}", timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.2)
        if server.poll() is not None:
            sys.exit("gunicorn exited during start-up")
    stop_server(server)
    sys.exit("gunicorn did not answer /healthz/ within 30 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def worker_pids(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    try:
        return [int(pid) for pid in children.read_text().split()]
    except OSError:
        return []


def peak_rss_mib(pids: list[int]) -> float:
    peak = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return peak / 1024


def status_of(url: str) -> int:
    request = urllib.request.Request(url, method="GET")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def run_wrk(url: str, seconds: int, connections: int, threads: int) -> dict:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout=10s",
        "-s",
        str(BASE_DIR / "bench" / "wrk_report.lua"),
        url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            data = json.loads(line.removeprefix("BENCH_JSON "))
            data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
            data["errors"] = sum(data[key] for key in ("connect", "read", "write", "status", "timeout"))
            return data
    sys.exit(f"wrk failed for {url}:\n{result.stdout}\n{result.stderr}")


def measure_pdf(url: str, requests: int) -> dict:
    times = []
    status_of(url)  # warm-up: imports, fonts
    for _ in range(requests):
        started = time.perf_counter()
        status = status_of(url)
        times.append(time.perf_counter() - started)
        if status != 200:
            return {"status": status, "median_s": 0.0, "max_s": 0.0}
    return {"status": 200, "median_s": statistics.median(times), "max_s": max(times)}


def database_label() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return "PostgreSQL" if url.startswith(("postgres://", "postgresql://")) else "SQLite"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per target (default 5; R1 uses 30)")
    parser.add_argument("--long", action="store_true", help="same as --seconds 30")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--targets", type=Path, default=BASE_DIR / "bench" / "targets.txt")
    parser.add_argument("--only", help="comma-separated target names")
    parser.add_argument("--pdf-requests", type=int, default=10, help="sequential requests per PDF target")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF section")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    parser.add_argument(
        "--paired",
        action="store_true",
        help="measure /healthz/ again right before every page and give each page's ratio to that run "
        "(on a machine shared with other work the load changes within a run)",
    )
    parser.add_argument(
        "--no-page-cache", action="store_true", help="serve every page uncached (PAGE_CACHE=off), for comparison"
    )
    args = parser.parse_args()
    seconds = 30 if args.long else args.seconds
    if not 1 <= seconds <= 120:
        sys.exit("--seconds must be between 1 and 120")

    targets = read_targets(args.targets)
    if args.only:
        wanted = set(args.only.split(","))
        targets = [target for target in targets if target[0] in wanted or target[1] == TRIVIAL]
    if not any(path == TRIVIAL for _name, path in targets):
        targets.insert(0, ("healthz", TRIVIAL))
    pages = [target for target in targets if not target[1].endswith(".pdf")]
    pdfs = [] if args.no_pdf else [target for target in targets if target[1].endswith(".pdf")]

    port = free_port()
    server = start_server(port, args.workers, page_cache=not args.no_page_cache)
    base = f"http://{HOST}:{port}"
    rows, pdf_rows = [], []
    try:
        for name, path in pages:
            status = status_of(base + path)
            if args.paired and path != TRIVIAL:
                paired = run_wrk(base + TRIVIAL, seconds, args.connections, args.threads)["rps"]
            else:
                paired = None
            data = run_wrk(base + path, seconds, args.connections, args.threads)
            rows.append({"name": name, "path": path, "first_status": status, "paired_trivial_rps": paired, **data})
            print(f"  {name}: {data['rps']:.0f} req/s", file=sys.stderr, flush=True)
        for name, path in pdfs:
            data = measure_pdf(base + path, args.pdf_requests)
            data["peak_rss_mib"] = peak_rss_mib(worker_pids(server))
            pdf_rows.append({"name": name, "path": path, **data})
    finally:
        stop_server(server)

    trivial = next(row["rps"] for row in rows if row["path"] == TRIVIAL)
    cache_label = "page cache off" if args.no_page_cache else "page cache on"
    backend = "Redis" if os.environ.get("CACHE_URL", "").startswith("redis") else "local memory"
    header = (
        f"{database_label()} + {backend} cache, {cache_label}, gunicorn {args.workers} sync workers, wrk -t{args.threads} -c{args.connections} "
        f"-d{seconds}s, {os.cpu_count()} CPUs"
    )
    print(f"\n{header}\n")
    columns = ["target", "path", "req/s", "p50 ms", "p99 ms", "errors", "ratio to /healthz/"]
    paired_cols = args.paired
    if paired_cols:
        columns += ["/healthz/ req/s just before", "ratio to it"]
        for row in rows:
            if row["paired_trivial_rps"] is None:
                row["paired_trivial_rps"] = row["rps"]
    lines = []
    for row in rows:
        flag = "" if 200 <= row["first_status"] < 300 else f" (answers {row['first_status']})"
        lines.append(
            [
                row["name"],
                row["path"],
                f"{row['rps']:.0f}",
                f"{row['p50_us'] / 1000:.1f}",
                f"{row['p99_us'] / 1000:.1f}",
                f"{row['errors']}{flag}",
                f"{row['rps'] / trivial:.3f}",
            ]
            + (
                [f"{row['paired_trivial_rps']:.0f}", f"{row['rps'] / row['paired_trivial_rps']:.3f}"]
                if paired_cols
                else []
            )
        )
    print_table(columns, lines, args.markdown)
    if pdf_rows:
        print(f"\nPDF targets: {args.pdf_requests} sequential requests after one warm-up\n")
        pdf_lines = [
            [
                row["name"],
                row["path"],
                str(row["status"]),
                f"{row['median_s'] * 1000:.0f}",
                f"{row['max_s'] * 1000:.0f}",
                f"{row['peak_rss_mib']:.0f}",
            ]
            for row in pdf_rows
        ]
        print_table(
            ["target", "path", "status", "median ms", "max ms", "peak worker RSS MiB"], pdf_lines, args.markdown
        )
    results = BASE_DIR / "bench" / "results"
    results.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    out = results / f"{stamp}-{database_label().lower()}-{'nocache' if args.no_page_cache else 'cache'}.json"
    out.write_text(json.dumps({"setup": header, "pages": rows, "pdfs": pdf_rows}, indent=2), encoding="utf-8")
    failed = [row for row in rows if row["errors"] or not 200 <= row["first_status"] < 300]
    failed += [row for row in pdf_rows if row["status"] != 200]
    if failed:
        print(f"\n{len(failed)} target(s) had errors", file=sys.stderr)
        sys.exit(1)


def print_table(columns: list[str], lines: list[list[str]], markdown: bool) -> None:
    if markdown:
        print("| " + " | ".join(columns) + " |")
        print("| " + " | ".join("---" for _ in columns) + " |")
        for line in lines:
            print("| " + " | ".join(line) + " |")
        return
    widths = [max(len(columns[i]), *(len(line[i]) for line in lines)) for i in range(len(columns))]
    print("  ".join(column.ljust(widths[i]) for i, column in enumerate(columns)))
    for line in lines:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)))


if __name__ == "__main__":
    main()
