"""Error reports to Sentry (sentry-sdk), started by the settings when SENTRY_DSN is set."""

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration


def tag_request_id(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """The request's id (django-guid), as in its log lines and X-Request-ID answer."""
    from django_guid import get_guid  # reads the settings, which import this module

    request_id = get_guid()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def start_error_reports(dsn: str, environment: str = "") -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        integrations=[DjangoIntegration()],
        send_default_pii=False,  # no visitor's address, cookie or user
        traces_sample_rate=0.0,  # errors only: no performance tracing
        before_send=tag_request_id,
    )
