"""Customer ratings that arrive by themselves: each workspace's signed webhook
(``POST /hooks/customer-feedback/<hook id>``) takes ratings from a help desk or survey tool,
finds the agent by Slack id or email, and adds them to the customer feedback log; ratings for
nobody Bravo can find wait for an admin to match them."""
