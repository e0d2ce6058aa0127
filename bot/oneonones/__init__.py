"""One-on-ones: a coach's recurring meeting with a coachee, prepared from what actually
happened (goals and check-ins, kudos by skill, feedback shared, customer feedback, reviews,
practice, the skill profile when the coachee allows it, open action items, the coachee's own
topics), noted after, with action items that carry into the next.

Private to the two of them: no admin, lead or other coach sees a prep note, the topics, the
notes or the action items."""
