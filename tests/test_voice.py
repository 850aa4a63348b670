"""Voice guidance: what each screen says, how Mandarin reaches espeak-ng, real synthesis, and silence."""
from __future__ import annotations

import shutil
import wave
from pathlib import Path

import pytest

from devices import speech
from devices.health import State as HealthState
from kiosk.application import PNG_MAGIC
from kiosk.feedback import Score
from kiosk.i18n import Translator
from kiosk.session import Event, Session, State
from kiosk.voice import announcement, spell

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")


@pytest.mark.parametrize("text, pinyin", [
    ("银行", "yin2 hang2"),              # espeak-ng's own reading: yin xing
    ("长辈模式", "zhang3 bei4 mo2 shi4"),   # espeak-ng: chang bei
    ("请重新放置", "qing3 chong2 xin1 fang4 zhi4"),
    ("20 秒后返回首页。", "20 miao3 hou4 fan3 hui2 shou3 ye4 ."),
])
def test_mandarin_becomes_tone_numbered_pinyin(text: str, pinyin: str) -> None:
    assert speech.to_pinyin(text) == pinyin


def test_numbers_to_note_down_are_spelled_and_masks_said_as_a_word() -> None:
    zh, en = Translator("zh_CN"), Translator("en")
    assert spell("XY-01", zh) == "X Y，0 1"
    assert spell("4115**********1239", en) == "4 1 1 5 hidden 1 2 3 9"
    # long runs in the groups a listener holds: a mobile number 3-4-4, a case number's date in fours
    assert spell("13812345678", en) == "1 3 8, 1 2 3 4, 5 6 7 8"
    assert spell("XY-DEMO-01-20261125-0001", zh) == "X Y，D E M O，0 1，2 0 2 6，1 1 2 5，0 0 0 1"
    assert spell("XY-DEMO-01-2026 1125-0001", zh) == spell("XY-DEMO-01-20261125-0001", zh)    # as printed or typed


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_screen_says_where_the_citizen_is(session: Session, identity, language: str) -> None:
    session.set_language(language)
    tr = session.translator
    said = {session.state: announcement(session, tr)}
    session.fire(Event.START)
    said[session.state] = announcement(session, tr)
    session.choose_service("T-001")
    said[session.state] = announcement(session, tr)
    session.fire(Event.APPLY)
    session.credential_problem("idcard.read_failed")
    said[session.state] = announcement(session, tr)
    assert tr.t("idcard.read_failed") in said[State.IDENTIFY]        # the problem on the glass is read too
    session.identified(identity)
    session.submit_form({"id_number": identity.id_number, "mobile": "1234"})
    said[session.state] = announcement(session, tr)
    assert tr.t("error.mobile") in said[State.FORM]
    session.submit_form({"id_number": identity.id_number, "mobile": "13812345678"})
    said[session.state] = announcement(session, tr)
    session.signed(PNG_MAGIC + b"drawn")
    said[session.state] = announcement(session, tr)
    assert spell("13812345678", tr) in said[State.REVIEW] and identity.id_number not in said[State.REVIEW]
    session.confirm()
    said[session.state] = announcement(session, tr)
    session.stored("XY-TEST-01-20261125-0001")
    said[session.state] = announcement(session, tr)
    assert spell("XY-TEST-01-20261125-0001", tr) in said[State.RECEIPT]
    session.fire(Event.FINISH)
    said[session.state] = announcement(session, tr)                  # 好差评: the five levels
    session.rate(Score.DISSATISFIED)
    said[session.state] = announcement(session, tr)
    assert tr.t("rating.score.2") in said[State.RATING_REASONS]
    session.fire(Event.COMPLAIN)
    session.complaint()                                              # nothing written: the problem is read
    said[session.state] = announcement(session, tr)
    assert tr.t("feedback.text_required") in said[State.COMPLAINT]
    session.fire(Event.BACK)
    session.feedback_sent()
    said[session.state] = announcement(session, tr)                  # thanks
    session.fire(Event.FINISH)
    session.fire(Event.COMPLAIN)
    session.feedback_sent()
    said[session.state] = announcement(session, tr)                  # the complaint's confirmation
    assert "12345" in said[State.COMPLAINT_SENT]
    passed_over = {State.MATERIALS, State.COMMITMENT}     # T-001 has neither: tests/test_apply.py hears them
    passed_over |= {State.QUERY_RESULT, State.PROGRESS, State.PROGRESS_RESULT, State.BENEFITS,   # online: heard
                    State.APPOINTMENT, State.APPOINTMENT_DONE}                                # in test_online_session
    passed_over |= {State.PRINCIPAL}      # 代为办理: heard in tests/test_identity_core.py
    passed_over |= {State.VERIFY_DOCUMENT}    # 文书核验: heard in tests/test_document_printing.py
    passed_over |= {State.FACE}           # 人证核验: heard in tests/test_face_session.py
    assert set(said) == set(State) - passed_over and all(text.strip() for text in said.values())


@needs_espeak
@pytest.mark.parametrize("language, text", [("zh_CN", "欢迎使用政务服务自助终端。"), ("en", "Welcome.")])
def test_espeak_ng_writes_a_wav_that_speaks(language: str, text: str) -> None:
    engine = speech.synthesizer("espeak-ng", 150)
    outcome = engine.synthesize(text, language, rate=1)
    assert outcome.ok, outcome.detail
    with wave.open(str(outcome.value)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
    assert 0.3 < seconds < 10
    assert engine.health().state is HealthState.OK


@needs_espeak
def test_slower_rate_takes_longer() -> None:
    engine = speech.synthesizer("espeak-ng", 150)

    def length(rate: int) -> float:
        with wave.open(str(engine.synthesize("请将居民身份证放在读卡区", "zh_CN", rate).value)) as wav:
            return wav.getnframes() / wav.getframerate()

    assert length(0) > length(1) > length(2)


@pytest.mark.skipif(not speech.LOWEST_PRIORITY, reason="no nice(1) on this machine")
def test_the_engine_runs_at_the_lowest_priority(tmp_path: Path) -> None:
    """The voice gives way to the screen: an engine that writes its own niceness where the WAV goes."""
    engine_path = tmp_path / "espeak-ng"
    engine_path.write_text('#!/bin/sh\nnice > "$6"\n', encoding="ascii")
    engine_path.chmod(0o755)
    engine = speech.EspeakNg(executable=str(engine_path))       # its folder, where the WAV goes, lives with it
    outcome = engine.synthesize("你好", "zh_CN", 1)
    assert outcome.ok, outcome
    assert outcome.value.read_text(encoding="ascii").strip() == "19"


def test_without_an_engine_the_kiosk_is_silent_and_says_so(tmp_path: Path) -> None:
    engine = speech.synthesizer("none", 150)
    assert engine.synthesize("你好", "zh_CN", 1).problem == "speech.absent"
    assert engine.health().state is HealthState.ABSENT
    missing = speech.EspeakNg(executable=str(tmp_path / "no-such-espeak"))
    assert missing.synthesize("你好", "zh_CN", 1).problem == "speech.failed"
    assert missing.health().state is HealthState.ABSENT
