"""The operators' fleet view: one server-rendered page with every kiosk's latest heartbeat.

Plain HTML with a meta refresh, no script: it works in any browser on a control-room PC and has
nothing to break. Every value a kiosk sent is escaped, since a kiosk's name and its device details
come from the field. A kiosk is silent when its last heartbeat is older than `silent_beats` of the
intervals it said it beats at (the default interval when it never said); a kiosk enrolled but never
heard from is silent too.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import html
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query
from fastapi.responses import HTMLResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.application import CHINA_TZ
from kiosk.config import LANGUAGES, Config
from kiosk.i18n import Translator, table
from sync.casestore import help_desk, operators
from sync.casestore.db import Heartbeat, Kiosk, as_utc
from sync.casestore.enrol import KioskKey
from sync.wire import HeartbeatIn

DEFAULT_INTERVAL_S = Config.heartbeat_interval_s    # what a kiosk beats at unless configured otherwise
SILENT_BEATS = 3.0
REFRESH_S = 15
BASIC = HTTPBasic(auto_error=False)   # module-level: the handler's annotations are resolved in this module's globals
# Only the page's own inline style may apply; nothing a kiosk sent can run or load anything.
HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
           "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}

STYLE = """
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", sans-serif; margin: 1.5rem; color: #1a1a1a; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { border: 1px solid #c8c8c8; padding: .4rem .6rem; text-align: left; vertical-align: top; }
th { background: #eef1f5; white-space: nowrap; }
td.kiosk-id { font-weight: bold; overflow-wrap: anywhere; max-width: 16rem; }
td.last-heartbeat, td.queue, td.oldest, td.paper, td.version { white-space: nowrap; }
li { white-space: nowrap; }
tr.alerting td { background: #fff4e0; }
tr.silent td { background: #fde2e2; }
tr.help-call td { background: #fff4e0; }
table#help { margin-bottom: 1.5rem; }
tr.bad td.bad-report { background: #fde2e2; }
.badge { display: inline-block; padding: 0 .4rem; border-radius: .3rem; font-weight: bold; }
.badge.silent { background: #b00020; color: #fff; }
.fault { color: #b00020; font-weight: bold; }
.warning { color: #8a5300; font-weight: bold; }
ul { margin: 0; padding-left: 1.1rem; }
code { font-size: .85em; color: #555; }
"""


@dataclasses.dataclass(frozen=True)
class KioskView:
    """One row of the page: an enrolled kiosk and what its last heartbeat said, if any."""

    kiosk_id: str
    last_seen: dt.datetime | None
    report: dict[str, Any]
    silent: bool
    bad: bool = False           # the stored report does not read as a heartbeat: shown as such, never a 500

    @property
    def alerts(self) -> list[dict[str, Any]]:
        found = list(self.report.get("alerts") or [])
        if self.report.get("storage_alert"):
            found.append({"code": "storage", "severity": "fault", "detail": self.report["storage_alert"]})
        return found


def is_silent(last_seen: dt.datetime | None, interval_s: float | None, now: dt.datetime,
              silent_beats: float) -> bool:
    """Silent after silent_beats of the kiosk's own intervals without a heartbeat, or if never heard."""
    if last_seen is None:
        return True
    return (now - last_seen).total_seconds() > silent_beats * (interval_s or DEFAULT_INTERVAL_S)


def kiosks(sessions: sessionmaker[Session], now: dt.datetime, silent_beats: float) -> list[KioskView]:
    """Every enrolled kiosk and every kiosk that beat; silent ones first, then those with alerts."""
    with sessions() as session:
        enrolled = set(session.scalars(select(Kiosk.kiosk_id))) | set(session.scalars(select(KioskKey.kiosk_id)))
        beats = {beat.kiosk_id: beat for beat in session.scalars(select(Heartbeat))}
    views = []
    for kiosk_id in enrolled | beats.keys():
        beat = beats.get(kiosk_id)
        report, bad = _report(beat.report) if beat else ({}, False)
        last_seen = as_utc(beat.received_at) if beat else None
        views.append(KioskView(kiosk_id, last_seen, report,
                               is_silent(last_seen, report.get("interval_s"), now, silent_beats), bad))
    return sorted(views, key=lambda v: (not v.silent, not (v.alerts or v.bad), v.kiosk_id))


def _report(stored: str) -> tuple[dict[str, Any], bool]:
    """The stored report checked again as the wire schema has it (a row written before the schema
    bounded it, or by hand, may hold anything), and whether it failed."""
    try:
        return HeartbeatIn.model_validate_json(stored).model_dump(mode="json"), False
    except ValueError:          # not JSON, or not a heartbeat (pydantic's ValidationError is a ValueError)
        return {}, True


class Page:
    """Renders the page in one language; every call to text() escapes what it returns."""

    def __init__(self, language: str, now: dt.datetime, silent_beats: float, refresh_s: int) -> None:
        self.language, self.now, self.silent_beats, self.refresh_s = language, now, silent_beats, refresh_s
        self.tr = Translator(language)
        self.keys = table(language)

    def text(self, key: str, fallback: str = "", **values: object) -> str:
        """A translated, escaped text; fallback (escaped) for a key we have no words for."""
        if f"fleet.{key}" in self.keys:
            return html.escape(self.tr.t(f"fleet.{key}", **values))
        return html.escape(fallback or key)

    def age(self, moment: dt.datetime | None) -> str:
        if moment is None:
            return self.text("never")
        seconds = max(0, int((self.now - moment).total_seconds()))
        for unit, size in (("days_ago", 86400), ("hours_ago", 3600), ("minutes_ago", 60)):
            if seconds >= size:
                return self.text(unit, n=seconds // size)
        return self.text("seconds_ago", n=seconds)

    def _seconds(self, seconds: float | None) -> str:
        if seconds is None:
            return self.text("none")
        return self.age(self.now - dt.timedelta(seconds=seconds))

    def devices(self, report: dict[str, Any]) -> str:
        def item(device: str, state: str) -> str:
            return (f'<li class="{html.escape(state)}">{self.text("device." + device, device)}: '
                    f'{self.text("state." + state, state)}</li>')

        items = [item(str(d.get("device")), str(d.get("state"))) for d in report.get("devices") or []]
        return f"<ul>{''.join(items)}</ul>" if items else self.text("unknown")

    def paper(self, report: dict[str, Any]) -> str:
        printer = next((d for d in report.get("devices") or [] if d.get("device") == "printer"), None)
        if printer is None or printer.get("state") == "absent":
            return self.text("unknown")
        detail = str(printer.get("detail", ""))
        if detail == "printer.paper_out":
            return f'<span class="fault">{self.text("paper.out")}</span>'
        if detail == "printer.paper_near_end":
            return f'<span class="warning">{self.text("paper.near_end")}</span>'
        return self.text("paper.ok") if printer.get("state") == "ok" else self.text("unknown")

    def alerts(self, view: KioskView) -> str:
        def item(severity: str, code: str) -> str:
            return (f'<li class="{"warning" if severity == "warning" else "fault"}" data-code="{html.escape(code)}">'
                    f'{self.text("alert." + code, code)} <code>{html.escape(code)}</code></li>')

        items = [item(str(a.get("severity")), str(a.get("code"))) for a in view.alerts]
        return f"<ul>{''.join(items)}</ul>" if items else self.text("none")

    def row(self, view: KioskView) -> str:
        """The kiosk's row; a report that cannot be shown makes a row that says so, never a broken page."""
        if view.bad:
            return self.bad_row(view)
        try:
            return self._row(view)
        except (ValueError, TypeError, OverflowError, KeyError, AttributeError):
            return self.bad_row(view)

    def bad_row(self, view: KioskView) -> str:
        problem = self.text("bad_report", "心跳报告无法读取 / heartbeat report unreadable")
        return (f'<tr class="kiosk bad alerting" data-kiosk="{html.escape(view.kiosk_id)}">'
                f'<td class="kiosk-id">{html.escape(view.kiosk_id)}</td>'
                f'<td class="last-heartbeat">{self.age(view.last_seen)}</td>'
                f'<td class="bad-report fault" colspan="8">{problem}</td></tr>')

    def _row(self, view: KioskView) -> str:
        report, queue = view.report, view.report.get("queue") or {}
        classes = " ".join(["kiosk"] + (["silent"] if view.silent else []) + (["alerting"] if view.alerts else []))
        seen = self.age(view.last_seen)
        if view.silent:
            seen += (f' <span class="badge silent" title="{self.text("silent_title", beats=f"{self.silent_beats:g}")}">'
                     f'{self.text("silent")}</span>')
        out_of_service = report.get("out_of_service")
        sync_state = str(report.get("sync_state", ""))
        pending, dead = (html.escape(str(queue.get(name, ""))) for name in ("pending", "dead"))
        oldest = self._seconds(queue.get("oldest_pending_age_s")) if queue else self.text("unknown")
        serving = self.text("unknown") if out_of_service is None else self.text("yes" if out_of_service else "no")
        cells = [
            f'<td class="kiosk-id">{html.escape(view.kiosk_id)}</td>',
            f'<td class="last-heartbeat">{seen}</td>',
            f'<td class="sync">{self.text("sync." + sync_state, sync_state)}</td>',
            f'<td class="devices">{self.devices(report)}</td>',
            f'<td class="paper">{self.paper(report)}</td>',
            f'<td class="queue">{pending} / {dead}</td>',
            f'<td class="oldest">{oldest}</td>',
            f'<td class="version">{html.escape(str(report.get("version") or "")) or self.text("unknown")}</td>',
            f'<td class="out-of-service">{serving}</td>',
            f'<td class="alerts">{self.alerts(view)}</td>',
        ]
        return f'<tr class="{classes}" data-kiosk="{html.escape(view.kiosk_id)}">{"".join(cells)}</tr>'

    def render(self, views: list[KioskView], help_calls: str = "") -> str:
        """The page; help_calls (already escaped HTML: sync/casestore/help_desk.py) above the fleet's table."""
        columns = ("kiosk", "last_heartbeat", "sync", "devices", "paper", "queue", "oldest", "version",
                   "out_of_service", "alerts")
        other = next(language for language in LANGUAGES if language != self.language)
        header = "".join(f"<th>{self.text('column.' + column)}</th>" for column in columns)
        summary = self.text("summary", total=len(views), silent=sum(v.silent for v in views),
                            alerting=sum(bool(v.alerts) for v in views), refresh=self.refresh_s,
                            now=self.now.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S"))
        return (
            f'<!doctype html><html lang="{"zh-CN" if self.language == "zh_CN" else "en"}"><head><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="{self.refresh_s}"><title>{self.text("title")}</title>'
            f"<style>{STYLE}</style></head><body>"
            f'<h1>{self.text("title")}</h1><p id="summary">{summary} '
            f'<a href="?lang={other}">{self.text("other_language")}</a></p>'
            f'{help_calls}<table id="fleet"><thead><tr>{header}</tr></thead>'
            f'<tbody>{"".join(self.row(v) for v in views)}</tbody></table></body></html>'
        )


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def register(app: FastAPI, sessions: sessionmaker[Session], silent_beats: float = SILENT_BEATS,
             refresh_s: int = REFRESH_S, clock: Callable[[], dt.datetime] = utc_now) -> None:
    """GET /fleet for operators (HTTP Basic, `kiosk24 casestore operator NAME`); not part of the kiosks' API.
    clock is the page's now: a test moves it on rather than waiting for a kiosk to fall silent."""
    @app.get("/fleet", response_class=HTMLResponse, include_in_schema=False)
    def fleet_page(credentials: Annotated[HTTPBasicCredentials | None, Depends(BASIC)],
                   lang: Annotated[str, Query(max_length=8)] = "zh_CN") -> HTMLResponse:
        operator, now = operators.check(sessions, credentials), clock()
        language = lang if lang in LANGUAGES else "zh_CN"
        calls, waiting = help_desk.section(sessions, operator, Translator(language), now)
        page = Page(language, now, silent_beats, min(refresh_s, help_desk.REFRESH_S) if waiting else refresh_s)
        return HTMLResponse(page.render(kiosks(sessions, now, silent_beats), calls), headers=HEADERS)
