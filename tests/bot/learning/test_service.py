"""Lesson use cases on both databases: sharing (and what is refused with nothing saved), posting
to a team channel, This helped me (a kudos through the kudos rules, never twice, never
yourself), edit and remove by the right person only, replays, and who sees what in
``/learned mine``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import func, select

from bot.deps import Deps
from bot.errors import error_text
from bot.learning import ids, service
from bot.learning.errors import (
    BadLinkError,
    EmptyLessonError,
    LessonNotFoundError,
    MistypedError,
    NotTeamChannelError,
    OwnLessonError,
    TooLongError,
    UnknownSkillError,
)
from bot.learning.parse import Share, Submitted
from bot.sandbox.server import FakeSlack
from bot.work import Replayed
from storage.db import Database
from storage.models import Kudos, OutboxRow
from storage.models.learning import Lesson, LessonHelp, LessonVisibility
from tests.bot.learning.lessons_kit import TEAM_CHANNEL, T, make_team_channel
from tests.handlers.conftest import deps_alone

ANA, BEN, CY, DEV = "UANA", "UBEN", "UCY", "UDEV"
OTHER_TEAM = "T0ELSE"
HOSTILE = "Ask <@U123> first <!channel> <!subteam^S1|@support>, then refund"


@pytest.fixture
def deps(slack: FakeSlack, db: Database) -> Iterator[Deps]:
    slack.add_user(DEV, "dev")
    slack.add_channel(TEAM_CHANNEL, "team-care", members=("UBRAVO", ANA, BEN))
    for built in deps_alone(slack, db):
        with built.db.write() as s:
            make_team_channel(s, (ANA, BEN))
        yield built


def count(deps: Deps, model: object) -> int:
    with deps.db.read() as s:
        return int(s.exec(select(func.count()).select_from(model)).one())  # type: ignore[arg-type]


def outbox(deps: Deps, kind: str) -> list[OutboxRow]:
    with deps.db.read() as s:
        return list(s.exec(select(OutboxRow).where(OutboxRow.kind == kind)).all())


def get(deps: Deps, lesson_id: int | None) -> Lesson | None:
    with deps.db.read() as s:
        return s.get(Lesson, lesson_id)


def shared(deps: Deps, text: str = "Offer the refund first #empathy", key: str = "k1") -> Lesson:
    done = service.share(deps, team_id=T, user_id=ANA, asked=Share(text), key=key)
    return done.lesson


def posted(deps: Deps, key: str = "k1") -> Lesson:
    row = shared(deps, key=key)
    service.post(
        deps, team_id=T, user_id=ANA, lesson_id=row.id or 0, channel_id=TEAM_CHANNEL, key=f"p{key}"
    )
    found = get(deps, row.id)
    assert found is not None
    return found


# Sharing ----------------------------------------------------------------------------------------


def test_a_typed_lesson_is_saved_private_with_its_skill_and_link(deps: Deps) -> None:
    done = service.share(
        deps,
        team_id=T,
        user_id=ANA,
        asked=Share("Offer the refund before they ask #empathy <https://help.example/refunds>"),
        key="k1",
    )
    row = get(deps, done.lesson.id)
    assert row is not None
    assert row.learned == "Offer the refund before they ask"
    assert (row.skill, row.link) == ("empathy", "https://help.example/refunds")
    assert row.author_id == row.added_by == ANA and row.visibility == LessonVisibility.PRIVATE
    assert row.origin == "command" and row.posted_channel is None
    assert done.channels.ids == (TEAM_CHANNEL,) and done.channels.names[TEAM_CHANNEL] == "team-care"


def test_a_person_with_no_team_channel_is_told_how_to_get_one(deps: Deps) -> None:
    done = service.share(deps, team_id=T, user_id=CY, asked=Share("Breathe first"), key="k")
    assert done.channels.ids == ()


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("#empathy", EmptyLessonError),
        ("<https://x.example>", EmptyLessonError),
        ("Listen first #empaty", UnknownSkillError),
        ("Listen first #empathy #ownership", UnknownSkillError),
        ("x" * 1001, TooLongError),
        ("x" * 40_000, TooLongError),
        ("serach refund", MistypedError),
        ("mine please", MistypedError),
    ],
)
def test_refused_lessons_save_nothing(deps: Deps, text: str, error: type) -> None:
    with pytest.raises(error) as caught:
        service.share(deps, team_id=T, user_id=ANA, asked=Share(text), key="k1")
    words = error_text(caught.value)
    assert "Nothing was saved" in words and len(words) < 600
    assert count(deps, Lesson) == 0


def test_words_of_refusals_help_the_person_on(deps: Deps) -> None:
    with pytest.raises(UnknownSkillError) as typo:
        shared(deps, "Listen first #empaty")
    assert "Did you mean `#empathy`?" in error_text(typo.value)
    with pytest.raises(MistypedError) as mistyped:
        shared(deps, "serach refund")
    assert "`/learned search refund`" in error_text(mistyped.value)
    assert "/learned share serach refund" in error_text(mistyped.value)
    with pytest.raises(TooLongError) as paste:
        shared(deps, "y" * 40_000)
    assert "40,000 characters" in error_text(paste.value)


def test_share_forces_a_lesson_and_a_long_text_starting_with_a_word_is_one(deps: Deps) -> None:
    forced = service.share(
        deps, team_id=T, user_id=ANA, asked=Share("serach refund", forced=True), key="a"
    )
    assert forced.lesson.learned == "serach refund"
    longer = shared(deps, "Mine was the slowest queue until we split refunds out", key="b")
    assert longer.learned.startswith("Mine was")


def test_the_form_checks_the_link_the_story_and_the_team_channel(deps: Deps) -> None:
    def submit(**kw: object) -> None:
        got = {
            "what_happened": "",
            "learned": "Slow down",
            "skill": None,
            "link": "",
            "post_to": None,
        }
        got.update(kw)
        service.create(deps, team_id=T, user_id=ANA, got=Submitted(**got), key="f")  # type: ignore[arg-type]

    with pytest.raises(BadLinkError):
        submit(link="javascript:alert(1)")
    with pytest.raises(BadLinkError):
        submit(link="ftp://files.example/x")
    with pytest.raises(TooLongError) as story:
        submit(what_happened="s" * (ids.MAX_STORY + 1))
    assert story.value.what == "story"
    with pytest.raises(NotTeamChannelError):
        submit(post_to="C0KUDOS")
    with pytest.raises(UnknownSkillError):
        submit(skill="forged")
    assert count(deps, Lesson) == 0 and outbox(deps, ids.LESSON_POST) == []
    submit(post_to=TEAM_CHANNEL, link="https://kb.example/slow")
    [row] = outbox(deps, ids.LESSON_POST)
    assert json.loads(row.payload)["channel"] == TEAM_CHANNEL


# Posting ----------------------------------------------------------------------------------------


def test_the_author_posts_to_a_team_channel_with_this_helped_me(deps: Deps) -> None:
    row = posted(deps)
    assert row.visibility == LessonVisibility.TEAM and row.posted_channel == TEAM_CHANNEL
    assert row.posted_at == deps.clock()
    [post] = outbox(deps, ids.LESSON_POST)
    payload = json.loads(post.payload)
    assert payload["channel"] == TEAM_CHANNEL and ids.HELPED in json.dumps(payload)
    assert post.ref == f"lesson:{row.id}:post"


def test_only_the_author_posts_and_only_to_their_team_channel(deps: Deps) -> None:
    row = shared(deps)
    for user in (BEN, DEV):
        with pytest.raises(LessonNotFoundError):
            service.post(
                deps,
                team_id=T,
                user_id=user,
                lesson_id=row.id or 0,
                channel_id=TEAM_CHANNEL,
                key=f"p{user}",
            )
    with pytest.raises(LessonNotFoundError):
        service.post(
            deps,
            team_id=OTHER_TEAM,
            user_id=ANA,
            lesson_id=row.id or 0,
            channel_id=TEAM_CHANNEL,
            key="pother",
        )
    with pytest.raises(NotTeamChannelError):
        service.post(
            deps, team_id=T, user_id=ANA, lesson_id=row.id or 0, channel_id="C0KUDOS", key="pk"
        )
    assert outbox(deps, ids.LESSON_POST) == []
    assert (get(deps, row.id) or Lesson()).visibility == LessonVisibility.PRIVATE


def test_a_post_replayed_or_clicked_twice_posts_once(deps: Deps) -> None:
    row = posted(deps)
    with pytest.raises(Replayed):
        service.post(
            deps, team_id=T, user_id=ANA, lesson_id=row.id or 0, channel_id=TEAM_CHANNEL, key="pk1"
        )
    service.post(
        deps, team_id=T, user_id=ANA, lesson_id=row.id or 0, channel_id=TEAM_CHANNEL, key="again"
    )
    assert len(outbox(deps, ids.LESSON_POST)) == 1


# This helped me ---------------------------------------------------------------------------------


def kudos_rows(deps: Deps) -> list[Kudos]:
    with deps.db.read() as s:
        return list(s.exec(select(Kudos)).all())


def test_this_helped_me_saves_it_and_thanks_the_author_with_a_kudos(deps: Deps) -> None:
    row = posted(deps)
    done = service.helped(deps, team_id=T, user_id=BEN, lesson_id=row.id or 0, key="h1")
    assert done.fresh and done.thanked and done.why_not is None
    after = get(deps, row.id)
    assert after is not None and after.helped_count == 1
    [k] = kudos_rows(deps)
    assert (k.giver_id, k.recipient_id, k.source) == (BEN, ANA, "lesson")
    assert k.source_ref == f"lesson:{row.id}" and k.values == "empathy"
    assert "sharing a lesson" in k.reason
    with deps.db.read() as s:
        help_row = s.get(LessonHelp, (row.id, BEN))
    assert help_row is not None and help_row.kudos_batch == k.batch_id
    # The post is redrawn with its count.
    redrawn = [r for r in outbox(deps, ids.LESSON_POST) if r.method == "chat.update"]
    assert redrawn and "Helped 1 person" in redrawn[-1].payload


def test_a_second_click_saves_nothing_and_gives_nothing_twice(deps: Deps) -> None:
    row = posted(deps)
    service.helped(deps, team_id=T, user_id=BEN, lesson_id=row.id or 0, key="h1")
    again = service.helped(deps, team_id=T, user_id=BEN, lesson_id=row.id or 0, key="h2")
    assert not again.fresh and not again.thanked
    with pytest.raises(Replayed):
        service.helped(deps, team_id=T, user_id=BEN, lesson_id=row.id or 0, key="h1")
    assert len(kudos_rows(deps)) == 1 and (get(deps, row.id) or Lesson()).helped_count == 1


def test_never_yourself_and_never_a_private_or_another_workspaces_lesson(deps: Deps) -> None:
    row = posted(deps)
    with pytest.raises(OwnLessonError):
        service.helped(deps, team_id=T, user_id=ANA, lesson_id=row.id or 0, key="h1")
    private = shared(deps, "Private one", key="k2")
    with pytest.raises(LessonNotFoundError):
        service.helped(deps, team_id=T, user_id=BEN, lesson_id=private.id or 0, key="h2")
    with pytest.raises(LessonNotFoundError):
        service.helped(deps, team_id=OTHER_TEAM, user_id=BEN, lesson_id=row.id or 0, key="h3")
    assert count(deps, LessonHelp) == 0 and kudos_rows(deps) == []


def test_when_the_kudos_rules_refuse_the_lesson_is_still_saved_and_the_clicker_told_why(
    deps: Deps,
) -> None:
    row = posted(deps)
    allowance = deps.config(T).kudos.daily_allowance
    with deps.db.write() as s:
        for n in range(allowance):
            s.add(
                Kudos(
                    team_id=T,
                    batch_id=f"b{n}",
                    giver_id=BEN,
                    recipient_id=CY,
                    reason="r",
                    source="command",
                    created_at=deps.clock() - timedelta(minutes=n + 1),
                )
            )
    done = service.helped(deps, team_id=T, user_id=BEN, lesson_id=row.id or 0, key="h1")
    assert done.fresh and not done.thanked and done.why_not
    assert "kudos" in done.why_not.lower()
    assert (get(deps, row.id) or Lesson()).helped_count == 1
    assert len(kudos_rows(deps)) == allowance  # none more


# Edit and remove --------------------------------------------------------------------------------


def test_only_the_author_edits_and_a_posted_lesson_is_redrawn(deps: Deps) -> None:
    row = posted(deps)
    got = Submitted("It was a Monday", "Offer the refund first, always", "empathy", "", None)
    for user in (BEN, DEV):
        with pytest.raises(LessonNotFoundError):
            service.edit(deps, team_id=T, user_id=user, lesson_id=row.id or 0, got=got, key=user)
        with pytest.raises(LessonNotFoundError):
            service.editable(deps, team_id=T, user_id=user, lesson_id=row.id or 0)
    service.edit(deps, team_id=T, user_id=ANA, lesson_id=row.id or 0, got=got, key="e")
    after = get(deps, row.id)
    assert after is not None and after.learned == "Offer the refund first, always"
    assert after.what_happened == "It was a Monday"
    updates = [r for r in outbox(deps, ids.LESSON_POST) if r.method == "chat.update"]
    assert updates and "always" in updates[-1].payload


def test_removing_a_lesson_others_saved_says_how_many_and_takes_it_all(deps: Deps) -> None:
    row = posted(deps)
    service.helped(deps, team_id=T, user_id=BEN, lesson_id=row.id or 0, key="h1")
    service.helped(deps, team_id=T, user_id=CY, lesson_id=row.id or 0, key="h2")
    for user in (DEV,):
        with pytest.raises(LessonNotFoundError):
            service.removal(deps, team_id=T, user_id=user, lesson_id=row.id or 0)
        with pytest.raises(LessonNotFoundError):
            service.remove(deps, team_id=T, user_id=user, lesson_id=row.id or 0, key="x")
    asked = service.removal(deps, team_id=T, user_id=ANA, lesson_id=row.id or 0)
    assert asked.whole and asked.others == 2
    service.remove(deps, team_id=T, user_id=ANA, lesson_id=row.id or 0, key="r")
    assert get(deps, row.id) is None and count(deps, LessonHelp) == 0
    # The post (never delivered here) is cancelled, not left to go out.
    statuses = {r.status for r in outbox(deps, ids.LESSON_POST) if r.method == "chat.postMessage"}
    assert statuses == {"cancelled"}


def test_someone_it_helped_removes_only_their_save(deps: Deps) -> None:
    row = posted(deps)
    service.helped(deps, team_id=T, user_id=BEN, lesson_id=row.id or 0, key="h1")
    what = service.remove(deps, team_id=T, user_id=BEN, lesson_id=row.id or 0, key="r")
    assert not what.whole
    after = get(deps, row.id)
    assert after is not None and after.helped_count == 0 and count(deps, LessonHelp) == 0


# Yours ------------------------------------------------------------------------------------------


def test_mine_lists_authored_and_helped_newest_first_and_no_one_elses(deps: Deps) -> None:
    first = posted(deps)
    deps.clock.at += timedelta(minutes=1)  # type: ignore[attr-defined]
    second = shared(deps, "Name the feeling", key="k2")
    service.helped(deps, team_id=T, user_id=BEN, lesson_id=first.id or 0, key="h1")
    ana = service.mine(deps, team_id=T, user_id=ANA)
    assert [r.id for r in ana.lessons] == [second.id, first.id]
    ben = service.mine(deps, team_id=T, user_id=BEN)
    assert [r.id for r in ben.lessons] == [first.id] and ben.saved_ids == {first.id}
    assert service.mine(deps, team_id=T, user_id=DEV).lessons == []
    assert service.mine(deps, team_id=OTHER_TEAM, user_id=ANA).lessons == []


def test_mine_is_bounded(deps: Deps) -> None:
    for n in range(ids.MINE_SHOWN + 5):
        shared(deps, f"Lesson number {n}", key=f"k{n}")
    assert len(service.mine(deps, team_id=T, user_id=ANA).lessons) == ids.MINE_SHOWN


def test_text_is_stored_as_typed_and_the_post_never_pings(deps: Deps) -> None:
    row = shared(deps, HOSTILE, key="h")
    service.post(
        deps, team_id=T, user_id=ANA, lesson_id=row.id or 0, channel_id=TEAM_CHANNEL, key="p"
    )
    service.helped(deps, team_id=T, user_id=BEN, lesson_id=row.id or 0, key="help")
    with deps.db.read() as s:
        sent = [r.payload for r in s.exec(select(OutboxRow)).all()]
    assert any("sharing a lesson" in p for p in sent)  # the kudos DM carries the lesson
    [k] = kudos_rows(deps)
    for live in ("<@U123>", "<!channel>", "<!subteam^S1"):
        assert live not in k.reason  # stored as mrkdwn safe to post, as the ledger expects
    for payload in sent:  # the post, its redraw, the kudos DM
        for live in ("<@U123>", "<!channel>", "<!subteam^S1"):
            assert live not in payload


def test_a_lesson_by_someone_who_left_still_saves_without_a_kudos(deps: Deps) -> None:
    now = deps.clock()
    with deps.db.write() as s:
        row = Lesson(
            team_id=T,
            author_id="UGONE",
            added_by="UGONE",
            learned="Old wisdom",
            origin="command",
            visibility=LessonVisibility.TEAM,
            posted_channel=TEAM_CHANNEL,
            posted_at=now,
            created_at=now,
            updated_at=now,
        )
        s.add(row)
        s.flush()
        lesson_id = row.id or 0
    done = service.helped(deps, team_id=T, user_id=BEN, lesson_id=lesson_id, key="h")
    assert done.fresh and not done.thanked and done.why_not
    assert kudos_rows(deps) == [] and (get(deps, lesson_id) or Lesson()).helped_count == 1
