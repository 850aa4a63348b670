"""kiosk.ports.HelpDesk for a kiosk with a centre: the call kept on the kiosk (the message queue, which
sync delivers even after a restart) and told to the centre at once while the citizen waits. The centre
records a call once per id, so the queued copy arriving later changes nothing there.
"""
from __future__ import annotations

import logging

from kiosk.help import Answer, HelpRequest
from kiosk.messages import QueuedHelpDesk, help_body
from kiosk.outcome import Outcome
from sync.centre_link import HttpCentreLink

log = logging.getLogger(__name__)


class LiveHelpDesk:
    def __init__(self, queued: QueuedHelpDesk, link: HttpCentreLink) -> None:
        self.queued, self.link = queued, link

    def request_help(self, request: HelpRequest) -> Outcome[Answer]:
        """NOTIFIED once the centre confirmed; OFFLINE when only the kiosk keeps it; a failure when neither."""
        kept = self.queued.request_help(request)
        told = self.link.call_for_help(dict(help_body(request)))
        if told.ok:
            return Outcome.success(Answer.NOTIFIED)
        log.info("help call not told to the centre now: %s %s", told.problem, told.detail)
        return kept

    def answered(self, key: str) -> Outcome[bool]:
        return self.link.help_answered(key)
