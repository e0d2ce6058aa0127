"""The coaching tip library, and how the next tip is chosen for a person."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.goals.tips import GENERAL, TIPS, Tip, choose_tip, tips_for
from bot.settings import DEFAULT_VALUES

ALL_TIPS = [tip for tips in TIPS.values() for tip in tips]
SKILLS = (*DEFAULT_VALUES, GENERAL)


@pytest.mark.parametrize("skill", SKILLS)
def test_every_default_skill_and_general_have_their_own_tips(skill: str) -> None:
    tips = tips_for(skill)
    assert len(tips) >= 8
    assert all(tip.skill == skill for tip in tips)


def test_ids_are_unique_and_name_their_skill() -> None:
    ids = [tip.id for tip in ALL_TIPS]
    assert len(ids) == len(set(ids))
    for tip in ALL_TIPS:
        assert re.fullmatch(rf"{re.escape(tip.skill)}-\d{{2}}", tip.id), tip.id


def test_texts_are_short_plain_and_distinct() -> None:
    for tip in ALL_TIPS:
        assert 20 <= len(tip.text) <= 200, tip.id
        assert not set(tip.text) & set("<>&*_~`"), tip.id
        assert tip.text == tip.text.strip() and "\n" not in tip.text, tip.id
        assert tip.text[-1] in ".!?", tip.id
    assert len({tip.text for tip in ALL_TIPS}) == len(ALL_TIPS)


def test_unknown_skill_falls_back_to_general() -> None:
    assert tips_for("curiosity") == TIPS[GENERAL]
    tip, _ = choose_tip("curiosity", ())
    assert tip.skill == GENERAL


def test_skill_names_are_matched_the_way_settings_write_them() -> None:
    assert tips_for("#Empathy") == TIPS["empathy"]


def walk(skill: str, salt: int, picks: int) -> list[tuple[Tip, bool]]:
    """Play the caller: remember the round's ids, forget them when a new round starts."""
    seen: set[str] = set()
    last: str | None = None
    shown = []
    for _ in range(picks):
        tip, new_round = choose_tip(skill, seen, last=last, salt=salt)
        if new_round:
            seen.clear()
        seen.add(tip.id)
        last = tip.id
        shown.append((tip, new_round))
    return shown


@pytest.mark.parametrize("skill", [*SKILLS, "curiosity"])
@pytest.mark.parametrize("salt", [0, 1, -7, 2**61])
def test_three_rounds_show_each_tip_once_per_round_without_back_to_back_repeats(
    skill: str, salt: int
) -> None:
    library = tips_for(skill)
    n = len(library)
    shown = walk(skill, salt, 3 * n)
    for r in range(3):
        round_ = shown[r * n : (r + 1) * n]
        assert sorted(t.id for t, _ in round_) == sorted(t.id for t in library)
        # The first pick of the walk has nothing seen, so only later rounds are flagged as new.
        assert [new for _, new in round_] == [r > 0] + [False] * (n - 1)
    ids = [t.id for t, _ in shown]
    assert all(a != b for a, b in itertools.pairwise(ids))


def test_a_new_round_never_starts_with_the_last_tip() -> None:
    library = tips_for("empathy")
    all_ids = [t.id for t in library]
    for salt in range(20):
        first_of_round, _ = choose_tip("empathy", (), salt=salt)
        tip, new_round = choose_tip("empathy", all_ids, last=first_of_round.id, salt=salt)
        assert new_round
        assert tip.id != first_of_round.id


def test_retired_ids_in_seen_are_ignored() -> None:
    library = tips_for("communication")
    retired = ["communication-99", "empathy-00", "gone"]
    all_but_one = [t.id for t in library[1:]]
    tip, new_round = choose_tip("communication", [*all_but_one, *retired])
    assert (tip, new_round) == (library[0], False)
    tip, new_round = choose_tip("communication", [*all_but_one, library[0].id, *retired])
    assert new_round
    assert choose_tip("communication", retired) == choose_tip("communication", ())


def test_same_inputs_give_the_same_tip() -> None:
    seen = frozenset({"empathy-02", "empathy-05"})
    assert choose_tip("empathy", seen, salt=42) == choose_tip("empathy", seen, salt=42)


@pytest.mark.parametrize("skill", SKILLS)
def test_salts_give_people_different_orders(skill: str) -> None:
    n = len(tips_for(skill))
    orders = {tuple(t.id for t, _ in walk(skill, salt, n)) for salt in range(10)}
    assert len(orders) > 1
    firsts = {choose_tip(skill, (), salt=salt)[0].id for salt in range(30)}
    assert len(firsts) > 2


@given(
    skill=st.sampled_from([*SKILLS, "curiosity"]),
    data=st.data(),
    salt=st.integers(),
    extra=st.lists(st.text(max_size=20), max_size=5),
)
def test_the_tip_is_never_one_seen_this_round_unless_a_new_round_starts(
    skill: str, data: st.DataObject, salt: int, extra: list[str]
) -> None:
    library = tips_for(skill)
    ids = [t.id for t in library]
    # A full round is rare among random subsets, so it is drawn on purpose half the time.
    seen = data.draw(st.sets(st.sampled_from(ids)) | st.just(set(ids)))
    # The tip a fresh round would open with is the one that must be skipped when it was last.
    opener = choose_tip(skill, (), salt=salt)[0].id
    last = data.draw(st.none() | st.sampled_from(ids) | st.just(opener))
    tip, new_round = choose_tip(skill, [*seen, *extra], last=last, salt=salt)
    assert tip in library
    assert new_round == (seen == set(ids))
    if new_round:
        assert tip.id != last
    else:
        assert tip.id not in seen
