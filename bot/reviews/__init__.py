"""Quality reviews: a coach, lead or admin scores one of a teammate's conversations with a
customer against the workspace's skills; the teammate acknowledges or asks to discuss it.

Private to the agent, the reviewer, the agent's active coaches and the leads of the agent's team
channels; never in a channel, never on a leaderboard."""
