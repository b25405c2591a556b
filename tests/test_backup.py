"""Backups are private and consistent, and a restore that does not match fails loudly (issue 12, F11).

Runs .ci/backup and .ci/restore against the PostgreSQL test database (skipped on SQLite):
DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_<branch> .venv/bin/pytest tests/test_backup.py
"""

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent


def _url(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(sql)


def _run(script: str, *args, database: str, media: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": _url(database), "MEDIA_ROOT": str(media), "DJANGO_ENV": "development"}
    return subprocess.run(
        ["bash", f".ci/{script}", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.django_db(transaction=True)
def test_backup_is_private_and_a_mismatching_restore_fails(tmp_path, secretariat):
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("backups are of PostgreSQL (pg_dump, pg_restore, psql)")
    source = connection.settings_dict["NAME"]
    media = tmp_path / "media"
    (media / "meetings").mkdir(parents=True)
    (media / "meetings" / "資料.pdf").write_bytes(b"%PDF-1.7 test")
    backup = tmp_path / "backup"
    made = _run("backup", str(backup), database=source, media=media)
    assert made.returncode == 0, made.stderr

    assert stat.S_IMODE(backup.stat().st_mode) == 0o700
    for name in ["db.dump", "media.tar.gz", "rowcounts.txt", "media.sha256"]:
        assert stat.S_IMODE((backup / name).stat().st_mode) == 0o600, name
    counts = dict(line.split(" ") for line in (backup / "rowcounts.txt").read_text().splitlines())
    assert counts["auth_user"] == "1" and int(counts["auth_permission"]) > 0

    target = f"{source}_restore"
    try:
        _admin_sql(f'DROP DATABASE IF EXISTS "{target}"')
        _admin_sql(f'CREATE DATABASE "{target}"')
        restored = _run("restore", str(backup), database=target, media=tmp_path / "restored-media")
        assert restored.returncode == 0, restored.stdout + restored.stderr
        assert "row counts: equal" in restored.stdout

        # A backup whose counts do not match what is restored: non-zero exit, a clear message.
        text = (backup / "rowcounts.txt").read_text().replace("auth_user 1", "auth_user 2")
        (backup / "rowcounts.txt").write_text(text)
        _admin_sql(f'DROP DATABASE "{target}"')
        _admin_sql(f'CREATE DATABASE "{target}"')
        mismatch = _run("restore", str(backup), database=target, media=tmp_path / "restored-media-2")
        assert mismatch.returncode != 0
        assert "RESTORE FAILED" in mismatch.stderr and "row counts differ" in mismatch.stderr
    finally:
        _admin_sql(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
