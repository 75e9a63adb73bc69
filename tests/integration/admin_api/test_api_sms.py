"""SMS through the API: rendered in the debtor's language, sent only inside the window and
when the compliance guard allows it, stored encrypted, delivery receipts signed with HMAC."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import api_fixtures
from api_fixtures import Api
from sqlalchemy import select

from admin_api.followups import FollowUps
from admin_api.webhooks import sign
from data.models import Promise, SmsMessage

api = api_fixtures.api

TEMPLATES = {
    "en": "{company}: please pay {amount} by {due_date}: {payment_link}",
    "zh": "{company}提醒您：请于{due_date}前还款{amount}。{payment_link}",
}


def setup_templates(api: Api) -> None:
    for language, body in TEMPLATES.items():
        r = api.client.put(
            "/sms/templates",
            json={"name": "reminder", "language": language, "body": body},
            headers=api.headers("supervisor"),
        )
        assert r.status_code == 200, r.text


def at_local(api: Api, case_id: str, hour: int) -> str:
    """Move the clock to ``hour``:30 local time of the case's debtor; returns the zone."""
    detail = api.client.get(f"/cases/{case_id}", headers=api.headers("agent")).json()
    zone = str(detail["debtor"]["timezone"])
    local = api.clock.now().astimezone(ZoneInfo(zone))
    target = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), ZoneInfo(zone))
    api.clock.current = (target + timedelta(hours=hour, minutes=30)).astimezone(UTC)
    api.login_all()
    return zone


def outbox(api: Api) -> list[dict[str, str]]:
    path = api.services.sms_settings.file_path
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_sms_goes_out_inside_the_window_only_and_receipts_update_it(api: Api) -> None:
    setup_templates(api)
    case_id = api.own_cases[0]
    at_local(api, case_id, 7)  # 07:30 local: outside 09-11 and 15-17
    agent = api.headers("agent")
    r = api.client.post(f"/cases/{case_id}/sms", json={"template": "reminder"}, headers=agent)
    assert r.status_code == 409, r.text
    assert "outside_sms_window" in r.json()["detail"]
    assert outbox(api) == []
    at_local(api, case_id, 9)  # 09:30 local
    agent = api.headers("agent")
    r = api.client.post(f"/cases/{case_id}/sms", json={"template": "reminder"}, headers=agent)
    assert r.status_code == 201, r.text
    sent = r.json()
    assert sent["status"] == "sent"
    (line,) = outbox(api)
    assert f"https://pay.example/{case_id}" in line["body"]
    assert line["body"].startswith("CollectBot")
    detail = api.client.get(f"/cases/{case_id}", headers=agent).json()
    assert line["to"] == detail["debtor"]["phones"][0]["number"]
    with api.db.transaction() as s:
        stored = s.get(SmsMessage, sent["id"])
        assert stored is not None
        assert stored.language == detail["case"]["language"]
        assert line["body"].encode() not in stored.body_enc  # encrypted at rest
    # the gateway's delivery receipt, signed with the shared secret
    receipt = json.dumps({"provider_ref": sent["provider_ref"], "status": "delivered"}).encode()
    secret = api.services.settings.sms_receipt_secret.get_secret_value()
    now = int(api.clock.now().timestamp())
    r = api.client.post(
        "/sms/receipts",
        content=receipt,
        headers={"x-collectbot-signature": sign(secret, now, receipt)},
    )
    assert r.status_code == 204, r.text
    r = api.client.post(
        "/sms/receipts",
        content=receipt,
        headers={"x-collectbot-signature": sign("wrong", now, receipt)},
    )
    assert r.status_code == 401
    old = sign(secret, now - 3600, receipt)
    r = api.client.post("/sms/receipts", content=receipt, headers={"x-collectbot-signature": old})
    assert r.status_code == 401
    with api.db.transaction() as s:
        status = s.scalar(select(SmsMessage.status).where(SmsMessage.id == sent["id"]))
    assert status == "delivered"
    report = api.client.get(
        "/reports/sms-templates",
        params={"start": "2026-11-01T00:00:00+00:00", "end": "2026-12-31T00:00:00+00:00"},
        headers=api.headers("supervisor"),
    ).json()
    (row,) = report["rows"]
    assert (row["template"], row["sent"], row["delivered"]) == ("reminder", 1, 1)


def test_agents_cannot_text_other_agents_cases_and_missing_templates_are_named(api: Api) -> None:
    r = api.client.post(
        f"/cases/{api.other_cases[0]}/sms",
        json={"template": "reminder"},
        headers=api.headers("agent"),
    )
    assert r.status_code == 404
    r = api.client.post(
        f"/cases/{api.own_cases[0]}/sms",
        json={"template": "nope"},
        headers=api.headers("agent"),
    )
    assert r.status_code == 404
    assert "nope" in r.json()["detail"]


def test_new_promises_get_one_confirmation_sms_inside_the_window(api: Api) -> None:
    for language, body in {
        "en": "Thank you: {amount} on {due_date}. {company}",
        "zh": "感谢您承诺于{due_date}还款{amount}。{company}",
    }.items():
        r = api.client.put(
            "/sms/templates",
            json={"name": "promise_confirmation", "language": language, "body": body},
            headers=api.headers("supervisor"),
        )
        assert r.status_code == 200, r.text
    case_id = api.own_cases[0]
    at_local(api, case_id, 7)  # outside the window: deferred
    with api.db.transaction() as s:
        s.add(
            Promise(
                case_id=case_id,
                amount_minor=12345,
                currency="USD",
                due_date=date(2026, 12, 10),
                status="pending",
                created_at=api.clock.now(),
            )
        )
    followups = FollowUps(api.services)
    assert asyncio.run(followups.confirm_promises()) == []
    assert outbox(api) == []
    at_local(api, case_id, 15)  # 15:30 local: inside the afternoon window
    sent = asyncio.run(followups.confirm_promises())
    assert len(sent) == 1
    (line,) = outbox(api)
    assert "123.45" in line["body"]
    assert "2026-12-10" in line["body"]
    assert asyncio.run(followups.confirm_promises()) == []  # confirmed once only
    assert len(outbox(api)) == 1
