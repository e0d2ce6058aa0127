"""Bravo's tables, one module per capability. Every row carries the Slack team (workspace) id it
belongs to. Importing this package registers every table on ``SQLModel.metadata`` (Alembic and
``create_all`` read it there)."""

from __future__ import annotations

from storage.models.celebrations import CelebrationPref, PersonDate
from storage.models.coaching import CoachPairing
from storage.models.feedback import CustomerFeedback, Feedback, FeedbackRequest
from storage.models.files import ExportFile
from storage.models.goals import CheckIn, CheckInPrompt, Goal, TipSeen
from storage.models.install import Installation, OAuthState, OrgWorkspace
from storage.models.kudos import (
    GivingStreak,
    Kudos,
    KudosRevocation,
    KudosTally,
    KudosTotal,
    Milestone,
    ProcessedEvent,
)
from storage.models.learning import Lesson, LessonHelp, Training
from storage.models.oneonones import ActionItem, Meeting, OneOnOne
from storage.models.outbox import OutboxRow, OutboxStatus, ScheduledSend
from storage.models.practice import (
    PracticePlan,
    PracticeRating,
    PracticeRound,
    PracticeScenario,
)
from storage.models.ratings import HookReceipt, RatingHook, UnmatchedRating
from storage.models.reviews import (
    Calibration,
    CalibrationReviewer,
    CalibrationScore,
    Review,
    ReviewScore,
)
from storage.models.shoutouts import ShoutoutChannel, ShoutoutMember, TeamLead
from storage.models.suggestions import (
    Suggestion,
    SuggestionBox,
    SuggestionDraft,
    SuggestionQuota,
)
from storage.models.users import SlackUser, UserPref
from storage.models.work import WorkItem
from storage.models.workspace import Erasure, HomeViewer, SettingChange, WorkspaceConfig

__all__ = [
    "ActionItem",
    "Calibration",
    "CalibrationReviewer",
    "CalibrationScore",
    "CelebrationPref",
    "CheckIn",
    "CheckInPrompt",
    "CoachPairing",
    "CustomerFeedback",
    "Erasure",
    "ExportFile",
    "Feedback",
    "FeedbackRequest",
    "GivingStreak",
    "Goal",
    "HomeViewer",
    "HookReceipt",
    "Installation",
    "Kudos",
    "KudosRevocation",
    "KudosTally",
    "KudosTotal",
    "Lesson",
    "LessonHelp",
    "Meeting",
    "Milestone",
    "OAuthState",
    "OneOnOne",
    "OrgWorkspace",
    "OutboxRow",
    "OutboxStatus",
    "PersonDate",
    "PracticePlan",
    "PracticeRating",
    "PracticeRound",
    "PracticeScenario",
    "ProcessedEvent",
    "RatingHook",
    "Review",
    "ReviewScore",
    "ScheduledSend",
    "SettingChange",
    "ShoutoutChannel",
    "ShoutoutMember",
    "SlackUser",
    "Suggestion",
    "SuggestionBox",
    "SuggestionDraft",
    "SuggestionQuota",
    "TeamLead",
    "TipSeen",
    "Training",
    "UnmatchedRating",
    "UserPref",
    "WorkItem",
    "WorkspaceConfig",
]
