"""Fictional answers of the centre for the online screens in `kiosk24 screenshots` and the audit:
what a citizen would meet, without a case store running."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from kiosk import a4_printing, catalog, online_flow
from kiosk.application import CHINA_TZ
from kiosk.catalog import Localized as L
from kiosk.catalog import ServiceKind
from kiosk.identity import Identity
from kiosk.online import Benefit, Booking, CertifiedDocument, DocumentCheck, Progress, Record, RecordRow, Slot, Step
from kiosk.outcome import Outcome
from kiosk.ports import A4Status
from kiosk.print_status import Printing, PrintStatus
from kiosk.session import Event, Intent, Session
from tooling.samples import ALTERNATIVE_HALL, KIOSK_ID

AT = dt.datetime(2026, 11, 25, 10, 30, tzinfo=CHINA_TZ)


def record(code: str) -> Record:
    rows = ((L("查询内容", "Searched"), L("本人名下机动车违法记录", "Violations of vehicles in my name")),
            (L("号牌号码", "Plate"), L("豫S12345")),
            (L("未处理违法", "Unsettled violations"), L("1 条", "1")),
            (L("违法1", "Violation 1"), L("2026-10-08 民权路：机动车违反规定停放，罚款100元，记0分",
                                          "2026-10-08: Illegal parking, fine CNY 100, 0 points")),
            (L("驾驶证累积记分", "Licence points this year"), L("3 分", "3")))
    return Record(code, L("交通违法记录", "Traffic violation record"), tuple(RecordRow(a, b) for a, b in rows),
                  "3F9A12C07B4E", AT, demo=False)   # as a live centre answers


def document(code: str) -> CertifiedDocument:
    """What the centre answers for a certified document (as a live centre answers: not demo); the PDF itself
    is not shown, only printed."""
    return CertifiedDocument("ZM202611250004718263", "7KQ3MX9DPA2HW5TR", code,
                             L("社会保险参保缴费证明", "Social insurance contribution certificate"),
                             L("信阳市社会保险中心", "Xinyang Social Insurance Centre"), AT, 1,
                             verify_url="https://zwfw.xinyang.example/verify/7KQ3MX9DPA2HW5TR", demo=False,
                             pdf=b"%PDF-")


def check() -> DocumentCheck:
    return DocumentCheck("7KQ3MX9DPA2HW5TR", L("社会保险参保缴费证明", "Social insurance contribution certificate"),
                         L("信阳市社会保险中心", "Xinyang Social Insurance Centre"), AT, "王** 4115**********1234",
                         valid=True)


def progress() -> Progress:
    steps = (Step("received", AT - dt.timedelta(days=3)), Step("accepted", AT - dt.timedelta(days=2)),
             Step("in_progress", AT - dt.timedelta(days=1), "已转交信阳市公安局审核"))
    return Progress("XY20261122-00000042", f"{KIOSK_ID}-20261122-0003", "1141150041700231981000117011000",
                    "in_progress", dt.date(2026, 12, 4), steps)


def benefits() -> tuple[Benefit, ...]:
    return (Benefit("elderly_allowance", L("高龄津贴", "Old-age allowance (80 and over)"),
                    L("每月 100 元", "CNY 100 a month"),
                    L("民政部门已根据户籍信息自动核定，无需申请，也无需到场。",
                      "Civil affairs have confirmed it from the household register: no application, no visit."),
                    L("每季度首月 15 日前发放至本人社会保障卡。",
                      "Paid to your social security card by the 15th of each quarter's first month.")),
            Benefit("medical_insurance_subsidy", L("城乡居民医保参保补贴", "Subsidy for residents' medical insurance"),
                    L("个人缴费部分由财政全额资助", "Your own contribution is paid in full by the state"),
                    L("医疗保障部门按困难群众名单自动资助参保，您无需缴费。",
                      "The healthcare security office enrols you from the assistance list: you pay nothing."),
                    L("直接抵扣下一年度个人缴费，不发放现金。",
                      "Set against next year's contribution; no cash is paid.")))


def slots() -> tuple[Slot, ...]:
    """The centre's slots at the sample kiosk's hall, named as the catalog names it (as the demo centre does)."""
    hall = catalog.load().hall(ALTERNATIVE_HALL)
    times = (("09:00", "10:30", 4, 2), ("10:30", "12:00", 4, 0), ("14:30", "16:00", 4, 4), ("16:00", "17:30", 2, 1))
    return tuple(Slot(f"{hall.code}-{day:%Y%m%d}-{a.replace(':', '')}", hall.name, hall.address, day, a, b, cap, left)
                 for day in (dt.date(2026, 11, 26), dt.date(2026, 11, 27)) for a, b, cap, left in times)


def steps(session: Session, who: Identity) -> list[tuple[str, Callable[[], object]]]:
    """Every online screen: a query-print guide with the centre down, its result, the progress query
    (typed, refused, found), 免申即享 (found, none), an appointment and its slip."""
    query = next(s for s in session.catalog.services if s.kind is ServiceKind.QUERY_PRINT and s.fields)
    staffed = next(s for s in session.catalog.services if s.kind is not ServiceKind.QUERY_PRINT)
    def restart() -> None:
        session.fire(Event.HOME)
        session.fire(Event.START)

    def offline_guide() -> None:
        restart()
        session.choose_service(query.code)
        online_flow.centre_checked(session, False)

    def query_result() -> None:
        session.update_online(centre_online=True)
        session.apply_as(Intent.APPLY)
        session.identified(who)
        session.submit_form({f.key: f.choices[0].zh for f in query.fields if f.choices})
        online_flow.record_answered(session, Outcome.success(record(query.code)))
        session.update_online(printed=True)

    certified = next(s for s in session.catalog.services if s.a4_document)

    def printer_out_guide() -> None:
        restart()
        session.choose_service(certified.code)
        online_flow.centre_checked(session, True)
        online_flow.a4_checked(session, A4Status(False, ("media-empty",)))

    def no_slip_guide() -> None:        # nor a receipt printer: the hall and 12345 only
        session.device_health(a4_printing.RECEIPT_PRINTER, works=False)
        printer_out_guide()

    def jammed_mid_job() -> None:
        session.device_health(a4_printing.RECEIPT_PRINTER, works=True)
        session.update_online(a4_ready=True, a4_problem=None)
        session.show_problem(None)
        session.apply_as(Intent.APPLY)
        session.identified(who)
        session.submit_form({f.key: f.choices[0].zh for f in certified.fields if f.choices})
        online_flow.document_key(session)
        online_flow.document_answered(session, Outcome.success(document(certified.code)))
        online_flow.document_printed(session, Outcome.failure(a4_printing.reason_key("media-jam"), "media-jam"))

    def document_printed() -> None:
        session.update_online(a4_ready=True)
        session.apply_as(Intent.APPLY)
        session.identified(who)
        session.submit_form({f.key: f.choices[0].zh for f in certified.fields if f.choices})
        online_flow.document_key(session)
        online_flow.document_answered(session, Outcome.success(document(certified.code)))
        online_flow.document_printed(session, Outcome.success(1))

    def verify_problem() -> None:
        restart()
        session.fire(Event.VERIFY)
        session.update_online(check_code="7KQ3MX9DPA2HW5")
        online_flow.check_asked(session, session.online.check_code, typed=True)     # two characters short

    def progress_typed() -> None:
        restart()
        session.fire(Event.PROGRESS)
        session.update_online(case_number=f"{KIOSK_ID}-20261122-0003", id_tail="12345")
        session.show_problem(online_flow.typed_progress_problem(session))

    def benefits_found() -> None:
        restart()
        session.begin(Intent.BENEFITS, Event.BENEFITS)
        session.identified(who)
        online_flow.benefits_answered(session, Outcome.success(benefits()))

    def appointment() -> None:
        restart()
        session.choose_service(staffed.code)
        session.update_online(centre_online=True)
        session.begin(Intent.APPOINTMENT, Event.BOOK)
        session.identified(who)
        online_flow.slots_answered(session, Outcome.success(slots()))   # nothing chosen: the citizen picks

    def booked() -> None:
        online_flow.choose_slot(session, slots()[0].slot_id)
        session.update_online(mobile="13812345678")
        online_flow.booked(session, Outcome.success(Booking("YY20261126000007", staffed.code, slots()[0])))
        session.update_online(printed=True)

    return [
        ("41-detail-centre-down", offline_guide),
        ("42-query-result", query_result),
        ("43-progress-problem", progress_typed),
        ("44-progress-result", lambda: (online_flow.progress_answered(session, Outcome.success(progress())))),
        ("45-benefits", benefits_found),
        ("46-benefits-none", lambda: session.update_online(benefits=())),
        ("47-appointment", appointment),
        ("47-appointment-chosen", lambda: (online_flow.choose_slot(session, slots()[3].slot_id),
                                           session.update_online(mobile="138"))),    # the number half typed
        ("48-appointment-done", booked),
        ("49-document-printer-out", printer_out_guide),
        ("49-document-printer-out-no-slip", no_slip_guide),
        ("49-document-not-printed", jammed_mid_job),
        ("49-document-slip-printed", lambda: (session.update_online(slip=PrintStatus(Printing.PRINTED)))),
        ("49-document-printed", lambda: (session.fire(Event.HOME), session.fire(Event.START),
                                         session.choose_service(certified.code), document_printed())),
        ("49-verify-problem", verify_problem),
        ("49-verify-document", lambda: online_flow.check_answered(session, Outcome.success(check()))),
    ]
