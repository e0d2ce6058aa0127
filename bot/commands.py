"""The registry of commands: the one place that owns each command's words. Help, the examples
in error words and "did you mean" all come from here, and a test checks every command Bravo
registers has an entry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from difflib import get_close_matches


@dataclass(frozen=True)
class CommandHelp:
    command: str
    usage: str
    description: str
    words: tuple[str, ...] = ()  # the subcommand words this line introduces ("stats")
    example: str = ""  # a line to copy, when ``usage`` has [options] or | choices


REGISTRY: tuple[CommandHelp, ...] = (
    CommandHelp(
        "/kudos",
        "/kudos @ana @ben for calming an angry caller #empathy",
        "Recognise one or more people (or an @group) with a reason and optional #values.",
    ),
    CommandHelp("/kudos", "/kudos", "Open the kudos form: people, value, reason and channel."),
    CommandHelp(
        "/kudos",
        "/kudos stats [@someone]",
        "Kudos received and given, streak, values.",
        ("stats",),
        "/kudos stats @ana",
    ),
    CommandHelp(
        "/kudos",
        "/kudos history [@someone]",
        "Kudos received and given, page by page (someone else's: only what was public).",
        ("history",),
        "/kudos history @ana",
    ),
    CommandHelp(
        "/kudos",
        "/kudos leaderboard [week|month|all] [#value]",
        "Who has been recognised most.",
        ("leaderboard",),
        "/kudos leaderboard month #empathy",
    ),
    CommandHelp(
        "/kudos",
        "/kudos optout | optin",
        "Leave or rejoin the leaderboards.",
        ("optout", "optin"),
        "/kudos optout",
    ),
    CommandHelp("/kudos", "/kudos help", "This help.", ("help",)),
    CommandHelp("/goal", "/goal", "Set a SMART goal with check-ins at your local time."),
    CommandHelp(
        "/goal", "/goal list", "Your goals: check in, edit, pause, complete, archive.", ("list",)
    ),
    CommandHelp("/goal", "/goal list @someone", "Goals someone you coach shared with you."),
    CommandHelp(
        "/goal",
        "/goal away until 2026-12-24 | back",
        "No check-ins while you're away.",
        ("away", "back"),
        "/goal away until 2026-12-24",
    ),
    CommandHelp("/goal", "/goal help", "Help with goals.", ("help",)),
    CommandHelp("/coach", "/coach @ana", "Offer to coach Ana; she accepts or declines."),
    CommandHelp(
        "/coach", "/coach list", "Who you coach and who coaches you; end a pairing.", ("list",)
    ),
    CommandHelp(
        "/coach",
        "/coach end @ana",
        "End the coaching between you and Ana, whichever of you coaches (or withdraw an offer).",
        ("end",),
    ),
    CommandHelp(
        "/coach",
        "/coach 1on1 @ana every [other] <day> HH:MM | @ana move <day> HH:MM | @ana cancel "
        "| @ana notes | list",
        "Recurring one-on-ones with someone you coach (your time zone); either of you can "
        "move or cancel them, and see the latest notes.",
        ("1on1",),
        "/coach 1on1 @ana every other tuesday 14:00",
    ),
    CommandHelp(
        "/coach",
        "/coach prep @ana",
        "The prep note for your next one-on-one with someone you coach, by DM: their goals, "
        "check-ins, what they shared, their topics and open action items.",
        ("prep",),
    ),
    CommandHelp("/coach", "/coach help", "Help with coaching.", ("help",)),
    CommandHelp("/feedback", "/feedback @ben", "Give Ben private, specific feedback (a form)."),
    CommandHelp(
        "/feedback",
        "/feedback request @ana @ben [about the Q3 onboarding calls]",
        "Ask up to 10 people for feedback; one reminder, closes after a week.",
        ("request",),
        "/feedback request @ana @ben about the Q3 onboarding calls",
    ),
    CommandHelp(
        "/feedback",
        "/feedback inbox",
        "What you received, by skill; mark it acted on.",
        ("inbox",),
    ),
    CommandHelp("/feedback", "/feedback inbox @someone", "Feedback a coachee shared with you."),
    CommandHelp("/feedback", "/feedback help", "Help with feedback.", ("help",)),
    CommandHelp("/suggest", "/suggest more quiet hours on Fridays", "An anonymous suggestion."),
    CommandHelp("/suggest", "/suggest", "The anonymous suggestion form."),
    CommandHelp(
        "/suggest", "/suggest setup", "Admins: make this channel the suggestion box.", ("setup",)
    ),
    CommandHelp("/suggest", "/suggest help", "Help with the suggestion box.", ("help",)),
    CommandHelp(
        "/review",
        "/review @ana <link to the ticket or call>",
        "Score one of Ana's conversations on each skill (coaches, team leads and admins); "
        "only Ana, you, her coaches and her team's leads see it.",
        example="/review @ana https://help.example.com/tickets/4521",
    ),
    CommandHelp(
        "/review",
        "/review list [@someone]",
        "Reviews you gave or received, with each skill's average over 30 and 90 days.",
        ("list",),
        "/review list @ana",
    ),
    CommandHelp(
        "/review",
        "/review calibrate <link> @ben @cy @dee [for @ana] [by friday] | history | show <n> "
        "| cancel <n>",
        "Leads: 2 to 10 reviewers score the same conversation blind, then all see the spread "
        "and the agreement; `history` shows your rounds' agreement over time.",
        ("calibrate",),
        "/review calibrate https://help.example.com/tickets/4521 @ben @cy by friday",
    ),
    CommandHelp("/review", "/review help", "Help with reviews.", ("help",)),
    CommandHelp(
        "/practice",
        "/practice [skill]",
        "A customer scenario to practise a reply to (for that skill, or one you haven't "
        "seen), then a quick self-check; only you and the people you ask to rate it see it.",
        example="/practice empathy",
    ),
    CommandHelp(
        "/practice",
        "/practice every weekday HH:MM [skill]",
        "A scenario every weekday at that time (your time zone); days away are skipped and "
        "keep your streak.",
        ("every",),
        "/practice every weekday 09:00 empathy",
    ),
    CommandHelp("/practice", "/practice stop", "Stop your weekday scenarios.", ("stop",)),
    CommandHelp(
        "/practice", "/practice history", "Your latest practice rounds and streak.", ("history",)
    ),
    CommandHelp(
        "/practice",
        "/practice scenarios",
        "Admins: the workspace's practice scenarios.",
        ("scenarios",),
    ),
    CommandHelp("/practice", "/practice help", "Help with practice.", ("help",)),
    CommandHelp(
        "/learned",
        "/learned <what you learned> [#skill] [link]",
        "Record a lesson: it stays yours until you post it to your team channel, where others "
        "can say it helped them.",
        example="/learned Offer the refund before they ask: calls end calmer #empathy",
    ),
    CommandHelp(
        "/learned",
        "/learned",
        "Open the lesson form: what happened, what you learned, the skill and a link.",
    ),
    CommandHelp(
        "/learned",
        "/learned share <what you learned>",
        "Record a lesson that starts with one of these words (search, mine, course, help).",
        ("share",),
    ),
    CommandHelp(
        "/learned",
        "/learned search <words> [#skill]",
        "Find lessons your workspace shared, most helpful first.",
        ("search",),
        "/learned search refund #empathy",
    ),
    CommandHelp(
        "/learned",
        "/learned mine",
        "Your own lessons and the ones you saved.",
        ("mine",),
    ),
    CommandHelp(
        "/learned",
        '/learned course "<title>" [#skill] [on YYYY-MM-DD] [next: what you will try]',
        "Record training you took; what you will try next can become a goal.",
        ("course",),
        '/learned course "De-escalation basics" #empathy next: name the feeling first',
    ),
    CommandHelp(
        "/learned",
        "/learned course list [@person]",
        "Your training, or a coachee's who shares it with you.",
        ("course",),  # "list" only after "course": a lesson may start with "Listen"
    ),
    CommandHelp("/learned", "/learned help", "Help with lessons and training.", ("help",)),
    CommandHelp(
        "/bravo",
        "/bravo shoutouts on [weekday] [HH:MM] [time zone]",
        "Weekly shout-out in this channel for its members (default Friday 16:00, your time "
        "zone); `off` stops it.",
        ("shoutouts",),
        "/bravo shoutouts on friday 16:00 Europe/Berlin",
    ),
    CommandHelp("/bravo", "/bravo shoutouts preview", "See this week's post so far (only you)."),
    CommandHelp("/bravo", "/bravo shoutouts list", "Every kudos among the team this week."),
    CommandHelp(
        "/bravo",
        "/bravo celebrate birthday 03-14 | started 2021-06-01",
        "Your birthday (no year) or start date, celebrated in your team channels at 09:00.",
        ("celebrate",),
        "/bravo celebrate birthday 03-14",
    ),
    CommandHelp(
        "/bravo",
        "/bravo celebrate optout | optin | forget birthday",
        "Skip celebrations of your dates, or remove one.",
        example="/bravo celebrate optout",
    ),
    CommandHelp(
        "/bravo",
        "/bravo celebrate milestones channel | dm",
        "Where your milestones are shared.",
        example="/bravo celebrate milestones dm",
    ),
    CommandHelp("/bravo", "/bravo celebrate import", "Admins: import dates from CSV."),
    CommandHelp(
        "/bravo", "/bravo lead @ana", "Admins: name a team lead for this channel.", ("lead",)
    ),
    CommandHelp(
        "/bravo",
        "/bravo fairness on | off",
        "Leads: a private weekly DM of members nobody recognised for four weeks.",
        ("fairness",),
        "/bravo fairness on",
    ),
    CommandHelp(
        "/bravo",
        "/bravo settings [log]",
        "Admins: the workspace's settings (values, allowance, channels, admins), and their log.",
        ("settings",),
        "/bravo settings",
    ),
    CommandHelp(
        "/bravo",
        "/bravo export",
        "Everything Bravo holds about you, as a file in a DM.",
        ("export",),
    ),
    CommandHelp(
        "/bravo",
        "/bravo forget me | forget @someone",
        "Erase your data from Bravo (admins: someone who left), after a confirmation.",
        ("forget",),
        "/bravo forget me",
    ),
    CommandHelp(
        "/bravo",
        "/bravo ratings [unmatched]",
        "Admins: the customer-rating webhook (its address and secret), and ratings waiting to "
        "be matched to someone.",
        ("ratings",),
        "/bravo ratings",
    ),
    CommandHelp("/bravo", "/bravo help", "Help with shout-outs and celebrations.", ("help",)),
)

SHORTCUTS: tuple[CommandHelp, ...] = (
    CommandHelp(
        "Give kudos",
        "Message menu (⋯) > Give kudos",
        "Recognise the author of a message, with the message linked.",
    ),
    CommandHelp(
        "Log customer feedback",
        "Message menu (⋯) > Log customer feedback",
        "Record a customer's praise or complaint about a teammate, with a 1-5 rating.",
    ),
    CommandHelp(
        "Save as a lesson",
        "Message menu (⋯) > Save as a lesson",
        "Keep a good answer as a lesson, credited to its author (who is told and can edit or "
        "remove it).",
    ),
)


def commands() -> set[str]:
    return {c.command for c in REGISTRY}


def help_text(emoji: str, values: tuple[str, ...]) -> str:
    lines = ["*Bravo: recognition that sticks*"]
    lines += [f"• `{c.usage}`: {c.description}" for c in REGISTRY if c.command == "/kudos"]
    lines += [f"• {s.usage}: {s.description}" for s in SHORTCUTS]
    lines.append(
        f"• React with :{emoji}: to a message to give its author kudos "
        "(remove the reaction to take it back)."
    )
    lines.append("Values: " + " ".join(f"`#{v}`" for v in values))
    lines.append("Goals and coaching: `/goal help`, `/coach help`.")
    return "\n".join(lines)


def command_help(command: str) -> str:
    """Help for one command (``/goal``, ``/coach``), from the registry."""
    lines = [f"*{command}*"]
    lines += [f"• `{c.usage}`: {c.description}" for c in REGISTRY if c.command == command]
    return "\n".join(lines)


def _lines(command: str) -> list[CommandHelp]:
    return [c for c in REGISTRY if c.command == command]


def subcommands(command: str) -> tuple[str, ...]:
    """The words that may follow ``command`` (``stats``, ``leaderboard``...), in help order."""
    return tuple(w for c in _lines(command) for w in c.words)


def _line(command: str, sub: str | None) -> CommandHelp:
    """The help line of ``sub``; without one (or for a word the registry does not know), the
    command's first line that says more than the bare command."""
    lines = _lines(command)
    if sub is not None:
        for c in lines:
            if sub in c.words:
                return c
    fuller = [c for c in lines if c.usage != command]
    return (fuller or lines or [CommandHelp(command, command, "")])[0]


def usage(command: str, sub: str | None = None) -> str:
    """How ``command`` (or one of its subcommands) is written, [options] and | choices shown."""
    return _line(command, sub).usage


def example(command: str, sub: str | None = None) -> str:
    """A line to copy for ``command`` (or one of its subcommands): ``/coach @ana``."""
    line = _line(command, sub)
    return line.example or line.usage


WHO: dict[str, str] = {
    "/kudos": "Who gets the kudos?",
    "/feedback request": "Who should I ask for feedback?",
}


def who(command: str, sub: str | None = None) -> str:
    """The question a command asks when it was given nobody."""
    return WHO.get(f"{command} {sub}" if sub else command, "Who do you mean?")


def meant(command: str, word: str) -> str | None:
    """The subcommand of ``command`` a typed word was most likely meant to be (``/kudos halp``
    -> ``help``), or None."""
    return near_miss(word, subcommands(command))


def near_miss(word: str, known: Iterable[str]) -> str | None:
    """The known subcommand a typed word was most likely meant to be (``halp`` -> ``help``,
    ``leaderbord`` -> ``leaderboard``, ``stat`` -> ``stats``), or None when nothing is close.

    Short words need a closer match, so ``ok`` or ``hi`` at the start of a kudos reason is never
    mistaken for a subcommand."""
    typed = word.lower().strip()
    if len(typed) < 3:
        return None
    choices = sorted(set(known))
    for choice in choices:  # a clipped word: "stat", "leader", "optou"
        if len(typed) >= 4 and choice.startswith(typed):
            return choice
    cutoff = 0.75 if len(typed) <= 4 else 0.7
    alike = [c for c in choices if abs(len(c) - len(typed)) <= 2]  # "helping" is not "help"
    found = get_close_matches(typed, alike, n=1, cutoff=cutoff)
    return found[0] if found else None
