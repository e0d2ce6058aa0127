"""File uploads through the outbox: a row of method ``SlackMethod.UPLOAD`` goes by slack_sdk's
``files_upload_v2`` (files.getUploadURLExternal, the upload, files.completeUploadExternal), so a
Slack outage delays a chart instead of losing it, and a missing ``files:write`` scope fails the
chart alone (Slack answers ``missing_scope``, which is final)."""

from __future__ import annotations

import base64
from typing import Any

from slack_sdk.errors import SlackRequestError
from slack_sdk.web import SlackResponse, WebClient


def upload_payload(
    *, channel: str, filename: str, title: str, alt_text: str, content: bytes
) -> dict[str, Any]:
    return {
        "channel": channel,
        "filename": filename,
        "title": title,
        "alt_txt": alt_text[:1000],
        "content_b64": base64.b64encode(content).decode("ascii"),
    }


def upload(client: WebClient, payload: dict[str, Any]) -> SlackResponse:
    try:
        return client.files_upload_v2(
            channel=payload["channel"],
            content=base64.b64decode(payload["content_b64"]),
            filename=payload["filename"],
            title=payload.get("title"),
            alt_txt=payload.get("alt_txt"),
        )
    except SlackRequestError as err:  # the upload URL refused the bytes: try again later
        raise ConnectionError(str(err)) from err
