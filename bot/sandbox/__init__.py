"""A local Slack sandbox: a recording fake of the Web API (`server.FakeSlack`), signed requests to
the bot (`signing`), Block Kit limit checks (`blockkit`) and readable transcripts (`transcript`).

The fake is put together from pieces that each do one thing, lowest first:

- `calls`: the recorded `Call`, the `CallLog`, `CallContext` and `SlackError`
- `args`: the arguments of a Web API request (form, multipart, JSON)
- `state`: the `Workspace` (people, channels, user groups, DMs, messages, views, files)
- `faults`: what to get wrong (fail_next, rate limits, scopes, latency)
- `api`: the Web API methods, one module per family, and the `METHODS` table
- `http`: the threaded HTTP server; `routes`: which request goes where
- `server`: `FakeSlack`, the one thing to use, its control API, and ``python -m``

Nothing here imports the rest of Bravo: the fake stands apart from the product.
"""
