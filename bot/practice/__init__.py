"""Practice by role-play: a customer scenario for a skill, the reply the person would give, a
self-assessment on the skill's checklist, and, if they ask, a peer's or coach's rating.

Private: a round's reply and self-assessment are seen by the person who practised and by the
people they asked to rate it (each rater sees their own rating only); coaches see that practice
happened (counts per skill) in the digest and the one-on-one prep, not what was typed."""
