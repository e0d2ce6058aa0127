"""`make demo`, customer ratings that arrive by themselves: an admin asks for the webhook's
address and secret, a help desk posts signed ratings (one a duplicate, one for somebody Bravo
cannot find), the agents hear of theirs by DM, and the admin matches the stray one.

Played like part three: a Bravo in this process (its webhook routed as ``bravo run`` routes
it) beside the server's delivery thread.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from typing import Any

from bot.demo.stage import (
    ANA,
    CHANNEL,
    CY,
    DEE,
    SECRET,
    TEAM,
    Scene,
    SimClock,
    bravo_on,
)
from bot.install.crypto import new_key
from bot.ratings import ids
from bot.ratings.parse import sign
from bot.sandbox.signing import SlackRequester

PUBLIC = "https://bravo.example.com"
TICKETS = "https://help.example.com/tickets/"


def play_ratings(scene: Scene, env: dict[str, str]) -> None:
    print(
        "\n━━ Customer ratings that arrive by themselves ━━\n"
        "A help desk posts each customer rating to Bravo's signed webhook. @dee is a Bravo\n"
        "admin (BRAVO_ADMINS); BRAVO_ENCRYPTION_KEY seals the webhook's secret."
    )
    clock = SimClock(datetime.now(UTC))  # now: what it queues is due at once
    own = {**env, "BRAVO_ADMINS": DEE, "BRAVO_PUBLIC_URL": PUBLIC}
    own.setdefault("BRAVO_ENCRYPTION_KEY", new_key())
    with bravo_on(scene, clock, own) as (_deps, url):
        slack = SlackRequester(url, SECRET, team_id=TEAM, fake=scene.fake)
        base = url.removesuffix("/slack/events")
        scene.step(
            "@dee: /bravo ratings (the webhook's address and secret, only she sees them)",
            lambda: slack.slash_command(DEE, "/bravo", "ratings", channel_id=CHANNEL),
            scene.more("response_url"),
        )
        hook_id, secret = _hook_of(scene)
        sent: list[dict[str, Any]] = [
            {
                "agent_slack_id": ANA,
                "rating": "good",
                "comment": "Ana sorted my refund in minutes!",
            },
            {"agent_email": "ben@example.com", "rating": 2, "comment": "I had to explain twice."},
            # Not a Slack id of this workspace (an id from the help desk's own directory).
            {"agent_slack_id": "U0SAM", "rating": 5, "comment": "Sam was wonderful."},
        ]
        scene.title("The help desk posts three signed ratings, then the first one again")
        for n, said in enumerate(sent):
            body = {**said, "source": "zendesk", "ticket_url": f"{TICKETS}{4521 + n}"}
            _post(scene, base, hook_id, secret, body)
            if n == 0:
                again = {**body, "comment": f"{body['comment']} (resent)"}
                _post(scene, base, hook_id, secret, again)
        _post(scene, base, hook_id, "not-the-secret", {**sent[0], "source": "x"})
        scene.wait(scene.more("chat.postMessage", 2))
        scene.settle()
        scene.show()
        scene.step(
            "@dee: /bravo ratings unmatched (Sam is nobody Bravo knows)",
            lambda: slack.slash_command(DEE, "/bravo", "ratings unmatched", channel_id=CHANNEL),
            scene.more("response_url"),
        )
        block = _match_block(scene)
        pick = {"type": "users_select", "block_id": block, "selected_user": CY}
        scene.step(
            "@dee matches it to @cy (Sam is what customers call Cy); Cy hears of it",
            lambda: slack.block_action(DEE, ids.MATCH, None, channel_id=CHANNEL, action=pick),
            scene.more("chat.postMessage"),
        )


def _hook_of(scene: Scene) -> tuple[str, str]:
    reply = scene.fake.calls("response_url")[-1].args
    text = json.dumps(reply.get("blocks") or [])
    hook_id = re.findall(re.escape(ids.HOOK_PATH) + r"([A-Za-z0-9_-]+)", text)[0]
    secret = re.findall(r"`([0-9a-f]{64})`", text)[0]
    return hook_id, secret


def _match_block(scene: Scene) -> str:
    reply = scene.fake.calls("response_url")[-1].args
    for block in reply.get("blocks") or []:
        if str(block.get("block_id", "")).startswith(ids.MATCH_BLOCK):
            return str(block["block_id"])
    raise RuntimeError("no rating waits to be matched")


def _post(scene: Scene, base: str, hook_id: str, secret: str, body: dict[str, Any]) -> None:
    raw = json.dumps(body).encode()
    stamp = str(int(time.time()))
    request = urllib.request.Request(
        f"{base}{ids.HOOK_PATH}{hook_id}",
        data=raw,
        headers={
            "Content-Type": "application/json",
            "X-Bravo-Timestamp": stamp,
            "X-Bravo-Signature": sign(secret, stamp, raw),
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, answer = response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        status, answer = err.code, json.loads(err.read() or b"{}")
    who = body.get("agent_slack_id") or body.get("agent_email")
    scene.say(f"POST {ids.HOOK_PATH}… rating {body['rating']} for {who}: {status} {answer}")
