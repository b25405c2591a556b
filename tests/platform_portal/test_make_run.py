"""`make run` (.ci/serve): the web server and the worker start together and one Ctrl+C stops both."""

import os
import signal
import subprocess
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
FAKE_PYTHON = """#!/usr/bin/env bash
# Stands in for .venv/bin/python: records which command started, then runs until stopped.
echo "$2 $$" >> "{log}"
trap 'echo "stopped $2" >> "{log}"; exit 0' TERM INT
while true; do sleep 0.1; done
"""


def _start(tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    log = tmp_path / "log"
    fake = tmp_path / "python"
    fake.write_text(FAKE_PYTHON.format(log=log))
    fake.chmod(0o755)
    serve = subprocess.Popen(
        ["bash", str(BASE_DIR / ".ci" / "serve"), str(fake), "127.0.0.1:8012"], cwd=BASE_DIR, start_new_session=True
    )
    deadline = time.monotonic() + 10
    while (not log.exists() or len(log.read_text().splitlines()) < 2) and time.monotonic() < deadline:
        time.sleep(0.05)
    return serve, log


def _started(log: Path) -> dict[str, int]:
    return {
        line.split()[0]: int(line.split()[1]) for line in log.read_text().splitlines() if line.split()[0] != "stopped"
    }


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_make_run_starts_web_and_worker_and_one_ctrl_c_stops_both(tmp_path):
    serve, log = _start(tmp_path)
    started = _started(log)
    assert set(started) == {"db_worker", "runserver"}
    os.killpg(serve.pid, signal.SIGINT)  # Ctrl+C goes to the terminal's whole process group
    assert serve.wait(timeout=10) == 0
    time.sleep(0.3)
    assert not any(_alive(pid) for pid in started.values())
    assert {"stopped db_worker", "stopped runserver"} <= set(log.read_text().splitlines())


def test_when_one_side_ends_the_other_is_stopped(tmp_path):
    serve, log = _start(tmp_path)
    started = _started(log)
    os.kill(started["db_worker"], signal.SIGKILL)  # the worker dies
    serve.wait(timeout=10)
    time.sleep(0.3)
    assert not _alive(started["runserver"])
