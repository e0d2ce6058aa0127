"""The webhook's body and signature, as pure functions."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.ratings.parse import Problem, parse_body, sign, signed


def test_a_good_body() -> None:
    body = {
        "agent_email": " Ana@Example.COM ",
        "rating": "Good",
        "comment": "  thanks  ",
        "source": "zendesk",
        "ticket_url": "https://help.example.com/t/1",
    }
    got = parse_body(json.dumps(body).encode())
    assert (got.agent_email, got.agent_slack_id, got.rating, got.comment) == (
        "ana@example.com",
        None,
        5,
        "thanks",
    )


def test_dedupe_is_by_ticket_and_source_or_else_by_request() -> None:
    a = parse_body(
        b'{"agent_slack_id": "UANA", "rating": 5, "source": "Zendesk", "ticket_url": "https://x.io/1"}'
    )
    b = parse_body(
        b'{"agent_slack_id": "UBEN", "rating": 1, "source": "zendesk", "ticket_url": "https://x.io/1"}'
    )
    c = parse_body(b'{"agent_slack_id": "UANA", "rating": 5, "source": "zendesk"}')
    assert a.dedupe_key("v0=1") == b.dedupe_key("v0=2")
    assert c.dedupe_key("v0=1") != c.dedupe_key("v0=2")


@pytest.mark.parametrize("value", [0, 6, 2.5, "3", None, True, [5], "NaN"])
def test_ratings_out_of_range(value: object) -> None:
    body = {"agent_slack_id": "UANA", "rating": value, "source": "s"}
    with pytest.raises(Problem) as err:
        parse_body(json.dumps(body).encode())
    assert err.value.status == 422


def test_nan_and_infinity_are_not_ratings() -> None:
    for raw in (
        b'{"agent_slack_id": "UANA", "source": "s", "rating": NaN}',
        b'{"agent_slack_id": "UANA", "source": "s", "rating": Infinity}',
    ):
        with pytest.raises(Problem):
            parse_body(raw)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_any_bytes_are_a_rating_or_a_problem(raw: bytes) -> None:
    try:
        parse_body(raw)
    except Problem as problem:
        assert problem.status in (400, 422)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(
            ["agent_slack_id", "agent_email", "rating", "comment", "source", "ticket_url"]
        ),
        st.one_of(st.text(max_size=40), st.integers(), st.none(), st.floats()),
    )
)
def test_any_json_object_is_a_rating_or_a_problem(data: dict) -> None:
    try:
        got = parse_body(json.dumps(data).encode())
    except Problem as problem:
        assert problem.status == 422
    else:
        assert 1 <= got.rating <= 5 and got.source and (got.agent_slack_id or got.agent_email)


def test_the_signature_is_slacks_recipe() -> None:
    assert (
        sign("s", "1", b"{}")
        == "v0=" + __import__("hmac").new(b"s", b"v0:1:{}", "sha256").hexdigest()
    )
    assert signed("s", "1", b"{}", sign("s", "1", b"{}"))
    assert not signed("s", "1", b"{} ", sign("s", "1", b"{}"))
    assert not signed("s", "1", b"{}", "v0=\udcff")
