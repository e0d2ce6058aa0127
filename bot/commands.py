"""The registry of commands: help text is built from here, and a test checks every command
Bravo registers has an entry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from difflib import get_close_matches


@dataclass(frozen=True)
class CommandHelp:
    command: str
    usage: str
    description: str


REGISTRY: tuple[CommandHelp, ...] = (
    CommandHelp(
        "/kudos",
        "/kudos @ana @ben for calming an angry caller #empathy",
        "Recognise one or more people (or an @group) with a reason and optional #values.",
    ),
    CommandHelp("/kudos", "/kudos", "Open the kudos form: people, value, reason and channel."),
    CommandHelp("/kudos", "/kudos stats [@someone]", "Kudos received and given, streak, values."),
    CommandHelp(
        "/kudos", "/kudos leaderboard [week|month|all] [#value]", "Who has been recognised most."
    ),
    CommandHelp("/kudos", "/kudos optout | optin", "Leave or rejoin the leaderboards."),
    CommandHelp("/kudos", "/kudos help", "This help."),
    CommandHelp("/goal", "/goal", "Set a SMART goal with check-ins at your local time."),
    CommandHelp("/goal", "/goal list", "Your goals: check in, edit, pause, complete, archive."),
    CommandHelp("/goal", "/goal list @someone", "Goals someone you coach shared with you."),
    CommandHelp("/goal", "/goal away until 2026-12-24 | back", "No check-ins while you're away."),
    CommandHelp("/goal", "/goal help", "Help with goals."),
    CommandHelp("/coach", "/coach @ana", "Offer to coach Ana; she accepts or declines."),
    CommandHelp("/coach", "/coach list", "Who you coach and who coaches you; end a pairing."),
    CommandHelp("/coach", "/coach help", "Help with coaching."),
    CommandHelp("/feedback", "/feedback @ben", "Give Ben private, specific feedback (a form)."),
    CommandHelp(
        "/feedback",
        "/feedback request @ana @ben [about the Q3 onboarding calls]",
        "Ask up to 10 people for feedback; one reminder, closes after a week.",
    ),
    CommandHelp("/feedback", "/feedback inbox", "What you received, by skill; mark it acted on."),
    CommandHelp("/feedback", "/feedback inbox @someone", "Feedback a coachee shared with you."),
    CommandHelp("/feedback", "/feedback help", "Help with feedback."),
    CommandHelp("/suggest", "/suggest more quiet hours on Fridays", "An anonymous suggestion."),
    CommandHelp("/suggest", "/suggest", "The anonymous suggestion form."),
    CommandHelp("/suggest", "/suggest setup", "Admins: make this channel the suggestion box."),
    CommandHelp("/suggest", "/suggest help", "Help with the suggestion box."),
    CommandHelp(
        "/bravo",
        "/bravo shoutouts on [weekday] [HH:MM] [time zone]",
        "Weekly shout-out in this channel for its members (default Friday 16:00, your time "
        "zone); `off` stops it.",
    ),
    CommandHelp("/bravo", "/bravo shoutouts preview", "See this week's post so far (only you)."),
    CommandHelp("/bravo", "/bravo shoutouts list", "Every kudos among the team this week."),
    CommandHelp(
        "/bravo",
        "/bravo celebrate birthday 03-14 | started 2021-06-01",
        "Your birthday (no year) or start date, celebrated in your team channels at 09:00.",
    ),
    CommandHelp(
        "/bravo",
        "/bravo celebrate optout | optin | forget birthday",
        "Skip celebrations of your dates, or remove one.",
    ),
    CommandHelp(
        "/bravo", "/bravo celebrate milestones channel | dm", "Where your milestones are shared."
    ),
    CommandHelp("/bravo", "/bravo celebrate import", "Admins: import dates from CSV."),
    CommandHelp("/bravo", "/bravo lead @ana", "Admins: name a team lead for this channel."),
    CommandHelp(
        "/bravo",
        "/bravo fairness on | off",
        "Leads: a private weekly DM of members nobody recognised for four weeks.",
    ),
    CommandHelp("/bravo", "/bravo help", "Help with shout-outs and celebrations."),
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
