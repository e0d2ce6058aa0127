from tests.handlers.conftest import slack  # noqa: F401  (the fake Slack fixture)
