"""The F1 packet attack (issue 12): a public meeting packet at the page caps, requested by attackers
in parallel, while a visitor opens the home page.

Usage: .venv/bin/python bench/packet_attack.py [--pages 400] [--attackers 2] [--seconds 30] [--port 8013]

1. In a temporary SQLite database and MEDIA_ROOT (nothing of var/ is touched), a 3,000-page
   material is offered to the upload check (refused: MATERIAL_MAX_PAGES), then a public meeting
   gets materials of MATERIAL_MAX_PAGES pages up to --pages (refused beyond PACKET_MAX_PAGES).
2. gunicorn serves it (2 sync workers, rate limits off: the attackers come from many addresses).
3. --attackers threads request the packet PDF over and over; a visitor requests / every 0.25 s.
Prints the packet's render time and the home page's latency (median, 95th percentile, max, and
how many requests took 1 s or more). The server's log is left in the temporary directory.

Measured 2026-12-02 on the shared 2-core machine (load average about 15), 400-page packet:
packet alone 14.3 s; during the attack (2 attackers, 456 packet requests: one laid out at a
time, the others 503 at once) the home page answered 87 times, median 0.08 s, p95 0.14 s, max
0.22 s, none 1 s or more. Without the render slot (before): both workers past the 30 s timeout
(500), the home page 37 s.
"""

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def _blank_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def prepare(pages: int) -> int:
    """Create the meeting in the temporary database; returns its pk."""
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from meetings.services import meeting as services
    from tests.meetings.factories import MeetingFactory

    call_command("migrate", verbosity=0)
    meeting = MeetingFactory(is_public=True)
    try:
        services.material_add(
            actor=None, meeting=meeting, title="3000", upload=SimpleUploadedFile("m.pdf", _blank_pdf(3000))
        )
        print("3,000-page material: ACCEPTED (no cap)")
    except ValidationError as exc:
        print(
            f"3,000-page material: refused ({exc.error_list[0].code}, MATERIAL_MAX_PAGES={settings.MATERIAL_MAX_PAGES})"
        )
    left, number = pages, 0
    while left > 0:
        chunk = min(left, settings.MATERIAL_MAX_PAGES)
        number += 1
        try:
            services.material_add(
                actor=None,
                meeting=meeting,
                title=f"資料{number}",
                upload=SimpleUploadedFile("m.pdf", _blank_pdf(chunk)),
                is_public=True,
            )
        except ValidationError as exc:
            print(f"material {number} ({chunk} pages): refused ({exc.error_list[0].code})")
            break
        left -= chunk
    total = sum(meeting.materials.values_list("page_count", flat=True))
    print(f"packet: {total} material pages (PACKET_MAX_PAGES={settings.PACKET_MAX_PAGES})")
    return meeting.pk


def get(url: str, timeout: float = 120) -> tuple[int, float]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (urllib.error.URLError, OSError):
        status = 0
    return status, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--attackers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--port", type=int, default=8013)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="packet-attack-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "platform_portal.settings",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
        "DJANGO_DEBUG": "off",
        "DJANGO_ENV": "development",
        "LOG_LEVEL": "WARNING",
        "RATELIMIT_ENABLE": "off",
    }
    os.environ.update(env)
    pk = prepare(args.pages)
    server = subprocess.Popen(
        [
            str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
            "platform_portal.wsgi",
            f"--bind={HOST}:{args.port}",
            "--workers=2",
            "--worker-class=sync",
            "--timeout=30",
            "--log-level=warning",
        ],
        cwd=BASE_DIR,
        env=env,
        start_new_session=True,
        stderr=open(work / "gunicorn.log", "w"),  # noqa: SIM115 - the server's log, kept for reading
    )
    base = f"http://{HOST}:{args.port}"
    try:
        for _ in range(150):
            if get(f"{base}/healthz/", timeout=2)[0] in (200, 503):
                break
            time.sleep(0.2)
        packet_url = f"{base}/meetings/{pk}/packet.pdf"
        status, alone = get(packet_url)
        print(f"packet alone: HTTP {status} in {alone:.2f} s")
        home_alone = statistics.median(get(f"{base}/")[1] for _ in range(5))
        stop = time.monotonic() + args.seconds
        attack_times: list[tuple[int, float]] = []
        home_times: list[float] = []

        def attack():
            while time.monotonic() < stop:
                attack_times.append(get(packet_url))

        threads = [threading.Thread(target=attack) for _ in range(args.attackers)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        while time.monotonic() < stop:
            home_times.append(get(f"{base}/", timeout=60)[1])
            time.sleep(0.25)
        for thread in threads:
            thread.join()
        home_times.sort()
        p95 = home_times[int(0.95 * (len(home_times) - 1))]
        print(f"home page alone: median {home_alone * 1000:.0f} ms")
        print(
            f"home page during the attack ({args.attackers} attackers, {len(attack_times)} packets, statuses "
            f"{sorted({s for s, _ in attack_times})}): {len(home_times)} requests, median "
            f"{statistics.median(home_times):.2f} s, p95 {p95:.2f} s, max {home_times[-1]:.2f} s, "
            f"{sum(t >= 1 for t in home_times)} took 1 s or more"
        )
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=15)


if __name__ == "__main__":
    main()
