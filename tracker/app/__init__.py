"""Use cases: each user action once, called by the CLI, `tracker serve` and cron alike.

Each use case takes the store (a ``Database``, or for the review and browse use cases its
SQLAlchemy ``Engine``), opens its own sessions and transactions, and calls the store and
the engine; none prints or imports click.
"""
