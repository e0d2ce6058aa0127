"""The Slack edge. Each capability module has ``register(app, deps)``."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from handlers import (
    calibration,
    coaching,
    feedback,
    goals,
    home,
    kudos,
    learning,
    oneonones,
    practice,
    practice_scenarios,
    privacy,
    ratings,
    reviews,
    shoutouts,
    status,
    suggestions,
    workspace,
)


def register_all(app: App, deps: Deps) -> None:
    kudos.register(app, deps)
    goals.register(app, deps)
    coaching.register(app, deps)
    oneonones.register(app, deps)
    feedback.register(app, deps)
    suggestions.register(app, deps)
    shoutouts.register(app, deps)
    workspace.register(app, deps)
    privacy.register(app, deps)
    reviews.register(app, deps)
    calibration.register(app, deps)
    ratings.register(app, deps)
    home.register(app, deps)
    status.register(app, deps)
    practice.register(app, deps)
    practice_scenarios.register(app, deps)
    learning.register(app, deps)
