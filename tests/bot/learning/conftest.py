"""The fake Slack of the handler tests, for the learning use cases too."""

from __future__ import annotations

from tests.handlers.conftest import slack as slack
