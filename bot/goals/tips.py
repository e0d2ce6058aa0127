"""The micro-coaching tips that ride along with goal check-ins, and which one a person gets next.

Tip ids are stored in the database to remember what a person has already seen, so an id never
changes or gets reused once shipped. To retire a tip, delete its line; to add one, give it the next
free number for its skill. Ids of retired tips may still sit in the database and are ignored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass

GENERAL = "general"


@dataclass(frozen=True)
class Tip:
    id: str  # stable, unique across the library, e.g. "active-listening-03"
    skill: str  # the library key it belongs to ("general" for the fallback set)
    text: str


_LIBRARY: dict[str, tuple[tuple[str, str], ...]] = {
    "empathy": (
        (
            "empathy-01",
            "Before answering a frustrated customer, name the feeling you hear in a short phrase, "
            "such as 'That sounds really frustrating', and only then move to the fix.",
        ),
        (
            "empathy-02",
            "When a teammate shares a problem today, ask one question about how it affects them "
            "before offering any advice.",
        ),
        (
            "empathy-03",
            "Reread your next reply as if you were the customer on a bad day, and cut any sentence "
            "that sounds like blame.",
        ),
        (
            "empathy-04",
            "Swap one 'you should have' in your messages this week for 'here is what we can do "
            "next'.",
        ),
        (
            "empathy-05",
            "Pick one recent ticket and write down what the customer was worried about underneath "
            "the literal request.",
        ),
        (
            "empathy-06",
            "When someone is upset, slow down: shorter sentences and a pause calm a conversation "
            "more than a faster answer does.",
        ),
        (
            "empathy-07",
            "Thank the customer for one specific detail they gave you, so they know the effort of "
            "explaining was worth it.",
        ),
        (
            "empathy-08",
            "Before your next one-to-one, think of one thing that has been hard for that colleague "
            "lately and ask about it first.",
        ),
        (
            "empathy-09",
            "If you cannot give a customer what they asked for, say why you understand it matters "
            "to them, then offer the closest option you have.",
        ),
        (
            "empathy-10",
            "Notice one moment today when you felt impatient with someone, and ask yourself what "
            "they might be dealing with that you cannot see.",
        ),
    ),
    "active-listening": (
        (
            "active-listening-01",
            "On your next call, put the customer's problem in your own words and ask 'Did I get "
            "that right?' before suggesting anything.",
        ),
        (
            "active-listening-02",
            "Note the exact words a customer uses for their problem, and use those words in your "
            "reply instead of internal jargon.",
        ),
        (
            "active-listening-03",
            "In your next meeting, let the speaker finish their sentence before you start typing "
            "or planning your answer.",
        ),
        (
            "active-listening-04",
            "Ask one open question, starting with 'what' or 'how', before any yes-or-no question "
            "in your next conversation.",
        ),
        (
            "active-listening-05",
            "When a call goes quiet, count to three before you fill the silence; people often add "
            "the most important detail right then.",
        ),
        (
            "active-listening-06",
            "Close other tabs and mute notifications for your next customer call, so your "
            "attention stays on what they are saying.",
        ),
        (
            "active-listening-07",
            "At the end of a conversation, name the one thing that mattered most to the other "
            "person and check that you have it right.",
        ),
        (
            "active-listening-08",
            "Before replying to a long message, write its main question in one line; if you "
            "cannot, ask the sender what they need most.",
        ),
        (
            "active-listening-09",
            "Listen for what a customer has already tried and say it back, so they do not have to "
            "repeat themselves.",
        ),
        (
            "active-listening-10",
            "In your next team discussion, build on what the last person said before adding your "
            "own idea.",
        ),
    ),
    "problem-solving": (
        (
            "problem-solving-01",
            "Before you start fixing, write the problem as one sentence: who is affected and what "
            "they expected to happen.",
        ),
        (
            "problem-solving-02",
            "Ask 'When did this last work?' early on; whatever changed since then is often the "
            "quickest path to the cause.",
        ),
        (
            "problem-solving-03",
            "Reproduce the issue yourself before escalating, and put the exact steps in your "
            "handoff.",
        ),
        (
            "problem-solving-04",
            "When you are stuck for more than 20 minutes, write down what you have ruled out and "
            "ask a teammate for a fresh look.",
        ),
        (
            "problem-solving-05",
            "Offer the customer a workaround that helps today while the real fix is under way, and "
            "tell them which is which.",
        ),
        (
            "problem-solving-06",
            "After you solve a tricky case, add two lines to the team notes so the next person "
            "solves it in minutes.",
        ),
        (
            "problem-solving-07",
            "Change one thing at a time when you test a fix, so you know which change made the "
            "difference.",
        ),
        (
            "problem-solving-08",
            "Once the immediate fix is in, ask what would make this problem go away for good, and "
            "share the answer with whoever owns it.",
        ),
        (
            "problem-solving-09",
            "List two possible causes before acting on the first one that comes to mind; it guards "
            "against jumping to conclusions.",
        ),
        (
            "problem-solving-10",
            "When a problem keeps coming back, count how often it happened this month and bring "
            "the number to your next team meeting.",
        ),
    ),
    "communication": (
        (
            "communication-01",
            "Put the answer or decision in the first sentence of your next message, and the "
            "background after it.",
        ),
        (
            "communication-02",
            "Before you send a long reply, cut it by a third and keep only the steps the reader "
            "actually needs.",
        ),
        (
            "communication-03",
            "End every customer message today with one clear next step and who will take it.",
        ),
        (
            "communication-04",
            "Replace one piece of internal jargon in your next reply with the words the customer "
            "would use.",
        ),
        (
            "communication-05",
            "When you give a timeline, name a day or time instead of 'soon', and follow up before "
            "it slips.",
        ),
        (
            "communication-06",
            "Use a numbered list whenever you ask someone to do more than two things.",
        ),
        (
            "communication-07",
            "After your next meeting, post a three-line summary: what was decided, who does what, "
            "and by when.",
        ),
        (
            "communication-08",
            "If the news is bad, say it plainly in the first two lines, then explain what you are "
            "doing about it.",
        ),
        (
            "communication-09",
            "Read your next important message out loud before sending it, and rewrite anything you "
            "stumble over.",
        ),
        (
            "communication-10",
            "When you hand a case to a colleague, write it so they can act on it without asking "
            "you a single question.",
        ),
    ),
    "personalization": (
        (
            "personalization-01",
            "Use the customer's name and one detail from their account or earlier messages in your "
            "next reply.",
        ),
        (
            "personalization-02",
            "Check the history before answering a returning customer, and mention what happened "
            "last time so they do not start over.",
        ),
        (
            "personalization-03",
            "Match the customer's style: if they write two short lines, keep your reply short too.",
        ),
        (
            "personalization-04",
            "Suggest one feature or shortcut that fits how this particular customer uses the "
            "product, not the general FAQ answer.",
        ),
        (
            "personalization-05",
            "Replace one stock phrase in your saved replies with a sentence you would actually say "
            "out loud.",
        ),
        (
            "personalization-06",
            "Ask a teammate whether they prefer feedback in writing or in a quick chat, and use "
            "that next time.",
        ),
        (
            "personalization-07",
            "When a customer mentions something like a move or a product launch, note it and "
            "refer back to it when it fits.",
        ),
        (
            "personalization-08",
            "Spend one minute on the account notes before your next call, so you can open with "
            "something that matters to them.",
        ),
        (
            "personalization-09",
            "Offer a choice of channel or time for the follow-up instead of deciding for the "
            "customer.",
        ),
        (
            "personalization-10",
            "Send a short, personal thank-you to a customer whose patience or help made a "
            "difference this week.",
        ),
    ),
    "professionalism": (
        (
            "professionalism-01",
            "When you promise a follow-up, put it in your calendar straight away and keep it, even "
            "if only to say there is no news yet.",
        ),
        (
            "professionalism-02",
            "When you make a mistake with a customer, own it in one sentence, fix it, and skip the "
            "long excuses.",
        ),
        (
            "professionalism-03",
            "Start your next three meetings on time, and end them on time too.",
        ),
        (
            "professionalism-04",
            "Before you share a screen or a log with a customer, check it for anyone else's data.",
        ),
        (
            "professionalism-05",
            "Keep your case notes good enough that a colleague could pick the case up tomorrow "
            "without calling you.",
        ),
        (
            "professionalism-06",
            "When a customer is rude, stay calm and stick to the facts; if it crosses a line, hand "
            "over or escalate the way your team agreed.",
        ),
        (
            "professionalism-07",
            "Disagree with a colleague in the meeting or in private, never in front of a customer.",
        ),
        (
            "professionalism-08",
            "Instead of guessing, say 'I am not sure yet, I will confirm by 3 pm', and then do it.",
        ),
        (
            "professionalism-09",
            "Finish one open item you have been putting off, and close the loop with the person "
            "waiting on it.",
        ),
        (
            "professionalism-10",
            "Credit the colleague who helped you solve a case, by name, where the team can see it.",
        ),
    ),
    GENERAL: (
        (
            "general-01",
            "Pick one small thing to do differently in your next conversation, and check "
            "afterwards whether you did it.",
        ),
        (
            "general-02",
            "Ask one colleague for a single piece of feedback on something you did recently.",
        ),
        (
            "general-03",
            "At the end of today, write down one moment that went well and why it did.",
        ),
        (
            "general-04",
            "Sit in on a colleague you admire for 15 minutes and note one habit you could borrow.",
        ),
        (
            "general-05",
            "Before your next hard conversation, decide the one outcome you want from it.",
        ),
        (
            "general-06",
            "Share one thing you learned this week with your team, in two or three sentences.",
        ),
        (
            "general-07",
            "Take a short break between difficult calls, so you start the next one fresh.",
        ),
        (
            "general-08",
            "Reread one of your recent replies and find one sentence you could make clearer or "
            "kinder.",
        ),
        (
            "general-09",
            "Give kudos to a teammate for one specific thing they did well this week.",
        ),
        (
            "general-10",
            "Set one tiny goal for tomorrow that takes under ten minutes, and do it first.",
        ),
    ),
}

TIPS: Mapping[str, tuple[Tip, ...]] = {
    skill: tuple(Tip(id=tip_id, skill=skill, text=text) for tip_id, text in entries)
    for skill, entries in _LIBRARY.items()
}


def tips_for(skill: str) -> tuple[Tip, ...]:
    """The skill's tips in library order; the general set for a skill without its own."""
    return TIPS.get(skill.strip().lower().lstrip("#"), TIPS[GENERAL])


def _order(tips: tuple[Tip, ...], salt: int) -> list[Tip]:
    # A fixed shuffle per (salt, tip): sha256 rather than hash(), which changes between processes.
    return sorted(tips, key=lambda t: hashlib.sha256(f"{salt}:{t.id}".encode()).digest())


def choose_tip(
    skill: str, seen: Collection[str], *, last: str | None = None, salt: int = 0
) -> tuple[Tip, bool]:
    """The next tip for a person: one from tips_for(skill) whose id is not in `seen` (the ids this
    person was already shown in the current round for this skill). When every tip was seen, a new
    round starts: returns (tip, True) meaning the caller must forget the old round's ids, and the
    tip is never `last` (the one shown most recently), so there is no immediate repeat across
    rounds. Otherwise returns (tip, False). Deterministic for the same inputs; `salt` (e.g. a hash
    of the person's id) varies the order between people so that a team does not all get the same
    tip the same day. Ids in `seen` that are not in the library (retired tips) are ignored."""
    order = _order(tips_for(skill), salt)
    seen_ids = frozenset(seen)
    for tip in order:
        if tip.id not in seen_ids:
            return tip, False
    fresh = [tip for tip in order if tip.id != last] or order
    return fresh[0], True
