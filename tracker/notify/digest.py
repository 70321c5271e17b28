"""One digest of alerts: its subject, plain text, HTML (the change report's cards) and JSON.

Every function takes the alert payloads as queued (see ``tracker.app.watches``) so that a
digest retried days later says what it would have said then. Output is deterministic:
alerts are grouped by watch in the order given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tracker import __version__

Payload = dict[str, Any]
JSON_VERSION = 1


def by_watch(alerts: Sequence[Payload]) -> list[tuple[dict[str, Any], list[Payload]]]:
    """The alerts grouped by watch name, watches in order of first appearance."""
    groups: dict[str, tuple[dict[str, Any], list[Payload]]] = {}
    for alert in alerts:
        watch = alert["watch"]
        groups.setdefault(watch["name"], (watch, []))[1].append(alert)
    return list(groups.values())


def watch_label(watch: dict[str, Any]) -> str:
    """ "defence" ("defence spending") or "mine" (claim 148)."""
    parts = [f'"{watch["query"]}"'] if watch.get("query") is not None else []
    if watch.get("claim") is not None:
        parts.append(f"claim {watch['claim']}")
    return f"{watch['name']} ({', '.join(parts)})"


def subject(alerts: Sequence[Payload], *, test: bool = False) -> str:
    """ "tracker: 3 alerts (defence 2, counterstrike 1)"."""
    if test:
        return "tracker: test message"
    counts = ", ".join(f"{w['name']} {len(items)}" for w, items in by_watch(alerts))
    n = len(alerts)
    return f"tracker: {n} alert{'s' if n != 1 else ''} ({counts})"


def brief_line(brief: dict[str, Any]) -> str:
    source = f", {brief['source']}" if brief.get("source") else ""
    return f"{brief['title']} ({brief['date']}{source}, brief {brief['id']})"


def _claim_line(label: str, claim: dict[str, Any] | None) -> list[str]:
    if claim is None:
        return []
    where = f"claim {claim['claim_id']}, brief {claim['brief_id']}, {claim['date']}"
    return [f"    {label}{claim['text']}  ({where})"]


def render_text(alerts: Sequence[Payload], *, test: bool = False) -> str:
    """The plain-text part: per watch, each alert with its claims and what moved."""
    if test:
        return "This is a test message from tracker: the channel works.\n"
    lines = [f"{subject(alerts)}", ""]
    for watch, items in by_watch(alerts):
        lines.append(f"watch {watch_label(watch)}")
        for alert in items:
            change, brief = alert["change"], alert["brief"]
            lines.append(f"  {alert['headline']}")
            if change["kind"] == "modified":
                lines += _claim_line("before: ", change["old"])
                lines += _claim_line("after:  ", change["new"])
            else:
                lines += _claim_line("", change["new"] or change["old"])
            lines += [f"    {d}" for d in alert["details"]]
            lines.append(f"    in {brief_line(brief)}, against {alert['baseline']['label']}")
            if brief.get("url"):
                lines.append(f"    {brief['url']}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_html(
    alerts: Sequence[Payload], *, attachments: Sequence[str] = (), test: bool = False
) -> str:
    """The HTML part: the change report's cards under a heading per watch."""
    from tracker.report.html import environment

    template = environment().get_template("digest.html")
    return template.render(
        subject=subject(alerts, test=test),
        groups=[] if test else by_watch(alerts),
        watch_label=watch_label,
        brief_line=brief_line,
        attachments=list(attachments),
        test=test,
        version=__version__,
    )


def json_body(alerts: Sequence[Payload], *, test: bool = False) -> dict[str, Any]:
    """The webhook's ``json`` shape (docs/json.md): one object per alert."""
    return {
        "version": JSON_VERSION,
        "tracker": __version__,
        "test": test,
        "summary": subject(alerts, test=test),
        "alerts": [
            {
                "watch": a["watch"],
                "change_key": a["change_key"],
                "brief": a["brief"],
                "baseline": {k: a["baseline"][k] for k in ("selection", "label", "briefs")},
                "change": a["change"],
            }
            for a in alerts
        ],
    }


def _short(alert: Payload) -> str:
    change = alert["change"]
    claim = change["new"] or change["old"]
    return f"{alert['watch']['name']}: {alert['headline']} — {claim['text']}"


def slack_body(alerts: Sequence[Payload], *, test: bool = False) -> dict[str, Any]:
    """Slack-compatible (``text`` plus section blocks); the JSON shape rides along under
    ``tracker``, which Slack ignores."""
    text = subject(alerts, test=test)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": text[:150]}}
    ]
    for alert in alerts[:45]:  # Slack takes at most 50 blocks
        url = alert["brief"].get("url")
        line = _short(alert)[:2900]
        blocks.append({"type": "section", "text": {"type": "plain_text", "text": line}})
        if url:
            blocks.append(
                {
                    "type": "context",
                    "elements": [
                        {"type": "mrkdwn", "text": f"<{url}|{brief_line(alert['brief'])[:200]}>"}
                    ],
                }
            )
    return {"text": text, "blocks": blocks, "tracker": json_body(alerts, test=test)}


def teams_body(alerts: Sequence[Payload], *, test: bool = False) -> dict[str, Any]:
    """A Teams/Power Automate message with one Adaptive Card; the JSON shape under
    ``tracker``."""
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": subject(alerts, test=test),
            "weight": "Bolder",
            "size": "Medium",
            "wrap": True,
        }
    ]
    for alert in alerts:
        body.append({"type": "TextBlock", "text": _short(alert), "wrap": True})
        if alert["brief"].get("url"):
            body.append(
                {
                    "type": "TextBlock",
                    "text": f"[{brief_line(alert['brief'])}]({alert['brief']['url']})",
                    "wrap": True,
                    "isSubtle": True,
                }
            )
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
        ],
        "tracker": json_body(alerts, test=test),
    }
