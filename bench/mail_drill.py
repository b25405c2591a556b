#!/usr/bin/env python3
"""Fault drill of the mail queue: a mail server that refuses, then hangs, then returns; a worker killed with SIGKILL.

    .venv/bin/python bench/mail_drill.py                      # the full drill: server down 10 minutes
    .venv/bin/python bench/mail_drill.py --down-seconds 60    # shorter

What it does, on a PostgreSQL database of its own (created and dropped; `--database-url` to
give one), with gunicorn (2 sync workers) and one `manage.py db_worker`, on loopback:

1. Refusing: nothing listens on the SMTP port. After a warm-up of 4 registrations and 4
   sign-ups (not measured: the first requests of a gunicorn worker load templates and code),
   N membership registrations and N event sign-ups
   arrive (2 at a time, one per gunicorn worker), half of them now...
2. Hanging: a server accepts connections and never answers; the other half arrive.
   For every visitor the time from the final POST to the success page (receipt / applicant's
   page) is measured; it must be under 1 s. As a control, /healthz/ (a trivial view) is timed
   meanwhile: when it is slow too, the machine is short of CPU, not waiting for mail.
3. The server stays down until --down-seconds have passed, then answers normally. The drill
   waits until the queue is empty and counts deliveries per message (X-Portal-Mail-Id): each
   must arrive exactly once.
4. Kill: the server answers slowly (50 ms a reply), M more mails are queued, and the worker is
   killed with SIGKILL --kills times while it sends (and restarted each time); the scheduled
   recovery (`manage.py run_scheduled_jobs --now` does the same) runs every second. Then every
   message must be delivered exactly once, except those left "unknown" (killed within the
   one-round-trip window around the final "."), which are never sent twice and are checked
   against the server's log.

Prints the figures and exits non-zero when a check fails.
"""

from __future__ import annotations

import argparse
import collections
import http.cookiejar
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
HOST = "127.0.0.1"
PYTHON = sys.executable
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN = re.compile(r'name="token" value="([^"]+)"')


def retry_delays(down_seconds: int) -> list[int]:
    """Short delays for the drill (production: minutes to a day), covering the outage and then some."""
    delays = [2, 4, 8, 15]
    while sum(delays) < down_seconds + 60:
        delays.append(30)
    return delays


class Visitor:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post(self, path: str, data: dict) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode()


def register(base: str, n: int, lookups: dict) -> float:
    visitor = Visitor(base)
    form = visitor.get("/members/join/")
    data = {
        "csrfmiddlewaretoken": CSRF.search(form).group(1),
        "general_type": lookups["general_type"],
        "name": f"ドリル団体{n}",
        "name_kana": f"どりるだんたい{n}",
        "municipality": lookups["municipality"],
        "address": "鳥取市東町1-220",
        "website": "",
        "description": "訓練用の団体（見本）",
        "activity_fields": [lookups["activity_field"]],
        "publish_consent": "on",
        "contact_name": f"訓練 太郎{n}",
        "contact_role": "代表",
        "contact_email": f"drill-member{n}@example.jp",
        "contact_phone": "0857-26-7000",
        "nickname": "",
    }
    _status, _url, confirm = visitor.post("/members/join/", data)
    token = TOKEN.search(confirm).group(1)
    started = time.monotonic()
    status, url, page = visitor.post(
        "/members/join/confirm/", {"csrfmiddlewaretoken": data["csrfmiddlewaretoken"], "token": token, "send": "1"}
    )
    elapsed = time.monotonic() - started
    if status != 200 or not url.endswith("/members/join/done/") or "M-" not in page:
        raise RuntimeError(f"registration {n}: no receipt page ({status} {url})")
    return elapsed


def sign_up(base: str, n: int, event_id: int) -> float:
    visitor = Visitor(base)
    path = f"/events/{event_id}/signup/"
    form = visitor.get(path)
    data = {
        "csrfmiddlewaretoken": CSRF.search(form).group(1),
        "name": f"訓練 花子{n}",
        "kana": "くんれん はなこ",
        "email": f"drill-signup{n}@example.jp",
        "phone": "0857-00-1234",
        "affiliation": "",
        "attendance": "venue",
        "message": "",
        "confirm": "1",
    }
    started = time.monotonic()
    status, url, page = visitor.post(path, data)
    elapsed = time.monotonic() - started
    if status != 200 or "/events/signups/" not in url:
        raise RuntimeError(f"sign-up {n}: no applicant's page ({status} {url})")
    return elapsed


def visitors(
    base: str, numbers: range, lookups: dict, event_id: int, concurrency: int
) -> tuple[list[float], list[float]]:
    """The visitors' times, and as a control the times of /healthz/ (a trivial view) sampled meanwhile."""
    control: list[float] = []
    done = threading.Event()

    def probe() -> None:
        while not done.is_set():
            started = time.monotonic()
            with urllib.request.urlopen(base + "/healthz/", timeout=30):  # noqa: S310 (loopback)
                control.append(time.monotonic() - started)
            time.sleep(0.5)

    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    with ThreadPoolExecutor(concurrency) as pool:
        jobs = [pool.submit(register, base, n, lookups) for n in numbers]
        jobs += [pool.submit(sign_up, base, n, event_id) for n in numbers]
        times = [job.result() for job in jobs]
    done.set()
    prober.join()
    return times, control


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)]
    return (
        f"{len(times)} visitors, success page in median {statistics.median(times) * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms, max {max(times) * 1000:.0f} ms, over 1 s: {sum(t >= 1 for t in times)}"
    )


def wait_http(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback)
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2", "-v", "0"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url", default="", help="default: a new database portal_drill_<pid> on 127.0.0.1:5432"
    )
    parser.add_argument("--port", type=int, default=8012)
    parser.add_argument("--visitors", type=int, default=100, help="registrations and as many sign-ups")
    parser.add_argument("--down-seconds", type=int, default=600, help="how long the mail server refuses or hangs")
    parser.add_argument("--email-timeout", type=int, default=10)
    parser.add_argument("--kill-mails", type=int, default=100)
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument(
        "--concurrency", type=int, default=2, help="visitors at a time (default: one per gunicorn worker)"
    )
    args = parser.parse_args()

    from tests.fake_smtp import FakeSMTPServer, free_port

    created_db = None
    url = args.database_url
    if not url:
        created_db = f"portal_drill_{os.getpid()}"
        subprocess.run(
            ["psql", f"postgres://postgres@{HOST}:5432/postgres", "-qc", f"create database {created_db}"], check=True
        )
        url = f"postgres://postgres@{HOST}:5432/{created_db}"
    smtp_port = free_port()
    delays = retry_delays(args.down_seconds)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_ENV": "development",
        "DJANGO_DEBUG": "off",
        "RATELIMIT_ENABLE": "off",
        "EMAIL_URL": f"smtp://{HOST}:{smtp_port}",
        "EMAIL_TIMEOUT": str(args.email_timeout),
        "MAIL_RETRY_DELAYS": ",".join(map(str, delays)),
        "MAIL_CLAIM_LEASE_SECONDS": "5",
        "DEFAULT_FROM_EMAIL": "drill@example.jp",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "platform_portal.settings"
    processes: list[subprocess.Popen] = []
    workers: list[subprocess.Popen] = []
    smtp = FakeSMTPServer(port=smtp_port)
    failures: list[str] = []
    try:
        subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=BASE_DIR, env=env, check=True)
        import django

        django.setup()
        from django.db import transaction

        from platform_portal.mail import mail_queue, mail_recover_stale
        from platform_portal.models import OutgoingMail
        from tests.meetings.event_factories import EventFactory
        from tests.members.factories import ActivityFieldFactory, GeneralTypeFactory, MunicipalityFactory

        lookups = {
            "general_type": GeneralTypeFactory(name="その他").pk,
            "municipality": MunicipalityFactory(name="鳥取市").pk,
            "activity_field": ActivityFieldFactory().pk,
        }
        event = EventFactory(open_for_signup=True, capacity=10_000, title="訓練用イベント（見本）")
        base = f"http://{HOST}:{args.port}"
        processes.append(
            subprocess.Popen(
                [PYTHON, "-m", "gunicorn", "platform_portal.wsgi", "--bind", f"{HOST}:{args.port}", "--workers", "2"],
                cwd=BASE_DIR,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        wait_http(base + "/healthz/", 60)
        worker = start_worker(env)
        print(
            f"drill: SMTP timeout {args.email_timeout} s; retry delays {delays} (s); server down {args.down_seconds} s"
        )

        outage_started = time.monotonic()
        # Warm-up, not measured: the first requests of each gunicorn worker load templates and code.
        visitors(base, range(10_000, 10_004), lookups, event.pk, args.concurrency)
        half = args.visitors // 2
        refused, control = visitors(base, range(half), lookups, event.pk, args.concurrency)
        print(f"SMTP refusing:  {summary(refused)}; control /healthz/ max {max(control) * 1000:.0f} ms")
        smtp.mode = "hang"
        smtp.start()
        hung, control = visitors(base, range(half, args.visitors), lookups, event.pk, args.concurrency)
        print(f"SMTP hanging:   {summary(hung)}; control /healthz/ max {max(control) * 1000:.0f} ms")
        all_times = refused + hung
        if max(all_times) >= 1:
            failures.append("a visitor waited 1 s or more")
        expected = OutgoingMail.objects.count()
        while time.monotonic() - outage_started < args.down_seconds:
            time.sleep(5)
        attempts = sum(OutgoingMail.objects.values_list("attempts", flat=True))
        print(
            f"outage over after {time.monotonic() - outage_started:.0f} s: {expected} mails queued, "
            f"{attempts} attempts made, {smtp.hung_connections} connections hung, "
            f"sent {OutgoingMail.objects.filter(status='sent').count()}"
        )
        smtp.mode = "ok"
        returned = time.monotonic()
        deadline = returned + max(delays) * 3 + 120
        while OutgoingMail.objects.exclude(status="sent").exists() and time.monotonic() < deadline:
            time.sleep(1)
        drained = time.monotonic() - returned
        counts = collections.Counter(smtp.mail_ids())
        statuses = collections.Counter(OutgoingMail.objects.values_list("status", flat=True))
        once = sum(1 for pk in OutgoingMail.objects.values_list("pk", flat=True) if counts[str(pk)] == 1)
        doubled = sum(1 for count in counts.values() if count > 1)
        print(
            f"server back: queue empty after {drained:.0f} s; {expected} mails, delivered exactly once {once}, "
            f"doubled {doubled}, states {dict(statuses)}"
        )
        if once != expected or doubled:
            failures.append("outage: a mail was lost or doubled")

        # --- kill -9 of the worker while it sends ------------------------------------------------
        smtp.delay = 0.05
        before = set(OutgoingMail.objects.values_list("pk", flat=True))
        with transaction.atomic():
            for n in range(args.kill_mails):
                mail_queue(
                    template="member_approved",
                    to=[f"drill-kill{n}@example.jp"],
                    context={"organization": {"name": f"ドリル団体{n}"}},
                )
        kill_ids = set(OutgoingMail.objects.values_list("pk", flat=True)) - before
        killed = 0
        recovered = {"requeued": 0, "unknown": 0}
        last_recovery = time.monotonic()
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            pending = OutgoingMail.objects.filter(pk__in=kill_ids, status__in=["queued", "sending", "delivering"])
            if not pending.exists():
                break
            if killed < args.kills and OutgoingMail.objects.filter(pk__in=kill_ids, status="sent").count() > killed * (
                args.kill_mails // (args.kills + 1)
            ):
                time.sleep(random.uniform(0.0, 0.3))  # noqa: S311
                worker.send_signal(signal.SIGKILL)
                worker.wait()
                killed += 1
                worker = start_worker(env)
                workers.append(worker)
            if time.monotonic() - last_recovery >= 1:
                for key, value in mail_recover_stale().items():
                    recovered[key] += value
                last_recovery = time.monotonic()
            time.sleep(0.05)
        counts = collections.Counter(smtp.mail_ids())
        rows = dict(OutgoingMail.objects.filter(pk__in=kill_ids).values_list("pk", "status"))
        sent_once = sum(1 for pk, status in rows.items() if status == "sent" and counts[str(pk)] == 1)
        unknown = [pk for pk, status in rows.items() if status == "unknown"]
        unknown_delivered = sum(1 for pk in unknown if counts[str(pk)] == 1)
        doubled = sum(1 for pk in rows if counts[str(pk)] > 1)
        lost = sum(1 for pk in rows if counts[str(pk)] == 0 and rows[pk] != "unknown")
        print(
            f"kill -9: {killed} kills while sending {len(kill_ids)} mails; recovery requeued {recovered['requeued']}, "
            f"marked unknown {recovered['unknown']}; sent exactly once {sent_once}; unknown {len(unknown)} "
            f"(of which delivered once {unknown_delivered}, never twice); doubled {doubled}; lost {lost}; "
            f"incomplete SMTP transactions discarded by the server {smtp.incomplete}"
        )
        if doubled or lost or sent_once + len(unknown) != len(kill_ids):
            failures.append("kill -9: a mail was lost or doubled")
    finally:
        for process in workers + processes:
            process.terminate()
            process.wait(timeout=30)
        smtp.stop()
        if created_db:
            from django.db import connections

            connections.close_all()
            subprocess.run(
                ["psql", f"postgres://postgres@{HOST}:5432/postgres", "-qc", f"drop database if exists {created_db}"],
                check=False,
            )
    print("drill: " + ("FAILED: " + "; ".join(failures) if failures else "passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
