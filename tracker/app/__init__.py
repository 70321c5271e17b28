"""Use cases: what the CLI, cron and a web front end call (see ../shared/DESIGN.md layers)."""
