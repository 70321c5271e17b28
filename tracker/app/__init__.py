"""Use cases shared by the command line and the web app (``tracker serve``).

Each use case takes an SQLAlchemy ``Engine``, opens its own sessions and transactions, and
calls the store and the engine; none prints or imports click.
"""
