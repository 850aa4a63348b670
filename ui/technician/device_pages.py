"""The technician's device pages: every device's health and last error, a test receipt, the scanner
and its camera, the ID-card reader, and the paper count. Each works through the kiosk's own drivers
and threads, so what passes here is what citizens will get."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget
from shiboken6 import isValid

from devices.health import State
from devices.scanner.payload import Code
from kiosk import idnumber
from kiosk.consumables import PaperCount
from kiosk.i18n import Translator, table
from kiosk.identity import Identity
from kiosk.outcome import Outcome
from ui.bridge import PREVIEW_WIDTH
from ui.technician.context import TechContext
from ui.widgets import button, card, discard, label, scrolling

CONFIGURED = {"idcard": "idcard_port", "printer": "printer", "scanner": "scanner", "a4printer": "a4_printer"}


def words(tr: Translator, detail: str) -> str:
    """A health detail is an i18n key (printer.paper_out) or a driver's technical text, shown as it is."""
    return tr.t(detail) if detail in table(tr.language) or detail in table("zh_CN") else detail


def _when(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds).strftime("%Y-%m-%d %H:%M:%S")


class DevicesPage(QWidget):
    """Follows health reports as they come; "check now" asks the printer itself, off the UI thread."""

    def __init__(self, ctx: TechContext) -> None:
        super().__init__()
        self.ctx = ctx
        tr = ctx.tr
        self.rows = QWidget()
        self.rows_layout = QVBoxLayout(self.rows)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(ctx.theme.gap_px)
        self.check = button(tr.t("technician.devices.check"), self.check_now, name="Primary",
                            description=tr.t("technician.desc.check"))
        self.check.setProperty("role", "check")
        # the readers report by themselves; the printers are asked
        self.check.setEnabled(ctx.ops.has_printer or ctx.ops.has_a4_printer)
        _fill(self, ctx.page(tr.t("technician.page.devices"),
                             [scrolling(self.rows, tr.t("technician.page.devices"), tr.t("technician.desc.list"))],
                             footer=[self.check], subtitle=tr.t("technician.devices.subtitle")))
        ctx.bridge.health_changed.connect(self.refresh)
        self.refresh()

    def devices(self) -> list[str]:
        """The configured devices first, then whatever else reports (the voice, the document camera)."""
        configured = [name for name, setting in CONFIGURED.items() if getattr(self.ctx.ops.config, setting)]
        return configured + sorted({h.device for h in self.ctx.ops.health.latest()} - set(configured))

    def refresh(self, _health: object = None) -> None:
        while self.rows_layout.count():
            discard(self.rows_layout.takeAt(0).widget())
        tr = self.ctx.tr
        latest = {h.device: h for h in self.ctx.ops.health.latest()}
        for device in self.devices():
            health = latest.get(device)
            state = tr.t(f"technician.state.{health.state.value}") if health else tr.t("technician.state.unknown")
            lines = [label(tr.t(f"technician.device.{device}") if f"technician.device.{device}" in table("zh_CN")
                           else device, "Title"),
                     label(tr.t("technician.devices.state", state=state,
                                since=_when(health.since) if health else "-"),
                           "Good" if health and health.state is State.OK else "Problem")]
            if health and health.detail:
                lines.append(label(words(tr, health.detail), "Muted"))
            problem = self.ctx.ops.health.last_problem(device)
            lines.append(label(tr.t("technician.devices.last_error", when=_when(problem.since),
                                    error=words(tr, problem.detail) or tr.t(f"technician.state.{problem.state.value}"))
                               if problem else tr.t("technician.devices.no_error"), "Muted"))
            row = card(*lines)
            row.setProperty("device", device)
            self.rows_layout.addWidget(row)

    def check_now(self) -> None:
        if not (self.ctx.ops.has_printer or self.ctx.ops.has_a4_printer):
            return
        self.check.setEnabled(False)
        self.ctx.audit("devices.check", "printer")
        self.ctx.bridge.run(self.ctx.ops.check_printers, self._checked)

    def _checked(self, _health: object) -> None:
        if not isValid(self):            # the technician went to another page meanwhile
            return
        self.check.setEnabled(True)
        self.refresh()


def devices(ctx: TechContext) -> QWidget:
    return DevicesPage(ctx)


def _problem_words(tr: Translator, outcome: Outcome) -> str:
    return tr.t("technician.result.failed", problem=words(tr, outcome.problem or ""), detail=outcome.detail)


class PrintPage(QWidget):
    """A test receipt through the kiosk's own driver: the printer's answer is what the page says."""

    def __init__(self, ctx: TechContext) -> None:
        super().__init__()
        self.ctx = ctx
        tr = ctx.tr
        self.result = label(tr.t("technician.print.ready" if ctx.ops.has_printer else "technician.print.none"),
                            "Muted")
        self.result.setObjectName("Result")
        self.go = button(tr.t("technician.print.go"), self.print_test, name="Primary",
                         description=tr.t("technician.desc.print"))
        self.go.setProperty("role", "print")
        self.go.setEnabled(ctx.ops.has_printer)
        _fill(self, ctx.page(tr.t("technician.page.print"), [card(label(tr.t("technician.print.what")), self.result)],
                             footer=[self.go], subtitle=ctx.ops.config.printer or tr.t("technician.print.none")))

    def print_test(self) -> None:
        if not self.ctx.ops.has_printer:
            return
        self.go.setEnabled(False)
        self.result.setText(self.ctx.tr.t("technician.print.printing"))
        self.ctx.bridge.run(self.ctx.ops.print_test, self._printed)

    def _printed(self, outcome: Outcome) -> None:
        self.ctx.audit("print_test", "ok" if outcome.ok else f"{outcome.problem}: {outcome.detail}")
        if not isValid(self):
            return
        tr = self.ctx.tr
        self.go.setEnabled(True)
        self.result.setText(tr.t("technician.print.done") if outcome.ok else _problem_words(tr, outcome))


class PaperPage(QWidget):
    """Receipts since the roll was changed; "paper replaced" starts the count again. With an A4 printer, its
    pages since the tray was filled too; "A4 paper loaded" starts that count again and restarts its queue."""

    def __init__(self, ctx: TechContext) -> None:
        super().__init__()
        self.ctx = ctx
        tr = ctx.tr
        self.counts = label("", "Title")
        self.counts.setObjectName("Counts")
        self.changed = label("", "Muted")
        self.reset = button(tr.t("technician.paper.replaced"), self.replaced, name="Primary",
                            description=tr.t("technician.desc.replaced"))
        self.reset.setProperty("role", "paper_replaced")
        self.reset.setEnabled(ctx.ops.counts_paper)
        blocks, footer = [card(self.counts, self.changed)], [self.reset]
        self.a4 = A4Paper(ctx) if ctx.ops.has_a4_printer else None
        if self.a4 is not None:
            blocks.append(self.a4.card)
            footer.append(self.a4.loaded)
        _fill(self, ctx.page(tr.t("technician.page.paper"), blocks, footer=footer,
                             subtitle=tr.t("technician.paper.subtitle")))
        self.refresh()

    def refresh(self, _result: object = None) -> None:
        if self.a4 is not None and isValid(self):
            self.a4.refresh()
        if not self.ctx.ops.counts_paper or not isValid(self):
            return
        self.ctx.bridge.run(self.ctx.ops.paper_count, self._show)

    def _show(self, count: PaperCount) -> None:
        if not isValid(self) or not isinstance(count, PaperCount):
            return
        tr = self.ctx.tr
        self.counts.setText(tr.t("technician.paper.counts", since=count.since_paper, total=count.total))
        self.changed.setText(tr.t("technician.paper.changed_at", when=count.changed_at.astimezone().strftime(
            "%Y-%m-%d %H:%M")) if count.changed_at else tr.t("technician.paper.never"))

    def replaced(self) -> None:
        if not self.ctx.ops.counts_paper:
            return
        self.ctx.audit("paper_replaced", "")
        self.ctx.bridge.run(self.ctx.ops.paper_replaced, self.refresh)


class A4Paper:
    """The A4 printer's part of the paper page: its pages since the tray was filled, and "A4 paper loaded"."""

    def __init__(self, ctx: TechContext) -> None:
        self.ctx = ctx
        tr = ctx.tr
        assert ctx.ops.a4_printer is not None
        self.counts = label("", "Title")
        self.counts.setObjectName("A4Counts")
        self.changed = label("", "Muted")
        self.card = card(label(tr.t("technician.a4.title", queue=ctx.ops.a4_printer.queue), "Subtitle"),
                         self.counts, self.changed)
        self.loaded = button(tr.t("technician.a4.loaded"), self.paper_loaded,
                             description=tr.t("technician.desc.a4_loaded"))
        self.loaded.setProperty("role", "a4_paper_loaded")

    def refresh(self) -> None:
        self.ctx.bridge.run(self.ctx.ops.a4_paper_count, self.show)

    def show(self, count: PaperCount) -> None:
        if not isValid(self.counts) or not isinstance(count, PaperCount):
            return
        tr = self.ctx.tr
        self.counts.setText(tr.t("technician.a4.counts", since=count.since_paper, total=count.total))
        self.changed.setText(tr.t("technician.a4.changed_at", when=count.changed_at.astimezone().strftime(
            "%Y-%m-%d %H:%M")) if count.changed_at else tr.t("technician.a4.never"))
        self.loaded.setEnabled(True)

    def paper_loaded(self) -> None:
        self.loaded.setEnabled(False)         # restarting the queue takes a moment; once is enough
        self.ctx.audit("a4_paper_loaded", "")
        self.ctx.bridge.run(self.ctx.ops.a4_paper_loaded, self.show)


class IdCardPage(QWidget):
    """The kiosk's own reader thread reads the card; only masked fields are shown, nothing is kept."""

    def __init__(self, ctx: TechContext) -> None:
        super().__init__()
        self.ctx = ctx
        tr = ctx.tr
        self.fields = label(tr.t("technician.idcard.place" if ctx.ops.has_card_reader else "technician.idcard.none"))
        self.fields.setObjectName("CardFields")
        again = button(tr.t("technician.idcard.again"), self.again, description=tr.t("technician.desc.again"))
        again.setProperty("role", "read_again")
        again.setEnabled(ctx.ops.has_card_reader)
        _fill(self, ctx.page(tr.t("technician.page.idcard"), [card(self.fields)], footer=[again],
                             subtitle=ctx.ops.config.idcard_port or tr.t("technician.idcard.none")))
        ctx.bridge.identity_read.connect(self.show_card)
        ctx.bridge.credential_problem.connect(self.show_problem)
        self.again()

    def again(self) -> None:
        self.ctx.ops.read_card_again()

    def show_card(self, identity: Identity) -> None:
        tr = self.ctx.tr
        valid_to = identity.valid_to.isoformat() if identity.valid_to else tr.t("technician.idcard.long_term")
        self.fields.setText(tr.t("technician.idcard.read", name=identity.masked_name(),
                                 number=idnumber.mask(identity.id_number),
                                 type=tr.t(f"technician.card.{identity.card_type.value}"),
                                 valid_to=valid_to))
        self.ctx.audit("idcard_test", f"read {identity.card_type.value}")

    def show_problem(self, key: str) -> None:
        if not key.startswith("idcard."):          # the code scanner reports its problems on the same signal
            return
        self.fields.setText(words(self.ctx.tr, key))
        self.ctx.audit("idcard_test", key)


class ScannerPage(QWidget):
    """What the code scanner sees (a camera's picture, a few frames a second) and the codes it found."""

    SHOWN = 8

    def __init__(self, ctx: TechContext) -> None:
        super().__init__()
        self.ctx = ctx
        tr = ctx.tr
        self.found: list[str] = []
        self.preview = QLabel(tr.t("technician.scanner.none" if not ctx.ops.has_scanner else
                                   "technician.scanner.no_camera" if ctx.ops.camera() is None else
                                   "technician.scanner.waiting"))
        self.preview.setObjectName("Preview")
        self.preview.setAlignment(Qt.AlignCenter)
        self.preview.setWordWrap(True)         # until the first frame it holds a sentence
        self.preview.setMinimumSize(PREVIEW_WIDTH // 2, PREVIEW_WIDTH * 3 // 8)
        self.codes = label(tr.t("technician.scanner.none_yet"), "Muted")
        self.codes.setObjectName("Codes")
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(ctx.theme.gap_px * 2)
        line.addWidget(self.preview, 1)
        line.addWidget(card(label(tr.t("technician.scanner.codes"), "Subtitle"), self.codes), 1)
        _fill(self, ctx.page(tr.t("technician.page.scanner"), [row],
                             subtitle=ctx.ops.config.scanner or tr.t("technician.scanner.none")))
        ctx.bridge.code_scanned.connect(self.show_code)
        camera = ctx.ops.camera()
        if camera is not None:
            ctx.bridge.camera_frame.connect(self.show_frame)
            camera.on_frame = ctx.bridge.on_frame

    def show_frame(self, image: QImage) -> None:
        self.preview.setPixmap(QPixmap.fromImage(image).scaled(self.preview.size(), Qt.KeepAspectRatio))

    def show_code(self, code: Code) -> None:
        text = code.text if code.text is not None else code.raw.hex()
        shown = text if len(text) <= 60 else text[:57] + "…"    # a long credential need not fill the screen
        self.found = [f"{code.format.value}: {shown}", *self.found][:self.SHOWN]
        self.codes.setText("\n".join(self.found))
        self.ctx.audit("scanner_test", f"{code.source} {code.format.value} {len(code.raw)} bytes")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        camera = self.ctx.ops.camera()
        if camera is not None:
            camera.on_frame = None            # no preview work for a page nobody sees
        super().closeEvent(event)


def _fill(holder: QWidget, content: QWidget) -> None:
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(content)


def test_print(ctx: TechContext) -> QWidget:
    return PrintPage(ctx)


def paper(ctx: TechContext) -> QWidget:
    return PaperPage(ctx)


def idcard(ctx: TechContext) -> QWidget:
    return IdCardPage(ctx)


def scanner(ctx: TechContext) -> QWidget:
    return ScannerPage(ctx)
