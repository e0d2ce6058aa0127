"""The shared error words read as whole sentences (a move once cut "e." out of them)."""

from bot.errors import SORRY, BadDateError, NoRecipientError, error_text


def test_the_apology_is_a_whole_sentence() -> None:
    assert SORRY.endswith("Please try again in a minute.")


def test_a_bad_date_names_the_format_with_an_example() -> None:
    words = error_text(BadDateError("soon"))
    assert "`soon` as a date. Use YYYY-MM-DD, e.g. `" in words


def test_an_unresolved_name_gets_an_example() -> None:
    words = error_text(NoRecipientError("/kudos", unresolved=("ana",)))
    assert "so they become real mentions, e.g. `" in words
