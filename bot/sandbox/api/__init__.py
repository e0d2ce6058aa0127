"""The Slack Web API methods the fake answers, one module per family.

Each handler is a function ``(workspace, args, ctx) -> dict`` that reads and changes the
`Workspace`, raises `SlackError` for an ``ok: false`` answer and returns the rest of an ``ok: true``
one. `bot.sandbox.api.methods.METHODS` maps method names to handlers.
"""
