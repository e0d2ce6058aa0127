"""Weekly team shout-outs, celebrations (milestones, birthdays, work anniversaries), fairness."""
