"""Installing Bravo by OAuth in many workspaces: tokens encrypted at rest (``crypto``), the
installation and OAuth state stores in Bravo's database (``store``), the store-backed ``Tokens``
with Slack's token rotation and Bolt's OAuth settings (``oauth``). Part of the shared kernel:
it knows no capability."""
