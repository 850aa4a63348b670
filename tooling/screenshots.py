"""`kiosk24 screenshots`: every screen, in every mode, at the kiosk resolutions, rendered offscreen.

The session is driven through the same state machine the citizen drives, with a fixed clock in
opening hours and a fictional citizen, so the pictures are the screens a citizen would meet.
"""
from __future__ import annotations

import dataclasses
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import catalog, feedback, voice, workdays
from kiosk.accessibility import LARGEST, Colours, Profile
from kiosk.closure import Closure
from kiosk.help import Answer
from kiosk.print_status import Printing, PrintStatus
from kiosk.session import Event, Session
from kiosk.storage import open_database
from sync.outbox import Outbox
from tooling.samples import ALTERNATIVE_HALL, CLOCK, KIOSK_ID, sample_form, sample_identity

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ui.controller import Controller
    from ui.mainwindow import MainWindow

SIZES = ((1920, 1080), (1080, 1920), (1366, 768))
# Every way a citizen can set the kiosk up, as profiles; the pictures show a selection with a language.
PROFILES: dict[str, Profile] = {
    "normal": Profile(),
    "text-2": Profile(text_size=2),
    "text-3": Profile(text_size=3),
    "large": Profile(text_size=LARGEST),
    "contrast-light": Profile(colours=Colours.LIGHT),
    "contrast-dark": Profile(colours=Colours.DARK),
    "assisted": Profile().with_assisted(True),
    "assisted-dark": Profile(colours=Colours.DARK).with_assisted(True),
    "audio-only": Profile().with_audio_only(True),
}
MODES: dict[str, tuple[str, str]] = {          # picture name: (language, profile name)
    "normal": ("zh_CN", "normal"),
    "large": ("zh_CN", "large"),
    "contrast-light": ("zh_CN", "contrast-light"),
    "contrast-dark": ("zh_CN", "contrast-dark"),
    "assisted": ("zh_CN", "assisted"),
    "audio-only": ("zh_CN", "audio-only"),
    "english": ("en", "normal"),
    "english-assisted": ("en", "assisted"),
}


def _service_code(cat: catalog.Catalog) -> str:
    """An application with a form, so the form and review screens have something to show."""
    return next(s.code for s in cat.services if s.fields and s.hours.is_open(CLOCK))


def _steps(session: Session) -> list[tuple[str, Callable[[], object]]]:
    """(screen name, how to get there from the previous step)."""
    code = _service_code(session.catalog)
    who = sample_identity()
    service = session.catalog.get(code)
    form = sample_form(service, who)
    return [
        ("01-attract", lambda: None),
        ("02-services", lambda: session.fire(Event.START)),
        ("03-detail", lambda: session.choose_service(code)),
        ("04-identify", lambda: session.fire(Event.APPLY)),
        ("05-identify-problem", lambda: session.credential_problem("idcard.read_failed")),
        ("06-form", lambda: session.identified(who)),
        ("07-form-problems", lambda: session.submit_form({**form, "mobile": "1234"})),
        ("08-review", lambda: (session.submit_form(form), session.signed(signature_png()))),   # signing: 25-
        ("09-submitting", session.confirm),
        ("10-receipt", lambda: (session.stored(f"{KIOSK_ID}-20261125-0001"), session.printed(None))),
        ("11-receipt-not-printed", lambda: session.printed("printer.paper_out")),
    ]


COMPLAINT_TEXT = {
    "zh_CN": "上周二来补办身份证，窗口说户口本复印件不行，要原件。今天带了原件来，又说要先去派出所开证明。"
             "跑了两次都没办成，能不能一次说清楚要带什么？",
    "en": "I came twice to replace my ID card. Each time the counter asked for a different paper. "
          "Please tell me in one go what to bring.",
}


def _feedback_steps(session: Session) -> list[tuple[str, Callable[[], object]]]:
    """From the receipt: 好差评, a complaint after a bad score, thanks; a complaint from the start; the
    printed guide that did not come out (the whole guide, asked for). Runs after _steps, so the session stands on
    the receipt."""
    def bad_complaint() -> None:
        session.fire(Event.COMPLAIN)
        # a complaint as a citizen writes it, several sentences in their language: the field shows it wrapped, whole
        session.edit_feedback("text", COMPLAINT_TEXT[session.translator.language])
        session.edit_feedback("mobile", "1234")
        session.complaint()

    def complaint_sent() -> None:
        session.fire(Event.FINISH)
        session.fire(Event.COMPLAIN)
        session.edit_feedback("category", feedback.Category.CANNOT_DO)
        session.edit_feedback("text", "夜间想补打回执，终端提示缺纸")
        session.complaint()
        session.feedback_sent()
        # the longest note: the reference is to be noted by hand
        session.set_slip_print(PrintStatus(Printing.NOT_PRINTED, "printer.paper_out"))

    def guide_not_printed() -> None:
        session.fire(Event.FINISH)
        session.fire(Event.START)
        session.choose_service(next(s.code for s in session.catalog.services if s.excluded_time.zh))
        session.set_guide_print(PrintStatus(Printing.NOT_PRINTED, "printer.paper_out"))
        session.read_whole_guide(True)      # the accessible mode's whole guide, where 03 shows it in short

    return [
        ("14-rating", lambda: session.fire(Event.FINISH)),
        ("15-rating-reasons", lambda: session.rate(feedback.Score.DISSATISFIED)),
        ("16-complaint", bad_complaint),          # with what to fix: one frame shows both
        ("17-thanks", lambda: (session.fire(Event.BACK), session.feedback_sent())),
        ("18-complaint-sent", complaint_sent),
        ("19-detail-guide-not-printed", guide_not_printed),
    ]




def _out_of_service_steps(session: Session) -> list[tuple[str, Callable[[], object]]]:
    """The notice citizens meet instead of the attract screen while the kiosk is out of service; runs last,
    so the help message is then drawn over it (help stays on this screen). The idle warning is drawn over
    the form, the task it interrupts: no idle watch runs on this screen."""
    def closed() -> None:
        if session.can(Event.HOME):
            session.fire(Event.HOME)
        session.set_closure(Closure(session.catalog.hall(ALTERNATIVE_HALL), CLOCK))

    return [("90-out-of-service", closed)]


def signature_png() -> bytes:
    """A name written on the real pad, as the citizen's finger would."""
    from PySide6.QtCore import QPointF

    from ui.signature import SignaturePad

    pad = SignaturePad("#000000", "#FFFFFF", "#888888", pen_px=5, ppi=96.0)
    pad.resize(900, 320)
    pad.strokes = [[QPointF(120 + 40 * i, 200 - (60 if i % 2 else 0) + 5 * i) for i in range(12)],
                   [QPointF(300, 90), QPointF(340, 260), QPointF(420, 120), QPointF(520, 240)]]
    return pad.png()


def _photographed_page() -> tuple[bytes, str]:
    """One page from the simulated document camera, through the real pipeline, taken once per walk."""
    from devices.doccam_simulator import PhotographedPages
    from devices.document_camera import DocumentCamera

    outcome = DocumentCamera(PhotographedPages()).capture()
    assert outcome.ok and outcome.value is not None, outcome
    return outcome.value


def _apply_steps(session: Session, controller: Controller,
                 page: tuple[bytes, str]) -> list[tuple[str, Callable[[], object]]]:
    """An application with every step after the form: materials (one photographed, one to follow, 容缺),
    告知承诺, the signature refused and given, review, and the receipt listing what is owed. Runs after
    _feedback_steps."""
    code = next(s.code for s in session.catalog.services
                if s.to_capture and s.offers_commitment and s.accept_missing and s.hours.is_open(CLOCK))
    service = session.catalog.get(code)
    who = sample_identity()
    form = sample_form(service, who)
    (owed, _), (shown, _) = service.to_capture[:2]

    def to_materials() -> None:
        session.fire(Event.HOME)
        session.fire(Event.START)
        session.choose_service(code)
        session.fire(Event.APPLY)
        session.identified(who)
        session.submit_form(form)
        session.materials_done()          # next with nothing photographed: the mandatory one is named

    return [
        ("22-materials-problem", to_materials),
        ("23-materials-captured", lambda: (session.consent_to_photographs(True), session.captured(shown, *page),
                                           session.captured(owed, *page))),
        ("24-commitment", lambda: (session.supply_later(owed, True), session.materials_done())),
        ("25-sign-problem", lambda: (session.commit(), controller.steps.sign(None))),
        ("26-review-materials", lambda: session.signed(signature_png())),
        ("27-receipt-missing", lambda: (session.confirm(), session.stored(f"{KIOSK_ID}-20261125-0002"),
                                        session.printed("printer.paper_out"))),
    ]


def _settle(application, window: MainWindow) -> None:
    """Nested layouts (a panel shown inside a scrolling form) take a few turns of the loop to settle;
    the kiosk's own loop gives them those turns before the next frame reaches the glass. The letter
    keyboard slides in on its own clock: on a busy machine three turns could measure it with no keys."""
    from ui.keyboard import TextKeyboard

    for _ in range(3):
        application.processEvents()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(k.isVisibleTo(window) and not k.keys()
                                              for k in window.findChildren(TextKeyboard)):
        application.processEvents()
        time.sleep(0.01)


def _focus_text_field(window: MainWindow) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QWidget

    from ui.paging import Pages

    session = window.session
    assert session.service is not None
    field = next(f for f in session.service.fields if f.input is catalog.Input.PINYIN)  # Qt's keyboard: Chinese
    if not field.applies(session.form):     # a postal address: asked once post is chosen, so chosen here (the
        assert field.when is not None       # keyboard was drawn for a hidden field, under the mobile number's)
        session.edit_field(*field.when)
        window.render()
    typed = window.screen_widget.findChild(QWidget, f"field_{field.key}")
    for pages in window.screen_widget.findChildren(Pages):      # a question a page: its page first
        if any(block.isAncestorOf(typed) for block in pages.blocks):
            pages.show_block(next(block for block in pages.blocks if block.isAncestorOf(typed)))
    QTest.mouseClick(typed, Qt.MouseButton.LeftButton)     # a finger, as a citizen opens the keys (not the focus
    window.navigator.focus(typed)                           # alone: no focus signal reaches an inactive window)


@dataclasses.dataclass(frozen=True)
class Frame:
    """One screen as rendered: what the screenshots save and the audit measures."""
    screen: str
    mode: str
    language: str
    size: tuple[int, int]
    window: MainWindow
    announcement: str


def walk(modes: dict[str, tuple[str, str]], sizes=SIZES, ppi: float = 0.0, screens: str = "*") -> Iterator[Frame]:
    """Every screen of the citizen path (the idle warning over the form), then help, per size and mode.
    screens (a glob of names) keeps only those: the steps before still drive the session, but only the
    screens kept are drawn, so one screen renders in seconds."""
    from fnmatch import fnmatch

    from PySide6.QtCore import QEvent

    from tooling import face_samples, identity_samples, online_samples
    from ui import app as qtapp
    from ui.access import Access
    from ui.bridge import Bridge
    from ui.controller import Controller
    from ui.mainwindow import MainWindow

    application = qtapp.qapp()
    page = _photographed_page()
    cat, calendar = catalog.load(), workdays.load()
    with tempfile.TemporaryDirectory() as tmp:
        outbox = Outbox(open_database(Path(tmp) / "kiosk.db"), KIOSK_ID)
        bridge = Bridge()
        for width, height in sizes:
            for mode, (language, profile_name) in modes.items():
                session = Session(cat, calendar, KIOSK_ID, language, PROFILES[profile_name], clock=lambda: CLOCK)
                controller = Controller(session, outbox, None, bridge,    # no centre: the walk sets its answers
                                        alternative_hall=session.catalog.hall(ALTERNATIVE_HALL))
                window = MainWindow(controller, 120, 20, lock_close=False, access=Access(ppi=ppi))
                window.resize(width, height)
                window.show()
                tr = session.translator
                for name, step in (_steps(session) + _feedback_steps(session) + _apply_steps(session, controller, page)
                                   + face_samples.steps(session, sample_identity())
                                   + online_samples.steps(session, sample_identity())
                                   + identity_samples.steps(session, sample_identity(), signature_png)
                                   + _out_of_service_steps(session)):
                    window.resize(width, height)    # each screen judged at the kiosk's size, not a grown one's
                    step()
                    drawn = fnmatch(name, screens) or (name == "06-form" and any(
                        fnmatch(over, screens) for over in ("06-form-keyboard", *OVER_THE_FORM)))
                    if drawn:
                        window.render()
                        # again once drawn: a screen not drawn (--screen) may have left the window grown, and
                        # its minimum size held the resize above (one screen alone rendered wider than the walk)
                        window.resize(width, height)
                        _settle(application, window)
                    if fnmatch(name, screens):
                        yield Frame(name, mode, language, (width, height), window,
                                    voice.announcement(session, tr, controller.printing))
                    if name == "02-services" and session.profile.assisted:    # the simpler list's second step
                        session.browse(session.domain.value)
                        if fnmatch("02-services-category", screens):
                            window.render()
                            _settle(application, window)
                            yield Frame("02-services-category", mode, language, (width, height), window,
                                        voice.announcement(session, tr, controller.printing))
                    for over in OVER_THE_FORM if name == "06-form" else ():    # over the task it interrupts
                        if fnmatch(over, screens):
                            cover, said = _over_the_form(over, window)
                            _settle(application, window)
                            yield Frame(over, mode, language, (width, height), window, said)
                            cover.hide()
                    if name == "06-form" and fnmatch("06-form-keyboard", screens):   # the form taking letters
                        _focus_text_field(window)
                        _settle(application, window)
                        yield Frame("06-form-keyboard", mode, language, (width, height), window,
                                    voice.announcement(session, tr, controller.printing))
                if fnmatch("13-help", screens):     # help stays on the out-of-service screen
                    window.render()
                    window.show_help(Answer.OFFLINE.value)     # the longest stage: the network down, 12345
                    _settle(application, window)
                    yield Frame("13-help", mode, language, (width, height), window, tr.t("help.call.offline"))
                window.close()
                window.deleteLater()
                application.sendPostedEvents(None, QEvent.DeferredDelete)   # its app-wide filters go now
        bridge.shutdown()


OVER_THE_FORM = ("12-idle-warning", "12-leave-question")     # notices drawn over the part-filled form


def _over_the_form(name: str, window: MainWindow) -> tuple[QWidget, str]:
    """Shows the notice name over the form; returns it (to hide after) and what the voice says."""
    tr = window.session.translator
    if name == "12-idle-warning":
        seconds = window.timeouts[window.session.profile.assisted][1]
        window.show_idle_warning(seconds)
        return window.overlay, tr.t("voice.idle", seconds=seconds)
    window.leave()          # 首页 in the header, the form part-filled: asked first
    return window.help, f"{tr.t('leave.question')} {tr.t('leave.detail')}"


def parse_size(text: str) -> tuple[int, int]:
    """'1920x1080' → (1920, 1080)."""
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise ValueError(f"{text!r} is not WIDTHxHEIGHT")
    return int(width), int(height)


def render_all(outdir: Path, ppi: float = 0.0, screens: str = "*", modes: Iterable[str] = (),
               sizes: Iterable[tuple[int, int]] = ()) -> list[Path]:
    """The citizen's screens (and, unless screens or modes narrow them, the technician's) as PNGs; screens, modes
    and sizes narrow it to what is being worked on (sizes, to one run per core). An unknown mode is a ValueError
    naming the known ones."""
    chosen = list(modes) or list(MODES)
    unknown = [m for m in chosen if m not in MODES]
    if unknown:
        raise ValueError(f"unknown mode {', '.join(unknown)}: one of {', '.join(MODES)}")
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for frame in walk({m: MODES[m] for m in chosen}, tuple(sizes) or SIZES, ppi=ppi, screens=screens):
        width, height = frame.size
        path = outdir / f"{frame.screen}-{width}x{height}-{frame.mode}.png"
        frame.window.grab().save(str(path))
        written.append(path)
    if (screens, tuple(modes)) != ("*", ()):
        return written
    from tooling import technician_screenshots as technician
    written += technician.render(outdir, tuple(sizes) or SIZES)
    from tooling import technician_ops_screenshots as ops_screenshots
    written += ops_screenshots.render(outdir, tuple(sizes) or SIZES)
    return written
