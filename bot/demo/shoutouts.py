"""`make demo`, the shout-outs part of the fortnight's second week: @dee makes #team-wins a team
channel, the team recognises each other, @dee's Saturday birthday is celebrated on Friday at
09:00, and at 16:00 (London) the fortnight ends with the team's weekly shout-out and its chart,
posted once however often the job runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.demo.fortnight import Fortnight
from bot.demo.stage import ANA, BEN, CHANNEL, CY, DEE
from bot.scheduling.registry import BY_NAME

TITLES = {
    "celebrations": "celebrations (09:00, team channel time)",
    "shoutouts": "weekly shout-out (Friday 16:00, team channel time)",
}


def week_two(f: Fortnight) -> None:
    """Played on the fortnight ``f`` (a ``Fortnight``) after Monday of week two."""

    def bravo(user: str, text: str) -> Any:
        return lambda: f.slack.slash_command(user, "/bravo", text, channel_id=CHANNEL)

    def kudos(user: str, text: str) -> Any:
        return lambda: f.slack.slash_command(user, "/kudos", text, channel_id=CHANNEL)

    on = f.at(DEE, 2 + 7, "10:00")
    f.advance(on)
    f.do(
        on,
        f"{f.moment(on, DEE)} · @dee makes #team-wins a team channel: /bravo shoutouts on",
        bravo(DEE, "shoutouts on"),
        f.more("response_url"),
    )
    saturday = f.day1 + timedelta(days=12)
    f.do(
        on + timedelta(minutes=2),
        f"@dee adds her birthday (a Saturday this year): /bravo celebrate birthday "
        f"{saturday:%m-%d}",
        bravo(DEE, f"celebrate birthday {saturday:%m-%d}"),
        f.more("response_url"),
    )
    thanks = f.at(CY, 3 + 7, "11:00")
    f.advance(thanks)
    f.do(
        thanks,
        f"{f.moment(thanks, CY)} · @cy thanks @ben and @dee",
        kudos(
            CY,
            f"<@{BEN}|ben> <@{DEE}|dee> for untangling the billing outage together, calmly "
            "#problem-solving",
        ),
        f.more("chat.postMessage"),
        brief=True,
    )
    later = f.at(ANA, 4 + 7, "15:00")
    f.advance(later)
    f.do(
        later,
        f"{f.moment(later, ANA)} · @ana thanks @cy",
        kudos(ANA, f"<@{CY}|cy> for turning a furious caller into a fan #empathy"),
        f.more("chat.postMessage"),
        brief=True,
    )
    celebrate = f.at(DEE, 5 + 7, "09:00")
    f.advance(celebrate)
    _run(f, "celebrations", celebrate, DEE)
    post = f.at(DEE, 5 + 7, "16:00")
    f.advance(post - timedelta(seconds=1))
    _run(f, "shoutouts", post, DEE)
    f.scene.title("The same run again (a retry, a restart, a second process): posted once")
    _run(f, "shoutouts", post + timedelta(minutes=10), DEE, title=False)


def _run(f: Fortnight, name: str, at: datetime, user: str, *, title: bool = True) -> None:
    f.clock.set(at)
    if title:
        f.scene.title(f"{f.moment(at, user)} · {TITLES[name]}")
    counts = BY_NAME[name].run(f.deps, at)
    f.deliver()
    done = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing due"
    print(f"    ({name} as of {at.isoformat()}: {done})")
    f.scene.show(empty=None)
