"""Slack ids for calibration: renderers, listeners and parsers share them."""

from enum import StrEnum

SUB = "calibrate"  # ``/review calibrate ...``

MIN_REVIEWERS = 2
MAX_REVIEWERS = 10
DEFAULT_DAYS = 3  # the deadline when none is given
MAX_DAYS = 30
MAX_TEXT = 2000  # the longest command text read at all
MAX_LINK = 1000
HISTORY_ROUNDS = 20  # the newest rounds ``/review calibrate history`` shows

# buttons: the value carries the round id
SCORE = "calibration_score"  # on an invitation: opens the scorecard
AGREE = "calibration_agree"  # on the lead's reveal: opens the agreed-score form

# modals: private_metadata carries the round id
SCORE_MODAL = "calibration_score_modal"
AGREE_MODAL = "calibration_agree_modal"


class CalibrationKind(StrEnum):
    """Outbox kinds, and the delivery record of a reveal."""

    INVITE = "calibration_invite"
    INVITE_EDIT = "calibration_invite_edit"
    REVEAL = "calibration_reveal"
    AGREED = "calibration_agreed"


JOB = "calibration_reveals"
