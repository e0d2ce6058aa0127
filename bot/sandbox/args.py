"""The arguments of a Web API request, read the way Slack reads them."""

from __future__ import annotations

import email.parser
import email.policy
import json
from typing import Any
from urllib.parse import parse_qsl

from bot.sandbox.calls import SlackError

JSON_FIELDS = frozenset({"blocks", "view", "attachments", "files", "metadata", "outputs"})


def flag(value: Any) -> bool:
    """A boolean argument as Slack reads it: true, "true", "1" or "yes"."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def decode_json_fields(args: dict[str, Any]) -> dict[str, Any]:
    """Decode, in place, the JSON-valued fields (`blocks`, `view`...) sent as strings."""
    for key in JSON_FIELDS & args.keys():
        value = args[key]
        if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
            try:
                args[key] = json.loads(value)
            except json.JSONDecodeError as err:
                raise SlackError("invalid_json", detail=f"{key}: {err}") from err
    return args


def parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """(form fields, uploaded files by field name) of a multipart/form-data body."""
    raw = f"Content-Type: {content_type}\r\n\r\n".encode() + body
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
    fields: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(name, str):
            continue
        if not isinstance(payload, bytes):
            payload = b""
        if part.get_filename() is not None:
            files[name] = payload
        else:
            fields[name] = payload.decode("utf-8")
    return fields, files


def parse_request_args(content_type: str, body: bytes, query: str = "") -> dict[str, Any]:
    """Arguments of a Web API request, from the query string and a form, multipart or JSON body.

    JSON-valued fields sent inside a form (`blocks`, `view`, `attachments`...) are decoded.
    Raises SlackError("invalid_json") on a malformed JSON body.
    """
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            data = json.loads(body or b"{}")
        except json.JSONDecodeError as err:
            raise SlackError("invalid_json") from err
        if not isinstance(data, dict):
            raise SlackError("invalid_json")
        args.update(data)
    elif kind == "multipart/form-data":
        fields, files = parse_multipart(content_type, body)
        args.update(fields)
        args.update({k: f"<{len(v)} bytes>" for k, v in files.items()})
    elif body:
        args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return decode_json_fields(args)
