"""Deletion on request leaves no trace (issue 12, F7): database dump, sessions, media, temporary files.

A sentinel person goes through the real paths: added and edited in the admin (admin history,
audit trail, the admin's flash message left unread in the session), signed up for an event
(name, e-mail, phone, message), named in a refused import; then deleted on request.
"""

import io
import json
import tempfile

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from meetings.models import EventSignup
from meetings.services.event import event_signup_create
from supporters.models import Supporter
from tests.meetings.event_factories import EventFactory
from tests.members.factories import MunicipalityFactory

NAME = "削除確認見本太郎"
EMAIL = "sentinel-7731@example.jp"
PHONE = "0858-77-3141"
ADDRESS = "倉吉市見本町9-9-9"
SENTINELS = [NAME, EMAIL, PHONE, ADDRESS, "見本太郎さんの相談メモ"]


@pytest.fixture
def temp_dirs(settings, tmp_path, monkeypatch):
    settings.IMPORT_TMP_DIR = tmp_path / "imports"
    system_tmp = tmp_path / "tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    return [tmp_path / "imports", system_tmp]


def _traces_in_text(text: str) -> list[str]:
    return [value for value in SENTINELS if value in text]


def _traces_in_files(directory) -> list[str]:
    found = []
    if directory.exists():
        for path in directory.rglob("*"):
            if path.is_file():
                text = path.read_bytes().decode("utf-8", errors="ignore")
                found += [f"{path}: {value}" for value in _traces_in_text(text)]
    return found


def _database_dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)  # every model of every app, sessions and admin history included
    return out.getvalue()


def _session_texts() -> list[str]:
    from django.contrib.messages.storage.cookie import MessageDecoder

    texts = []
    for session in Session.objects.all():
        texts.append(session.session_data)
        data = session.get_decoded()
        texts.append(json.dumps(data, ensure_ascii=False))
        if data.get("_messages"):
            texts += [str(message.message) for message in json.loads(data["_messages"], cls=MessageDecoder)]
    return texts


def _admin_form(municipality, **overrides) -> dict:
    return {
        "roster_code": "",
        "name": NAME,
        "kana": "さくじょかくにん",
        "municipality": municipality.pk,
        "email": EMAIL,
        "phone": PHONE,
        "address": ADDRESS,
        "affiliation": "",
        "notes": "見本太郎さんの相談メモ",
        "trainings-TOTAL_FORMS": "0",
        "trainings-INITIAL_FORMS": "0",
        "trainings-MIN_NUM_FORMS": "0",
        "trainings-MAX_NUM_FORMS": "1000",
        **overrides,
    }


def test_deletion_on_request_leaves_no_trace(secretariat_client, media_root, temp_dirs):
    municipality = MunicipalityFactory(name="倉吉市")
    refused = f"名簿番号,氏名,市町村\n,{NAME},存在しない市\n".encode()
    secretariat_client.post(
        reverse("admin:supporters_supporter_import"),
        {"import_file": SimpleUploadedFile("roster.csv", refused), "format": 0, "resource": 0},
    )
    assert (
        secretariat_client.post(reverse("admin:supporters_supporter_add"), _admin_form(municipality)).status_code == 302
    )
    person = Supporter.objects.get()
    change = reverse("admin:supporters_supporter_change", args=[person.pk])
    form = _admin_form(municipality, roster_code=person.roster_code, affiliation="見本の会")
    assert secretariat_client.post(change, form).status_code == 302  # 「…を変更しました」 stays unread
    event = EventFactory(open_for_signup=True)
    event_signup_create(
        event_id=event.pk, name=NAME, email=EMAIL.upper(), phone=PHONE, message="見本太郎さんの相談メモ"
    )
    other = event_signup_create(event_id=event.pk, name="別の人", email="other@example.jp", phone="0857-00-0000")
    assert _traces_in_text(_database_dump())  # the test would see a trace if one were left
    assert any(_traces_in_text(text) for text in _session_texts())
    from platform_portal.models import OutgoingMail

    assert any(EMAIL in str(mail.to).lower() for mail in OutgoingMail.objects.all())  # the sign-up mail, queued

    response = secretariat_client.post(reverse("admin:supporters_supporter_delete", args=[person.pk]), {"post": "yes"})
    assert response.status_code == 302

    assert not Supporter.objects.exists()
    assert list(EventSignup.objects.values_list("pk", flat=True)) == [other.pk]
    dump = _database_dump()
    assert _traces_in_text(dump) == []
    assert _traces_in_text(json.dumps(json.loads(dump), ensure_ascii=False)) == []
    assert [text for text in _session_texts() if _traces_in_text(text)] == []
    assert _traces_in_files(media_root) == []
    for directory in temp_dirs:
        assert _traces_in_files(directory) == []
    # The admin still says what happened, without the name.
    follow = secretariat_client.get(reverse("admin:supporters_supporter_changelist"))
    assert "[deleted]" in follow.content.decode()
