"""The Flask application of `tracker serve`: routes that call use cases and render templates.

Handlers parse the request, call one use case of ``tracker.app`` (never SQL), and render a
template of ``templates/web/`` from the same Jinja2 environment as the HTML reports
(autoescaped, strict about undefined names). The diff page *is* the change report
(``web/diff.html`` extends ``report.html``), with review controls added to each card.
Every state change is a POST that answers with a redirect (post/redirect/get), so a reload
never repeats it and every page works without JavaScript.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from flask import Flask, Response, abort, g, redirect, request
from markupsafe import Markup

from tracker import __version__
from tracker.errors import TrackerError
from tracker.web.security import (
    CSRF_FIELD,
    TOKEN_COOKIE,
    TOKEN_PARAM,
    Guard,
    content_security_policy,
    origin_ok,
    safe_next,
    without_token,
)

if TYPE_CHECKING:
    from jinja2 import Environment
    from werkzeug.wrappers import Response as BaseResponse

    from tracker.app.diffs import Diff, Encoder, MatcherConfig
    from tracker.app.review import Decision
    from tracker.store.db import Database

VERDICT_KEYS = (("same", "s"), ("related", "r"), ("different", "d"))


def _query(params: Mapping[str, object]) -> str:
    """A query string of the non-empty ``params`` (a Jinja filter: ``{{ {...} | qs }}``)."""
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _environment() -> Environment:
    """The report templates' environment, overlaid with the web pages' helpers."""
    from tracker.report.html import environment

    env = environment().overlay()
    env.filters["qs"] = _query
    env.globals["verdict_keys"] = VERDICT_KEYS
    return env


class Pages:
    """Renders the templates of ``templates/web/`` with what every page needs."""

    def __init__(self, guard: Guard) -> None:
        self.env = _environment()
        self.guard = guard

    def render(self, name: str, status: int = 200, **context: Any) -> Response:
        context.setdefault("nav", "")
        html = self.env.get_template(name).render(
            version=__version__,
            csp_nonce=g.nonce,
            csrf=Markup(self.guard.csrf),
            here=request.full_path.rstrip("?"),
            **context,
        )
        return Response(html, status=status, mimetype="text/html")


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise TrackerError(f"{name} must be a whole number, not {value!r}")
    return int(value)


def _pair_arg(name: str) -> tuple[int, int] | None:
    """``OLD-NEW`` claim ids (the queue's last verdict, to offer its undo); None otherwise."""
    old, _, new = request.args.get(name, "").partition("-")
    return (int(old), int(new)) if old.isdigit() and new.isdigit() else None


def _form_int(name: str) -> int:
    value = request.form.get(name, "").strip()
    if not value.isdigit():
        raise TrackerError(f"{name} must be a claim id")
    return int(value)


def create_app(
    db: Database, guard: Guard, *, reviewer: str | None = None, encoder: Encoder | None = None
) -> Flask:
    """The web app over ``db``, protected by ``guard``; verdicts are recorded as ``reviewer``
    (default: ``tracker.app.review.default_reviewer()``, as the CLI does). With ``encoder``
    (``tracker --embeddings DIR serve``) diffs and histories use the sentence embeddings as
    ``tracker diff`` does with the same option."""
    app = Flask("tracker.web", static_folder=None, template_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024  # forms only: a few fields of text
    pages = Pages(guard)

    def by() -> str:
        if reviewer:
            return reviewer
        from tracker.app.review import default_reviewer

        return default_reviewer()

    def config() -> MatcherConfig:
        # The store's model (tracker matcher fit / use previous), read per request as the
        # CLI reads it per command, so a refit shows in the next page without a restart.
        from tracker.app.matcher import matcher_config

        return matcher_config(db, embeddings=encoder is not None)

    _protect(app, guard, pages)
    _brief_pages(app, pages, db)
    _diff_pages(app, pages, db, config, encoder)
    _review_actions(app, db, by)
    _other_pages(app, pages, db, config, encoder)
    return app


# The routes, registered in groups so that each group's closures stay small.
StoreConfig = Callable[[], "MatcherConfig"]  # the store's matcher settings, read per request


def _protect(app: Flask, guard: Guard, pages: Pages) -> None:
    """Host check, access token, CSRF and origin checks, security headers, error pages."""

    @app.before_request
    def check_access() -> BaseResponse | None:
        g.nonce = secrets.token_urlsafe(16)
        if not guard.host_allowed(request.host):
            return Response("unexpected Host header\n", status=400, mimetype="text/plain")
        given = request.args.get(TOKEN_PARAM)
        if given is not None and guard.token is not None and request.method == "GET":
            if not guard.token_ok(given):
                return Response("wrong token\n", status=403, mimetype="text/plain")
            back = redirect(without_token(request.path, list(request.args.items(multi=True))))
            back.set_cookie(TOKEN_COOKIE, given, httponly=True, samesite="Strict")
            return back
        if not guard.token_ok(request.cookies.get(TOKEN_COOKIE)):
            return Response(
                "this server needs its access token: open the URL it printed at start\n",
                status=403,
                mimetype="text/plain",
            )
        if request.method == "POST":
            if not guard.csrf_ok(request.form.get(CSRF_FIELD)):
                return Response("missing or wrong CSRF token\n", status=403, mimetype="text/plain")
            if not origin_ok(request.headers.get("Origin"), request.host):
                return Response("cross-origin request\n", status=403, mimetype="text/plain")
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = content_security_policy(
            getattr(g, "nonce", "none")
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        # same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on
        # its own form posts, which the CSRF check must refuse.
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(TrackerError)
    def tracker_error(exc: TrackerError) -> Response:
        return pages.render("web/error.html", status=400, message=str(exc))

    @app.errorhandler(404)
    def not_found(_exc: Exception) -> Response:
        return pages.render("web/error.html", status=404, message="no such page")


def _brief_pages(app: Flask, pages: Pages, db: Database) -> None:
    """Home, the brief list, one brief, and its metadata form."""
    from tracker.app import browse

    engine = db.engine

    @app.get("/")
    def home() -> Response:
        listed = browse.list_briefs(engine)
        return pages.render("web/home.html", nav="home", listed=listed)

    @app.get("/briefs")
    def briefs() -> Response:
        listed = browse.list_briefs(
            engine, year=_int_arg("year"), source=request.args.get("source") or None
        )
        return pages.render("web/briefs.html", nav="briefs", listed=listed)

    @app.get("/briefs/<int:brief_id>")
    def brief(brief_id: int) -> Response:
        try:
            detail = browse.brief_detail(engine, brief_id)
        except TrackerError:
            abort(404)
        return pages.render(
            "web/brief.html", nav="briefs", brief=detail, saved=request.args.get("saved")
        )

    @app.post("/briefs/<int:brief_id>/edit")
    def edit_brief(brief_id: int) -> BaseResponse:
        edit = browse.correct_brief(
            db,
            brief_id,
            date=request.form.get("date", ""),
            title=request.form.get("title", ""),
            source=request.form.get("source", ""),
        )
        saved = ",".join(edit.changed) or "nothing"
        return redirect(f"/briefs/{brief_id}?" + _query({"saved": saved}), code=303)


def _diff_pages(
    app: Flask, pages: Pages, db: Database, config: StoreConfig, encoder: Encoder | None
) -> None:
    """The live diff, the review queue and the claim picker."""
    from tracker.app import browse

    engine = db.engine

    def selections() -> tuple[str, str] | None:
        old, new = request.args.get("from", "").strip(), request.args.get("to", "").strip()
        return (old, new) if old and new else None

    def reviewed(nav: str) -> Response | tuple[tuple[str, str], Diff, list[Decision]]:
        """The page that asks for two selections, or the chosen ones with their diff (the
        store's decisions honoured) and those decisions."""
        from tracker.app.diffs import DiffOptions
        from tracker.app.review import decisions, reviewed_diff

        chosen = selections()
        if chosen is None:
            listed = browse.list_briefs(engine)
            return pages.render("web/choose.html", nav=nav, listed=listed, action=f"/{nav}")
        result = reviewed_diff(
            engine, chosen[0], chosen[1], DiffOptions(), encoder=encoder, config=config()
        )
        return chosen, result, decisions(engine, old_spec=chosen[0], new_spec=chosen[1])

    @app.get("/diff")
    def diff() -> Response:
        from tracker.report.html import build_context

        got = reviewed("diff")
        if isinstance(got, Response):
            return got
        chosen, result, decided = got
        return pages.render(
            "web/diff.html",
            nav="diff",
            ctx=build_context(result),
            sel={"from": chosen[0], "to": chosen[1]},
            verdicts=browse.verdicts_by_ids(result, decided),
            decided=browse.decision_rows(result, decided),
        )

    @app.get("/queue")
    def queue() -> Response:
        from tracker.app.review import review_queue
        from tracker.report.html import ChangeView, build_context

        got = reviewed("queue")
        if isinstance(got, Response):
            return got
        chosen, result, decided = got
        # The CLI's queue and order (tracker review FROM TO), each item shown as its card of
        # the report: a pair's own card, a lead's on the card of the claim left alone.
        items = review_queue(result)
        ctx = build_context(result)
        cards: dict[object, ChangeView] = {}
        for group in ctx.groups:
            for card in group.changes:
                old = card.old.claim_id if card.old else None
                new = card.new.claim_id if card.new else None
                cards[(old, new)] = card
        shown = []
        for item in items:
            found = (
                cards.get((item.old.id, item.new.id))
                or cards.get((item.old.id, None))
                or cards.get((None, item.new.id))
            )
            if found is not None:
                shown.append((item, found))
        return pages.render(
            "web/queue.html",
            nav="queue",
            sel={"from": chosen[0], "to": chosen[1]},
            items=shown,
            reviewed=len(decided),
            undo=_pair_arg("undo"),
        )

    @app.get("/pick")
    def pick() -> Response:
        chosen = selections()
        if chosen is None:
            raise TrackerError("the claim picker needs the two selections (from, to)")
        old_id, new_id = _int_arg("old"), _int_arg("new")
        if (old_id is None) == (new_id is None):
            raise TrackerError("the claim picker needs one claim: old=ID or new=ID")
        fixed = browse.claim_by_id(engine, old_id if old_id is not None else int(str(new_id)))
        other_spec = chosen[1] if old_id is not None else chosen[0]
        query = request.args.get("q", "").strip()
        choices = browse.claim_choices(engine, other_spec, query or None)
        return pages.render(
            "web/pick.html",
            nav="diff",
            sel={"from": chosen[0], "to": chosen[1]},
            fixed=fixed,
            fixed_side="old" if old_id is not None else "new",
            other_spec=other_spec,
            query=query,
            choices=choices,
        )


def _review_actions(app: Flask, db: Database, by: Callable[[], str]) -> None:
    """Record and undo a verdict (POST), then back to the page the form came from."""
    engine = db.engine

    @app.post("/review")
    def review() -> BaseResponse:
        from tracker.app.review import decide

        note = request.form.get("note", "").strip() or None
        decide(
            engine,
            _form_int("old_id"),
            _form_int("new_id"),
            request.form.get("verdict", ""),
            by=by(),
            note=note,
        )
        return redirect(safe_next(request.form.get("next")), code=303)

    @app.post("/review/undo")
    def review_undo() -> BaseResponse:
        from tracker.app.review import undo

        undo(engine, _form_int("old_id"), _form_int("new_id"), by=by())
        return redirect(safe_next(request.form.get("next")), code=303)


def _other_pages(
    app: Flask, pages: Pages, db: Database, config: StoreConfig, encoder: Encoder | None
) -> None:
    """History, search and the runs."""
    from tracker.app import browse

    engine = db.engine

    @app.get("/history")
    def history() -> Response:
        from tracker.report.timeline_html import build_timeline_context

        query = request.args.get("q", "").strip()
        claim_id = _int_arg("claim")
        if not query and claim_id is None:
            return pages.render("web/history_form.html", nav="history")
        from tracker.app.review import reviewed_history

        tl = reviewed_history(
            engine, query or None, claim_id=claim_id, encoder=encoder, config=config()
        )
        return pages.render(
            "web/history.html",
            nav="history",
            ctx=build_timeline_context(tl),
            query=query,
            claim_id=claim_id,
        )

    @app.get("/search")
    def search() -> Response:
        query = request.args.get("q", "").strip()
        within = request.args.get("in", "").strip()
        result = browse.search(engine, query, selection=within or None) if query else None
        return pages.render(
            "web/search.html",
            nav="search",
            query=query,
            within=within,
            result=result,
            snippets=[browse.snippet_pieces(h.snippet, h.highlights) for h in result.hits]
            if result
            else [],
        )

    @app.get("/runs")
    def runs() -> Response:
        return pages.render("web/runs.html", nav="runs", runs=browse.runs(engine))

    @app.get("/runs/<int:run_id>")
    def run(run_id: int) -> Response:
        try:
            found = browse.run(engine, run_id)
        except TrackerError:
            abort(404)
        return pages.render("web/run.html", nav="runs", run=found)
