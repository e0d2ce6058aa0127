"""A local Slack sandbox: a recording fake of the Web API (`server`), signed requests to the bot
(`signing`), Block Kit limit checks (`blockkit`) and readable transcripts (`transcript`)."""
