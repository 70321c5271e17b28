"""Use cases: each user action once, called by the CLI, `tracker serve` and cron alike."""
