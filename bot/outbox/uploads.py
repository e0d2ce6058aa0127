"""File uploads through the outbox: a row of method ``SlackMethod.UPLOAD`` goes by slack_sdk's
``files_upload_v2`` (files.getUploadURLExternal, the upload, files.completeUploadExternal), so a
Slack outage delays a chart instead of losing it, and a missing ``files:write`` scope fails the
chart alone (Slack answers ``missing_scope``, which is final).

A small file (a chart) travels base64-encoded in the row's payload. A large one (an export's
file) waits in the database (``storage.files``, gzip-compressed) and the payload names it by
``file_id``: the deliverer reads it just before the call (``stored_content``) and deletes it once
the row is settled, so the outbox payload stays small and any process can deliver it."""

from __future__ import annotations

import base64
import gzip
import json
from typing import Any

from slack_sdk.errors import SlackRequestError
from slack_sdk.web import SlackResponse, WebClient
from sqlmodel import Session

from bot.outbox.envelope import SlackMethod
from storage import files

FILE_ID = "file_id"
CONTENT = "content"  # the bytes of a stored file, put in the payload by the deliverer alone


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


def stored_upload_payload(
    *, channel: str, filename: str, title: str, alt_text: str, file_id: int
) -> dict[str, Any]:
    """An upload of a file waiting in ``storage.files`` (added in the same transaction)."""
    return {
        "channel": channel,
        "filename": filename,
        "title": title,
        "alt_txt": alt_text[:1000],
        FILE_ID: file_id,
    }


def stored_file(method: str, payload: str) -> int | None:
    """The stored file an outbox row (its method and JSON payload) uploads, if any."""
    if method != SlackMethod.UPLOAD or f'"{FILE_ID}"' not in payload:
        return None
    found = json.loads(payload).get(FILE_ID)
    return None if found is None else int(found)


def stored_content(
    session: Session, payload: dict[str, Any], *, team_id: str, user_id: str | None
) -> dict[str, Any] | None:
    """The payload with the stored file's bytes, when the file is still there and holds the data
    of the person the row is for (None otherwise: erased, or not theirs)."""
    found = files.file_for(
        session, file_id=int(payload[FILE_ID]), team_id=team_id, user_id=user_id or ""
    )
    if found is None:
        return None
    return {**payload, CONTENT: gzip.decompress(found.gzipped)}


def upload(client: WebClient, payload: dict[str, Any]) -> SlackResponse:
    content = payload.get(CONTENT)
    try:
        return client.files_upload_v2(
            channel=payload["channel"],
            content=content if content is not None else base64.b64decode(payload["content_b64"]),
            filename=payload["filename"],
            title=payload.get("title"),
            alt_txt=payload.get("alt_txt"),
        )
    except SlackRequestError as err:  # the upload URL refused the bytes: try again later
        raise ConnectionError(str(err)) from err


def uploaded_file_id(response: dict[str, Any]) -> str | None:
    """An upload's file id (``files_upload_v2`` answers with the files it completed): kept as
    the row's ``result_ts``, so what was uploaded can be shown again (a chart in a Home tab)."""
    found = response.get("files") or ([response["file"]] if response.get("file") else [])
    first = found[0] if isinstance(found, list) and found else None
    file_id = first.get("id") if isinstance(first, dict) else None
    return str(file_id)[:32] if isinstance(file_id, str) and file_id else None
