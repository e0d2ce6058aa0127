"""Every scheduled job Bravo runs, by name (``bravo jobs list``, ``bravo jobs run NAME``)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from bot.calibration import ids as calibration_ids
from bot.calibration import jobs as calibration_jobs
from bot.celebrations import ids as celebration_ids
from bot.celebrations import jobs as celebration_jobs
from bot.coaching import jobs as coaching_jobs
from bot.deps import Deps
from bot.events import forget_events
from bot.feedback import ids as feedback_ids
from bot.feedback import jobs as feedback_jobs
from bot.goals import jobs as goal_jobs
from bot.home import ids as home_ids
from bot.home import jobs as home_jobs
from bot.oneonones import ids as oneonone_ids
from bot.oneonones import jobs as oneonone_jobs
from bot.practice import ids as practice_ids
from bot.practice import jobs as practice_jobs
from bot.privacy import ids as privacy_ids
from bot.privacy import jobs as privacy_jobs
from bot.profile import service as profile
from bot.ratings import ids as ratings_ids
from bot.ratings import jobs as ratings_jobs
from bot.scheduling.scheduler import Job
from bot.shoutouts import ids as shoutout_ids
from bot.shoutouts import jobs as shoutout_jobs
from bot.suggestions import ids as suggestion_ids
from bot.suggestions import jobs as suggestion_jobs


def _coach_digests(deps: Deps, at: datetime) -> Counter[str]:
    """The coaches' digests, with each coachee's skills when they share their profile (the
    profile sits above coaching, so it is handed in here)."""
    return coaching_jobs.run_coach_digests(deps, at, extra=profile.digest_lines_for(deps))


def _hourly(deps: Deps, at: datetime) -> datetime | None:
    return None  # no due time of its own: runs every poll interval


JOBS: tuple[Job, ...] = (
    Job(
        "checkins",
        "check-in prompts at each goal's local time (with a coaching tip)",
        goal_jobs.run_checkins,
        goal_jobs.next_checkin,
        timedelta(seconds=60),
        everywhere=True,  # goals locked SKIP LOCKED, a delivery record per prompt
    ),
    Job(
        "reminders",
        "one gentle reminder for a prompt unanswered after the reminder delay",
        goal_jobs.run_reminders,
        goal_jobs.next_reminder,
        timedelta(minutes=5),
    ),
    Job(
        "coach_digests",
        "coaches' weekly digest, Friday 15:00 in each coach's time zone",
        _coach_digests,
        coaching_jobs.next_digest,
        timedelta(minutes=10),
    ),
    Job(
        "refresh_people",
        "re-read stale Slack profiles of goal owners and coaches (time zones, departures)",
        coaching_jobs.refresh_people,
        _hourly,
        timedelta(hours=1),
    ),
    Job(
        practice_ids.JOB,
        "a practice scenario every weekday at each planned person's local time",
        practice_jobs.run_practice_plans,
        practice_jobs.next_practice,
        timedelta(seconds=60),
        everywhere=True,  # plans locked SKIP LOCKED, a round keyed by person and day
    ),
    Job(
        "forget_events",
        "forget handled Events API ids once Slack can no longer retry them",
        forget_events,
        _hourly,
        timedelta(hours=1),
    ),
    Job(
        feedback_ids.JOB,
        "one reminder for a feedback request after two working days; close it after a week",
        feedback_jobs.run_feedback_requests,
        feedback_jobs.next_feedback_request,
        timedelta(minutes=10),
    ),
    Job(
        suggestion_ids.JOB,
        "delete the per-person suggestion counts of days that are over",
        suggestion_jobs.forget_suggestion_counts,
        _hourly,
        timedelta(hours=1),
    ),
    Job(
        shoutout_ids.JOB,
        "each team channel's weekly shout-out at its local time (and leads' fairness notes)",
        shoutout_jobs.run_shoutouts,
        shoutout_jobs.next_shoutout,
        timedelta(minutes=5),
    ),
    Job(
        celebration_ids.JOB,
        "birthdays and work anniversaries at 09:00 channel time; milestones in team channels",
        celebration_jobs.run_celebrations,
        celebration_jobs.next_celebration,
        timedelta(minutes=5),
    ),
    Job(
        oneonone_ids.JOB,
        "each one-on-one's prep note to the coach a few hours before (once), and the coachee's "
        "note to add topics",
        oneonone_jobs.run_preps,
        oneonone_jobs.next_prep,
        timedelta(minutes=5),
    ),
    Job(
        calibration_ids.JOB,
        "reveal each calibration round whose deadline passed (the spread, by DM, once)",
        calibration_jobs.run_reveals,
        calibration_jobs.next_reveal,
        timedelta(minutes=5),
    ),
    Job(
        home_ids.JOB,
        "publish again the Home tabs something changed in (at most every few seconds a person)",
        home_jobs.refresh_homes,
        home_jobs.next_refresh,
        timedelta(seconds=5),
    ),
    Job(
        privacy_ids.ERASE_DEPARTED_JOB,
        "erase people deactivated in Slack, where the workspace chose after how many days",
        privacy_jobs.erase_departed,
        _hourly,
        timedelta(days=1),
    ),
    Job(
        privacy_ids.PURGE_UNINSTALLED_JOB,
        "delete the data of workspaces uninstalled longer ago than BRAVO_RETENTION_DAYS",
        privacy_jobs.purge_uninstalled,
        _hourly,
        timedelta(days=1),
    ),
    Job(
        ratings_ids.SETTLE_JOB,
        "customer ratings by webhook still waiting for their agent to be looked up",
        ratings_jobs.settle_ratings,
        _hourly,
        timedelta(minutes=1),
    ),
    Job(
        ratings_ids.DIGEST_JOB,
        "each agent's daily digest of customer ratings beyond their own DMs of the day",
        ratings_jobs.rating_digests,
        _hourly,
        timedelta(minutes=10),
    ),
    Job(
        ratings_ids.RECEIPTS_JOB,
        "forget webhook signatures once a replay of them would be refused as stale anyway",
        ratings_jobs.forget_receipts,
        _hourly,
        timedelta(minutes=10),
    ),
)
BY_NAME = {job.name: job for job in JOBS}
