"""Alerts: watches and delivery channels (``tracker.toml``), digests and their senders.

``config`` reads and edits the ``[[watch]]`` and ``[[channel]]`` tables; ``digest`` turns
queued alerts into the text, HTML and JSON a channel sends; ``email``, ``webhook`` and
``atom`` send one digest each. Evaluating watches against the store and the outbox is the
use case in ``tracker.app.watches``.
"""
