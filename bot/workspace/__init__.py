"""A workspace's settings, changed in Slack by its admins (``/bravo settings``), and their log."""
