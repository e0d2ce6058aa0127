"""The demo's skill profile scene: @ana opens her Home tab and reads "Your skills" (what the earlier
scenes left behind: kudos, reviews, feedback, practice), lets her coaches see it, and her coach
@ben opens it from his own home; @cy, who does not coach her, cannot. Played against Bravo's HTTP
server process, the profile on a Bravo in this process whose clock is the story's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import desc, select

from bot.coaching import ids as coaching_ids
from bot.demo.stage import (
    ANA,
    BEN,
    CHANNEL,
    CY,
    SECRET,
    TEAM,
    Scene,
    SimClock,
    as_message,
    bravo_on,
    button_of,
    view_of,
)
from bot.home import ids as home_ids
from bot.home.ids import Toggle
from bot.profile import ids
from bot.sandbox.signing import SlackRequester
from bot.sandbox.transcript import blocks_to_text
from storage import coaching as pairings
from storage.models.feedback import CustomerFeedback, Feedback
from storage.models.kudos import Kudos

SKILLS = "Your skills"
COACHING = "Coaching"


def section_of(view: dict[str, Any], title: str) -> list[dict[str, Any]]:
    """A home's section: the blocks from the header naming ``title`` to the next divider."""
    found: list[dict[str, Any]] = []
    for block in view.get("blocks", []):
        if block.get("type") == "header":
            if found:
                break
            if title in str((block.get("text") or {}).get("text", "")):
                found.append(block)
        elif block.get("type") == "divider":
            if found:
                break
        elif found:
            found.append(block)
    return found


def _home(scene: Scene, who: str) -> dict[str, Any]:
    """The last home Bravo published for ``who``."""
    for call in reversed(scene.fake.calls("views.publish", ok=True)):
        if call.args.get("user_id") == who:
            return view_of(call)
    raise LookupError(f"no home published for {who}")


def _show_section(
    scene: Scene, who: str, title: str, before: list[str] | None = None
) -> tuple[dict[str, Any], list[str]]:
    """Print one section of the person's home (the whole tab is long; the rest was seen), or,
    given ``before`` (the section as last printed), only its lines that changed."""
    view = _home(scene, who)
    lines = blocks_to_text(section_of(view, title), scene.names, scene.channels).splitlines()
    if before is None:
        scene.say(f"@{scene.names[who]}'s Home tab, its '{title}' section:")
        shown = lines
    else:
        scene.say(f"@{scene.names[who]}'s Home tab changes at once (the rest as before):")
        shown = [line for line in lines if line not in before]
    for line in shown or ["(not on the home)"]:
        scene.say("    " + line)
    scene.seen = len(scene.fake.calls())
    return view, lines


def _open_home(
    scene: Scene, slack: SlackRequester, who: str, title: str
) -> tuple[dict[str, Any], list[str]]:
    published = scene.more("views.publish")
    channel = f"D0{scene.names[who].upper()}HOME"
    slack.event({"type": home_ids.EVENT, "user": who, "channel": channel, "tab": home_ids.HOME_TAB})
    scene.wait(published)
    scene.settle()
    return _show_section(scene, who, title)


def _coached(scene: Scene) -> bool:
    """Does @ben coach @ana already (the fortnight pairs them)?"""
    if scene.db is None:
        return False
    with scene.db.read() as session:
        return BEN in pairings.coaches_of(session, team_id=TEAM, coachee_id=ANA)


def _pair(scene: Scene, slack: SlackRequester) -> None:
    """@ben offers to coach @ana and she accepts (when no earlier scene did)."""
    scene.step(
        "@ben offers to coach @ana: /coach @ana",
        lambda: slack.slash_command(BEN, "/coach", f"<@{ANA}|ana>", channel_id=CHANNEL),
        scene.more("chat.postMessage"),
    )
    posts = scene.fake.calls("chat.postMessage", ok=True)
    offer = [c for c in posts if c.args.get("channel") == ANA][-1]
    button = button_of(offer, action_id=coaching_ids.COACH_ACCEPT)
    scene.step(
        f"@ana presses [{button['text']['text']}]",
        lambda: slack.block_action(
            ANA,
            coaching_ids.COACH_ACCEPT,
            button.get("value"),
            channel_id=str(offer.response["channel"]),
            message=as_message(offer),
        ),
        scene.more("response_url"),
    )


def story_now(scene: Scene) -> datetime:
    """The story's moment: now, or just after the latest kudos or feedback if an earlier scene
    played on the simulated clock (the fortnight and the week after it lie ahead of the wall
    clock, and a profile counts what happened up to its now)."""
    now = datetime.now(UTC)
    latest = [now]
    if scene.db is not None:
        with scene.db.read() as session:
            for column in (Kudos.created_at, Feedback.created_at, CustomerFeedback.created_at):
                found = session.exec(select(column).order_by(desc(column)).limit(1)).first()
                if isinstance(found, datetime):
                    latest.append(found if found.tzinfo else found.replace(tzinfo=UTC))
    return max(latest) + timedelta(hours=1) if max(latest) > now else now


def play_profile(scene: Scene, slack: SlackRequester, env: dict[str, str]) -> None:
    """``slack``: signed requests to Bravo's server process; ``env``: the demo's, for a Bravo
    in this process on the story's clock (see ``story_now``)."""
    print(
        "\n━━ The skill profile ━━\n"
        "Each person's skills against their own past (never a ranking): kudos, reviews, feedback\n"
        "and practice, in their Home tab. Theirs alone, unless they share it with their coaches."
    )
    if not _coached(scene):
        _pair(scene, slack)
    clock = SimClock(story_now(scene))
    if clock() > datetime.now(UTC):
        print(
            f"Bravo's clock: {clock():%a %d %b %H:%M} UTC, after the fortnight and the week after."
        )
    with bravo_on(scene, clock, env) as (_deps, url):
        _profile_scenes(scene, SlackRequester(url, SECRET, team_id=TEAM, fake=scene.fake))


def _profile_scenes(scene: Scene, slack: SlackRequester) -> None:
    scene.title("@ana opens Bravo's Home tab in Slack")
    home, shown = _open_home(scene, slack, ANA, SKILLS)
    scene.title("@ana presses [Let my coaches see my skill profile]")
    published = scene.more("views.publish")
    slack.block_action(ANA, home_ids.TOGGLE, Toggle.PROFILE_TO_COACHES, view=home)
    scene.wait(published)
    scene.settle()
    _show_section(scene, ANA, SKILLS, shown)
    scene.title("@ben, her coach, opens his Home tab")
    coach_home, _ = _open_home(scene, slack, BEN, COACHING)
    scene.step(
        "@ben presses [Skill profile] beside @ana",
        lambda: slack.block_action(BEN, ids.OPEN_FOR_COACHEE, ANA, view=coach_home),
        scene.more("views.open"),
    )
    scene.step(
        "@cy, who does not coach @ana, forges the same click",
        lambda: slack.block_action(CY, ids.OPEN_FOR_COACHEE, ANA, view=coach_home),
        scene.more("views.open"),
    )
