"""Use cases: what the CLI, `tracker serve` and cron do, each one call over the library."""
