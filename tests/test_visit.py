"""A visit is one value the session replaces whole when it ends: nothing of the citizen outlives it.

The state machine's own rules are in test_session.py; here: what the end of a visit leaves behind (in the
session, and in every object of a real kiosk), the kiosk's state kept apart from the visit, and the
session's fields changed only through its methods."""
from __future__ import annotations

import ast
import dataclasses
import gc
import sys
import types
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from kiosk import catalog
from kiosk.application import PNG_MAGIC
from kiosk.catalog import FieldType
from kiosk.closure import Closure
from kiosk.session import Event, InvalidTransition, KioskState, Session, State, Visit
from tests.fixtures.core import NOW, make_identity
from tests.fixtures.kiosk import KioskUnderTest, resident_card, sign_and_submit
from tests.test_apply_end_to_end import UNEMPLOYMENT

ROOT = Path(__file__).resolve().parents[1]
MOBILE = "13987650123"
ADDRESS = "羊山新区新七大道88号5栋1402室"       # in no catalog: only this citizen typed it


def at_review(session: Session) -> None:
    session.fire(Event.START)
    session.choose_service("T-001")
    session.fire(Event.APPLY)
    session.identified(make_identity())
    session.submit_form({"id_number": make_identity().id_number, "mobile": MOBILE})
    session.signed(PNG_MAGIC + b"drawn")
    assert session.state is State.REVIEW


def snapshot(session: Session) -> dict[str, object]:
    """Every field of the visit (copied), and the state: what a refused call must leave as it was."""
    return {"state": session.state, **{f.name: repr(getattr(session.visit, f.name)) + str(getattr(
        session.visit, f.name)) for f in dataclasses.fields(Visit)}}


def test_confirm_checks_the_transition_before_it_changes_anything(session: Session) -> None:
    at_review(session)
    session.fire(Event.BACK)                       # on the form: nothing to confirm here
    before = snapshot(session)
    with pytest.raises(InvalidTransition):
        session.confirm()
    assert snapshot(session) == before and session.application is None and session.applications == []

    session.submit_form(dict(session.form))
    session.signed(PNG_MAGIC + b"drawn")
    application = session.confirm()                # and on the review it goes through
    assert session.state is State.SUBMITTING and session.applications == [application]
    before = snapshot(session)
    with pytest.raises(InvalidTransition):         # a second tap while it is written makes no second one
        session.confirm()
    assert snapshot(session) == before and session.application is application


def test_a_refused_choice_changes_nothing(session: Session) -> None:
    session.fire(Event.START)
    session.choose_service("T-001")
    before = snapshot(session)
    with pytest.raises(InvalidTransition):         # a tap on a list no longer shown
        session.choose_service("T-002")
    assert snapshot(session) == before


def test_the_end_of_a_visit_replaces_it_whole(session: Session) -> None:
    """Compared field by field with a new visit: a field added later is covered without a line here."""
    at_review(session)
    session.set_language("en")
    visit = session.visit
    session.fire(Event.HOME)
    assert session.visit is not visit and session.state is State.ATTRACT
    fresh = Visit("zh_CN", session.kiosk.profile)
    for field in dataclasses.fields(Visit):
        assert getattr(session.visit, field.name) == getattr(fresh, field.name), field.name


def test_the_kiosk_state_outlives_every_visit(session: Session) -> None:
    closure = Closure(catalog.load().hall("SHQ"), NOW)
    session.set_closure(closure)
    assert session.device_health("idcard", works=False) and not session.device_health("idcard", works=False)
    session.wipe()
    assert session.kiosk == KioskState("zh_CN", session.kiosk.profile, closure, {"idcard"})
    assert session.closure is closure and session.unavailable_devices == {"idcard"}
    assert session.device_health("idcard", works=True) and session.unavailable_devices == frozenset()


def test_the_session_prints_its_state_as_an_enum_and_nothing_of_the_citizen(session: Session) -> None:
    at_review(session)
    shown = repr(session)
    assert shown.startswith("Session(State.REVIEW, Visit(service=T-001")
    for value in (make_identity().name, make_identity().id_number, MOBILE):
        assert value not in shown


def test_a_visit_field_cannot_be_written_from_outside(session: Session) -> None:
    with pytest.raises(AttributeError, match="through a Session method"):
        session.identity = make_identity()      # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        session.online.mobile = MOBILE          # type: ignore[misc]


def _writes_into_a_session(tree: ast.AST) -> Iterator[int]:
    """Lines assigning to `<...>session.<field>...` (or calling setattr on it): a visit written from outside."""
    def through_session(node: ast.expr) -> bool:
        while isinstance(node, ast.Attribute | ast.Subscript):
            node = node.value
            if isinstance(node, ast.Attribute) and node.attr in ("session", "_session"):
                return True
            if isinstance(node, ast.Name) and node.id in ("session", "_session"):
                return True
        return False

    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = [t for target in node.targets for t in (target.elts if isinstance(target, ast.Tuple)
                                                               else [target])]
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
            targets = [node.args[0]] if node.args else []
            targets = [ast.Attribute(value=t, attr="_") for t in targets]
        if any(through_session(t) for t in targets):
            yield node.lineno


def test_only_the_session_writes_its_fields() -> None:
    """ui/, tooling/ and the flows in kiosk/ call the session's methods; kiosk/session.py alone assigns."""
    found = [f"{path.relative_to(ROOT)}:{line}"
             for package in ("ui", "kiosk", "sync", "devices", "tooling")
             for path in sorted((ROOT / package).rglob("*.py")) if path != ROOT / "kiosk" / "session.py"
             for line in _writes_into_a_session(ast.parse(path.read_text(encoding="utf-8")))]
    assert found == []


def test_the_check_for_writes_finds_one() -> None:
    """The scan above would see each way of writing a field from outside."""
    code = ("self.session.problem = 'x'\nsession.online.mobile, y = '1', 2\nsetattr(ctx.session.feedback, 'a', 1)\n"
            "self.session.form['k'] = 'v'\nsession.fire(Event.HOME)\nproblem = session.problem\n")
    assert sorted(_writes_into_a_session(ast.parse(code))) == [1, 2, 3, 4]


# -- nothing of an ended visit is reachable from a real kiosk ----------------------------------------------
def _reachable(roots: Iterable[object]) -> Iterator[object]:
    """Every object the roots lead to by reference, as the garbage collector sees references, without
    entering modules, classes and code (they hold the program, not a visit): a function is followed into
    its closure and defaults but not its module's globals."""
    module_dicts = {id(vars(m)) for m in list(sys.modules.values()) if m is not None and hasattr(m, "__dict__")}
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        item = stack.pop()
        if id(item) in seen or id(item) in module_dicts:
            continue
        seen.add(id(item))
        if isinstance(item, types.ModuleType | type | types.CodeType):
            continue
        yield item
        if isinstance(item, types.FunctionType):
            stack.extend([item.__closure__, item.__defaults__, item.__kwdefaults__, item.__dict__])
        else:
            stack.extend(gc.get_referents(item))


def _qt_texts(app: KioskUnderTest) -> Iterator[str]:
    """What Qt holds on the C++ side for every widget: texts, descriptions, tooltips, typed values."""
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.allWidgets():
        for getter in ("text", "toPlainText", "placeholderText", "toolTip", "accessibleName",
                       "accessibleDescription", "windowTitle", "statusTip", "whatsThis"):
            value = getattr(widget, getter, None)
            if callable(value):
                text = value()
                if isinstance(text, str):
                    yield text
        for name in widget.dynamicPropertyNames():
            try:
                value = widget.property(bytes(name).decode())
            except RuntimeError:        # a C++ type PySide cannot show (Qt's own): not a value we set
                continue
            if isinstance(value, str):
                yield value


def _leftovers(app: KioskUnderTest, texts: list[str], blobs: list[bytes]) -> list[str]:
    """Which of the citizen's values the kiosk still holds, and where: "<kind> <value>", the kind a Python
    str or bytes (UTF-8, UTF-16, GBK) or a Qt text, a blob named by its position in blobs."""
    from PySide6.QtWidgets import QApplication

    gc.collect()
    found: set[str] = set()
    encoded = [(text, text.encode(codec)) for text in texts for codec in ("utf-8", "utf-16-le", "gbk")]
    roots = [app.kiosk, *QApplication.allWidgets()]
    for item in _reachable(roots):
        if isinstance(item, str):
            found.update(f"str {text}" for text in texts if text in item)
        elif isinstance(item, bytes | bytearray):
            found.update(f"bytes {text}" for text, raw in encoded if raw in item)
            found.update(f"bytes blob{index}" for index, blob in enumerate(blobs)
                         if len(item) >= len(blob) and blob in item)
    for shown in _qt_texts(app):
        found.update(f"Qt {text}" for text in texts if text in shown)
    return sorted(found)


def _walk_a_visit(app: KioskUnderTest) -> tuple[list[str], list[bytes]]:
    """An application with photographed materials and a drawn signature, through the real widgets, to
    the receipt; returns what the citizen gave: their card's values and typed ones, and the images."""
    service = app.session.catalog.get(UNEMPLOYMENT)
    (owed, _), (card, _) = service.to_capture
    app.tap("Primary")
    app.wait_state(State.SERVICES)
    app.tap("Domain", domain=service.domain.value)
    app.tap("Service", code=service.code)
    app.tap("Primary")
    app.wait_state(State.IDENTIFY)
    app.tap("demo_insert")
    app.wait_state(State.FORM)
    for field in service.fields:
        if field.type is FieldType.CHOICE:
            app.tap(f"choice_{field.key}_0")
        elif field.type is FieldType.ADDRESS:
            app.field(field.key).insert(ADDRESS)            # committed by the input method
    app.type_digits("mobile", MOBILE)
    app.type_digits("left_on", "20261101")
    app.tap("Primary")
    app.wait_state(State.MATERIALS)
    app.tap("PhotoConsent")
    app.tap("capture", material=str(card))
    app.qtbot.waitUntil(lambda: card in app.session.captures, timeout=10_000)
    app.tap("later", material=str(owed))
    app.tap("Primary")
    app.wait_state(State.COMMITMENT)
    app.tap("Primary", role="commit")
    sign_and_submit(app)
    app.printer.wait_for(1, timeout=10)
    app.qtbot.waitUntil(lambda: not app.kiosk.controller.printing, timeout=10_000)
    citizen = resident_card()
    submitted = app.session.application
    assert submitted is not None and submitted.applicant.id_number == citizen.id_number
    texts = [citizen.name, citizen.id_number, citizen.address, MOBILE, ADDRESS]
    assert {MOBILE, ADDRESS, citizen.id_number} <= set(submitted.form.values())
    blobs = [a.data for a in submitted.attachments]          # the photographed page and the drawn signature
    assert len(blobs) == 2 and blobs[-1].startswith(PNG_MAGIC)
    return texts, blobs


@pytest.mark.gui
def test_nothing_of_an_ended_visit_is_reachable_from_the_kiosk(kiosk_app: KioskUnderTest) -> None:
    app = kiosk_app
    texts, blobs = _walk_a_visit(app)
    held = {found.split(" ", 1)[1] for found in _leftovers(app, texts, blobs)}
    assert held == {*texts, "blob0", "blob1"}                    # while it lasts the walk finds each value
    app.reader.remove()                                          # the citizen takes their card back
    app.tap("Primary")                                           # finished: on to the rating ...
    app.wait_state(State.RATING)
    app.tap("Skip")                                              # ... which they skip
    app.wait_state(State.ATTRACT)
    app.qtbot.wait(200)                                          # the attract screen drawn, old widgets deleted
    assert _leftovers(app, texts, blobs) == []
