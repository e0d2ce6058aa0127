"""A skill profile: for one person, each skill's signals over the last 90 days (kudos received
for it, feedback, customer feedback, review scores, practice) and their direction of change.

Shown to the person (their Home tab, with a small chart) and to their coaches in the one-on-one
prep and the digest only when the person allows it. Never a ranking of people against each
other."""
