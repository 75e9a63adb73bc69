"""SMS through the API: rendered in the debtor's language, sent only inside the window and
when the compliance guard allows it, stored encrypted, delivery receipts signed with HMAC."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import api_fixtures
from api_fixtures import Api
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from admin_api.followups import FollowUps
from admin_api.webhooks import sign
from core.logging import configure_logging
from data.models import Promise, SmsMessage
from sms.errors import GatewayError
from sms.gateway import OutboundSms, SendResult

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


class RefusingGateway:
    """The provider refuses every message (its answer to a bad number, a blocked sender)."""

    async def send(self, sms: OutboundSms) -> SendResult:
        raise GatewayError("rejected by the provider: 0x0000000B")

    async def aclose(self) -> None:
        return None


def _sms_counts(api: Api) -> dict[str, float]:
    text = api.client.get("/metrics").text
    return {
        s.labels["result"]: s.value
        for family in text_string_to_metric_families(text)
        if family.name == "collectbot_sms"
        for s in family.samples
        if s.name == "collectbot_sms_total"
    }


def test_sms_sent_delivered_and_failed_are_counted_in_the_metrics(api: Api) -> None:
    """``collectbot_sms_total{result}`` as the API serves it: one ``sent`` per message the
    gateway took, ``delivered`` / ``failed`` from the receipts, ``failed`` for a refusal."""
    configure_logging(observers=[api.services.metrics.observe])  # as the API's process does
    try:
        setup_templates(api)
        case_id = api.own_cases[0]
        at_local(api, case_id, 9)
        agent = api.headers("agent")
        refs = []
        for _ in range(3):
            r = api.client.post(
                f"/cases/{case_id}/sms", json={"template": "reminder"}, headers=agent
            )
            assert r.status_code == 201, r.text
            refs.append(r.json()["provider_ref"])
        secret = api.services.settings.sms_receipt_secret.get_secret_value()
        now = int(api.clock.now().timestamp())
        for ref, status in zip(refs, ("delivered", "rejected", "reply"), strict=True):
            receipt = json.dumps({"provider_ref": ref, "status": status, "reply": "ok"}).encode()
            r = api.client.post(
                "/sms/receipts",
                content=receipt,
                headers={"x-collectbot-signature": sign(secret, now, receipt)},
            )
            assert r.status_code == 204, r.text
        kept, api.services.sms_gateway = api.services.sms_gateway, RefusingGateway()
        try:
            other = api.own_cases[1]  # the first case has had its SMS for the day
            at_local(api, other, 9)
            r = api.client.post(
                f"/cases/{other}/sms", json={"template": "reminder"}, headers=api.headers("agent")
            )
            assert r.status_code == 409, r.text
            assert "gateway refused" in r.text
        finally:
            api.services.sms_gateway = kept
        counts = _sms_counts(api)
    finally:
        configure_logging()
    # a reply is no delivery report; the refused message and the rejected one both failed
    assert counts == {"sent": 3.0, "delivered": 1.0, "failed": 2.0}
    with api.db.transaction() as s:
        stored = sorted(s.scalars(select(SmsMessage.status)))
    assert stored == ["delivered", "failed", "rejected", "sent"]


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
