"""Build the configured gateway (wiring helper for the entry points)."""

from __future__ import annotations

import httpx

from core.clock import Clock
from sms.file_gateway import FileSmsGateway
from sms.gateway import SmsGateway
from sms.http_gateway import HttpSmsGateway
from sms.settings import SmsSettings
from sms.smpp import SmppSmsGateway


def build_gateway(settings: SmsSettings, clock: Clock) -> SmsGateway:
    if settings.gateway == "http":
        return HttpSmsGateway(
            url=settings.http_url,
            client=httpx.AsyncClient(),
            body_template=settings.http_body_template,
            auth_header=settings.http_auth_header.get_secret_value(),
            ref_field=settings.http_ref_field,
        )
    if settings.gateway == "smpp":
        return SmppSmsGateway(
            host=settings.smpp_host,
            port=settings.smpp_port,
            system_id=settings.smpp_system_id,
            password=settings.smpp_password.get_secret_value(),
            system_type=settings.smpp_system_type,
            source=settings.sender,
            clock=clock,
        )
    return FileSmsGateway(settings.file_path)
