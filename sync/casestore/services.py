"""Online services a kiosk asks the centre for while the citizen waits: query-and-print records
(查询打印), benefits without application (免申即享, article 23), appointments at a service hall
(预约, article 24) and the progress query by the last six characters of the applicant's ID number.

DEMO DATA. The reference case store is connected to no tax, social-insurance, housing-fund,
real-estate, power-grid or traffic-police system, nor to a civil-affairs benefits register. The
records and benefits below are made up, derived deterministically from the ID number (a SHA-256 of
it seeds the numbers), so a demo and the tests see the same answers every time. A deployment
replaces `record_for` and `benefits_for` with calls to those systems; the API stays as it is.
Appointment slots and bookings are real: places are counted in the database.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import random
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, HTTPException, Response, status
from pydantic import UUID7, BaseModel, Field, StringConstraints
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from kiosk import workdays
from kiosk.application import CHINA_TZ
from sync.casestore.app import UUID7_PATTERN, Progress, ShortText, progress_of
from sync.casestore.db import Application, Booking, ProgressFailure, SlotUsage

IdNumber = Annotated[str, StringConstraints(pattern=r"^[0-9]{17}[0-9X]$")]
Mobile = Annotated[str, StringConstraints(pattern=r"^1[0-9]{10}$")]
IdTail = Annotated[str, StringConstraints(pattern=r"^[0-9]{5}[0-9Xx]$")]

MAX_FAILURES = 5                          # wrong ID tails per kiosk and case ...
FAILURE_WINDOW = dt.timedelta(hours=1)    # ... within this long, then the case is locked for the kiosk
BOOKING_DAYS = 2                          # working days ahead that can be booked, from tomorrow
BOOKING_PREFIX = "YY"


class Text(BaseModel):
    """One text in both languages of the kiosk."""

    zh: str
    en: str


def _t(zh: str, en: str | None = None) -> Text:
    return Text(zh=zh, en=zh if en is None else en)


# -- query and print --------------------------------------------------------------------------------------

class QueryIn(BaseModel):
    service_code: ShortText = Field(description="A query_print service (查询打印事项) of the catalog.")
    id_number: IdNumber = Field(description="The identified citizen's resident ID number, read from the card.")
    name: ShortText = Field(description="Name as on the card.")
    form: dict[str, Annotated[str, StringConstraints(max_length=128)]] = Field(
        default={}, max_length=16, description="The service's form fields by key, as the catalog defines them.")


class RecordRow(BaseModel):
    label: Text
    value: Text


class QueryRecord(BaseModel):
    """A record to show and print. demo is true while the data is made up (see the module's notes)."""

    service_code: str
    title: Text
    rows: list[RecordRow]
    verification_code: str = Field(description="Printed on the record; checks it at the issuing department.")
    issued_at: dt.datetime
    demo: bool


class _Rng(random.Random):
    """Numbers that depend on the ID number and the service only: the same person gets the same record."""

    def __init__(self, id_number: str, salt: str) -> None:
        super().__init__(int.from_bytes(hashlib.sha256(f"{salt}:{id_number}".encode()).digest()[:8], "big"))

    def money(self, low: int, high: int) -> str:
        return f"{self.randint(low * 100, high * 100) / 100:,.2f}"


EMPLOYERS = (_t("信阳市明港食品有限公司", "Xinyang Minggang Foods Co., Ltd."),
             _t("信阳毛尖茶业集团有限公司", "Xinyang Maojian Tea Group Co., Ltd."),
             _t("河南信阳建工集团有限公司", "Henan Xinyang Construction Group Co., Ltd."),
             _t("浉河区民权路街道社区卫生服务中心", "Minquan Road Community Health Centre, Shihe District"))
STREETS = ("民权路", "新华路", "中山路", "东方红大道", "新七大道", "四一路")


def _address(rng: _Rng) -> Text:
    street, number, unit, room = rng.choice(STREETS), rng.randint(1, 199), rng.randint(1, 6), rng.randint(101, 1802)
    zh = f"信阳市浉河区{street}{number}号{unit}单元{room}室"
    return _t(zh, f"Unit {unit}-{room}, No. {number} {street}, Shihe District, Xinyang")


def _months_ago(today: dt.date, months: int) -> str:
    index = today.year * 12 + today.month - 1 - months
    return f"{index // 12}-{index % 12 + 1:02d}"


Row = tuple[Text, Text]
Make = Callable[[_Rng, dict[str, str], dt.date], tuple[Text, list[Row]]]


def _social_insurance(rng: _Rng, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    months = rng.randint(24, 360)
    base = rng.randint(3500, 9000)
    return _t("社会保险个人权益记录", "Social insurance personal record"), [
        (_t("打印内容", "Content"), _t(form.get("content", "社会保险参保证明"))),
        (_t("查询期间", "Period"), _t(form.get("period", "近12个月"))),
        (_t("参保单位", "Employer"), rng.choice(EMPLOYERS)),
        (_t("参保状态", "Status"), _t("正常参保", "Insured, contributions current")),
        (_t("养老保险累计缴费", "Pension contributions"), _t(f"{months} 个月", f"{months} months")),
        (_t("月缴费基数", "Monthly contribution base"), _t(f"{base:,} 元", f"CNY {base:,}")),
        (_t("个人账户累计储存额", "Personal account balance"), _t(f"{rng.money(8000, 160000)} 元")),
        (_t("最近缴费月份", "Last month paid"), _t(_months_ago(today, 1))),
    ]


def _income_tax(rng: _Rng, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    return _t("个人所得税纳税记录", "Individual income tax payment record"), [
        (_t("开具期间", "Period"), _t(form.get("period", "近12个月"))),
        (_t("扣缴义务人", "Withholding agent"), rng.choice(EMPLOYERS)),
        (_t("收入合计", "Total income"), _t(f"{rng.money(40000, 180000)} 元")),
        (_t("已缴税额", "Tax paid"), _t(f"{rng.money(0, 9000)} 元")),
        (_t("最近入库日期", "Last paid into the treasury"), _t(f"{_months_ago(today, 1)}-15")),
    ]


def _tax_certificate(rng: _Rng, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    return _t("税收完税证明（表格式）", "Tax payment certificate"), [
        (_t("税种", "Tax"), _t(form.get("tax_type", "契税"))),
        (_t("税款所属期", "Tax period"), _t(_months_ago(today, rng.randint(1, 11)))),
        (_t("实缴金额", "Amount paid"), _t(f"{rng.money(300, 30000)} 元")),
        (_t("原凭证号", "Original voucher"), _t(f"3414{rng.randint(10**13, 10**14 - 1)}")),
    ]


def _medical_insurance(rng: _Rng, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    return _t("基本医疗保险参保凭证", "Basic medical insurance enrolment certificate"), [
        (_t("险种", "Scheme"), _t(form.get("scheme", "城乡居民基本医疗保险"))),
        (_t("查询期间", "Period"), _t(form.get("period", "本年度"))),
        (_t("参保状态", "Status"), _t("参保缴费", "Enrolled, contributions paid")),
        (_t("参保起始年月", "Insured since"), _t(_months_ago(today, rng.randint(24, 240)))),
        (_t("本年度个人缴费", "Own contributions this year"), _t(f"{rng.money(380, 3600)} 元")),
    ]


def _real_estate(rng: _Rng, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    area = rng.randint(6000, 16000) / 100
    mortgaged = rng.random() < 0.5
    return _t("不动产登记信息查询结果", "Real estate registration record"), [
        (_t("查询范围", "Scope"), _t(form.get("scope", "本人名下不动产"))),
        (_t("坐落", "Location"), _address(rng)),
        (_t("不动产单元号", "Property unit number"), _t(f"411502{rng.randint(10**12, 10**13 - 1)}F0001")),
        (_t("建筑面积", "Floor area"), _t(f"{area:.2f} 平方米", f"{area:.2f} m²")),
        (_t("用途", "Use"), _t("住宅", "Residential")),
        (_t("抵押状况", "Mortgage"), _t("有抵押", "Mortgaged") if mortgaged else _t("无", "None")),
        (_t("查封状况", "Seizure"), _t("无", "None")),
    ]


def _property_status(rng: _Rng, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    homes = rng.choice((0, 0, 1, 1, 2))
    owned = _t("有房", "Owns a home") if homes else _t("无房", "Owns no home")
    return _t("不动产权属状况证明", "Property ownership status certificate"), [
        (_t("用途", "Purpose"), _t(form.get("purpose", "其他"))),
        (_t("查询范围", "Area searched"), _t("信阳市中心城区", "Central Xinyang")),
        (_t("登记住房", "Registered homes"), _t(f"{homes} 套", f"{homes}")),
        (_t("结论", "Result"), owned),
    ]


def _housing_fund(rng: _Rng, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    base = rng.randint(3000, 9000)
    return _t("住房公积金个人缴存证明", "Housing provident fund contribution certificate"), [
        (_t("打印内容", "Content"), _t(form.get("content", "缴存证明"))),
        (_t("缴存单位", "Employer"), rng.choice(EMPLOYERS)),
        (_t("账户状态", "Account"), _t("正常缴存", "Contributions current")),
        (_t("缴存基数", "Contribution base"), _t(f"{base:,} 元", f"CNY {base:,}")),
        (_t("月缴存额（单位+个人）", "Monthly contribution (employer + own)"), _t(f"{base * 0.24:,.2f} 元")),
        (_t("账户余额", "Balance"), _t(f"{rng.money(2000, 120000)} 元")),
        (_t("缴至年月", "Paid up to"), _t(_months_ago(today, 1))),
    ]


def _electricity(rng: _Rng, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    used = rng.randint(80, 600)
    return _t("居民电费账单", "Household electricity bill"), [
        (_t("户号", "Account"), _t(form.get("account") or f"41{rng.randint(10**8, 10**9 - 1)}")),
        (_t("用电地址", "Address"), _address(rng)),
        (_t("账单月份", "Month"), _t(_months_ago(today, 1))),
        (_t("用电量", "Used"), _t(f"{used} 千瓦时", f"{used} kWh")),
        (_t("电费", "Charge"), _t(f"{used * 0.56:,.2f} 元")),
        (_t("缴费状态", "Payment"), _t("已缴清", "Paid")),
    ]


def _exit_entry(rng: _Rng, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    state = rng.choice((_t("制证中", "Being made"), _t("已签发，可领取", "Issued, ready to collect")))
    return _t("出入境证件办理进度", "Exit-entry document progress"), [
        (_t("证件类型", "Document"), _t(form.get("document_type", "普通护照"))),
        (_t("受理日期", "Accepted on"), _t((today - dt.timedelta(days=rng.randint(2, 9))).isoformat())),
        (_t("办理状态", "Status"), state),
        (_t("领取方式", "Collection"), _t("邮政速递", "By post (EMS)")),
    ]


VIOLATIONS = ((_t("机动车违反禁止标线指示", "Crossing a no-crossing road marking"), 100, 3),
              (_t("机动车违反规定停放", "Illegal parking"), 100, 0),
              (_t("驾驶机动车不按导向车道行驶", "Not keeping to the lane for the direction taken"), 100, 2))


def _traffic(rng: _Rng, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    count = rng.choice((0, 0, 1, 2))
    rows = [(_t("查询内容", "Searched"), _t(form.get("scope", "本人名下机动车违法记录"))),
            (_t("号牌号码", "Plate"), _t(f"豫S{rng.randint(10000, 99999)}")),
            (_t("未处理违法", "Unsettled violations"), _t(f"{count} 条", f"{count}"))]
    for index in range(count):
        what, fine, points = rng.choice(VIOLATIONS)
        day = today - dt.timedelta(days=rng.randint(3, 120))
        rows.append((_t(f"违法{index + 1}", f"Violation {index + 1}"), _t(
            f"{day.isoformat()} {rng.choice(STREETS)}：{what.zh}，罚款{fine}元，记{points}分",
            f"{day.isoformat()}: {what.en}, fine CNY {fine}, {points} points")))
    points = rng.randint(0, 6)
    rows.append((_t("驾驶证累积记分", "Licence points this year"), _t(f"{points} 分", f"{points}")))
    return _t("交通违法记录", "Traffic violation record"), rows


# The catalog's query_print services (kiosk/data/catalog.json) and how each record is made.
TRAFFIC = "1141150041700231982000117052000"
RECORDS: dict[str, Make] = {
    "1141150041700395202000117061000": _social_insurance,
    "11411500417004883P2000117021000": _income_tax,
    "11411500417004883P2000117024000": _tax_certificate,
    "11411500MB1C29607K2000117081000": _medical_insurance,
    "1241150041710562532000117101000": _real_estate,
    "1241150041710562532000117104000": _property_status,
    "12411500417008163P2000117121000": _housing_fund,
    "91411500175672394C2000117131000": _electricity,
    "1141150041700231982000117045000": _exit_entry,
    TRAFFIC: _traffic,
}


def record_for(body: QueryIn, now: dt.datetime) -> QueryRecord | None:
    """The (demo) record a query asks for, or None if the service is no query service here."""
    make = RECORDS.get(body.service_code)
    if make is None:
        return None
    rng = _Rng(body.id_number, body.service_code)
    title, rows = make(rng, body.form, now.astimezone(CHINA_TZ).date())
    code = hashlib.sha256(f"{body.service_code}:{body.id_number}:{now.date()}".encode()).hexdigest()[:12].upper()
    return QueryRecord(service_code=body.service_code, title=title,
                       rows=[RecordRow(label=label, value=value) for label, value in rows],
                       verification_code=code, issued_at=now, demo=True)


# -- benefits without application (免申即享) ----------------------------------------------------------------

class BenefitsIn(BaseModel):
    id_number: IdNumber
    name: ShortText


class Benefit(BaseModel):
    """A policy the person is entitled to without applying: what it gives, what happens next, when money comes."""

    code: str
    name: Text
    amount: Text
    next_step: Text
    payment: Text


class Benefits(BaseModel):
    benefits: list[Benefit] = Field(description="Empty when nothing applies to the person.")
    demo: bool


def _age(id_number: str, today: dt.date) -> int | None:
    try:
        born = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def benefits_for(id_number: str, today: dt.date) -> list[Benefit]:
    """Age from the ID number; the rest (a household register, low income) is demo chance by the number."""
    age = _age(id_number, today)
    rng = _Rng(id_number, "benefits")
    only_child_parent, subsidised = rng.random() < 0.5, rng.random() < 0.3
    found = []
    if age is not None and age >= 80:
        monthly = 100 if age < 90 else 200 if age < 100 else 500
        found.append(Benefit(
            code="elderly_allowance", name=_t("高龄津贴", "Old-age allowance (80 and over)"),
            amount=_t(f"每月 {monthly} 元", f"CNY {monthly} a month"),
            next_step=_t("民政部门已根据户籍信息自动核定，无需申请，也无需到场。",
                         "Civil affairs have confirmed it from the household register: no application, no visit."),
            payment=_t("每季度首月 15 日前发放至本人社会保障卡。",
                       "Paid to your social security card by the 15th of each quarter's first month.")))
    if age is not None and age >= 60 and only_child_parent:
        found.append(Benefit(
            code="only_child_parent", name=_t("独生子女父母奖励", "Reward for parents of an only child"),
            amount=_t("每年 960 元", "CNY 960 a year"),
            next_step=_t("卫生健康部门已核对计划生育档案，自动纳入发放名单。",
                         "The health commission checked the family-planning records and added you to the list."),
            payment=_t("每年 6 月底前一次性发放至本人社会保障卡。",
                       "Paid once a year, by the end of June, to your social security card.")))
    if subsidised:
        found.append(Benefit(
            code="medical_insurance_subsidy",
            name=_t("城乡居民医保参保补贴", "Subsidy for residents' medical insurance"),
            amount=_t("个人缴费部分由财政全额资助", "Your own contribution is paid in full by the state"),
            next_step=_t("医疗保障部门按困难群众名单自动资助参保，您无需缴费。",
                         "The healthcare security office enrols you from the assistance list: you pay nothing."),
            payment=_t("直接抵扣下一年度个人缴费，不发放现金。",
                       "Set against next year's contribution; no cash is paid.")))
    return found


# -- appointments at a service hall (预约) --------------------------------------------------------------------

HALLS: dict[str, tuple[Text, Text]] = {
    "XYZX": (_t("信阳市政务服务中心", "Xinyang Government Service Centre"),
             _t("信阳市羊山新区新七大道 99 号", "99 Xinqi Avenue, Yangshan New District")),
    "SHQ": (_t("浉河区政务服务中心", "Shihe District Government Service Centre"),
            _t("信阳市浉河区四一路 8 号", "8 Siyi Road, Shihe District")),
}
# (starts, ends, places): the last hour of the day is short-staffed, so it has fewer places.
TIMES = ((dt.time(9, 0), dt.time(10, 30), 4), (dt.time(10, 30), dt.time(12, 0), 4),
         (dt.time(14, 30), dt.time(16, 0), 4), (dt.time(16, 0), dt.time(17, 30), 2))


class Slot(BaseModel):
    slot_id: str = Field(description="hall-YYYYMMDD-HHMM")
    hall: Text
    address: Text
    date: dt.date
    starts: str = Field(description="HH:MM, China time.")
    ends: str
    capacity: int
    left: int = Field(description="Places still free.")


class Slots(BaseModel):
    slots: list[Slot]


class AppointmentIn(BaseModel):
    key: UUID7 = Field(json_schema_extra={"pattern": UUID7_PATTERN},
                       description="The kiosk's UUIDv7 for this booking; a retry returns the same booking.")
    slot_id: Annotated[str, StringConstraints(max_length=64)]
    service_code: ShortText
    id_number: IdNumber
    name: ShortText
    mobile: Mobile


class Appointment(BaseModel):
    booking_number: str
    service_code: str
    slot: Slot
    duplicate: bool = Field(description="True when the key was booked already: nothing new was taken.")


def offered_days(today: dt.date, calendar: workdays.Calendar) -> list[dt.date]:
    days, day = [], today
    while len(days) < BOOKING_DAYS:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            days.append(day)
    return days


def _slot(hall: str, day: dt.date, starts: dt.time, ends: dt.time, capacity: int, booked: int) -> Slot:
    name, address = HALLS[hall]
    return Slot(slot_id=f"{hall}-{day:%Y%m%d}-{starts:%H%M}", hall=name, address=address, date=day,
                starts=f"{starts:%H:%M}", ends=f"{ends:%H:%M}", capacity=capacity, left=max(0, capacity - booked))


def _booked(session: Session, ids: list[str]) -> dict[str, int]:
    return dict(session.execute(select(SlotUsage.slot_id, SlotUsage.booked).where(SlotUsage.slot_id.in_(ids))).all())


def slots_on_offer(session: Session, today: dt.date, calendar: workdays.Calendar) -> list[Slot]:
    plan = [(hall, day, starts, ends, places) for day in offered_days(today, calendar) for hall in HALLS
            for starts, ends, places in TIMES]
    booked = _booked(session, [f"{hall}-{day:%Y%m%d}-{starts:%H%M}" for hall, day, starts, _, _ in plan])
    return [_slot(hall, day, starts, ends, places, booked.get(f"{hall}-{day:%Y%m%d}-{starts:%H%M}", 0))
            for hall, day, starts, ends, places in plan]


class SlotFull(Exception):
    pass


def _book(sessions: sessionmaker[Session], kiosk: str, body: AppointmentIn, slot: Slot) -> tuple[Booking, bool]:
    """Take one place of the slot and record the booking, in one transaction; a repeated key takes nothing."""
    key = str(body.key)
    for _attempt in range(3):       # a concurrent first booking of the slot, or of the same key: look again
        try:
            with sessions.begin() as session:
                existing = session.scalar(select(Booking).where(Booking.key == key))
                if existing is not None:
                    return existing, True
                taken = session.execute(update(SlotUsage)
                                        .where(SlotUsage.slot_id == slot.slot_id, SlotUsage.booked < slot.capacity)
                                        .values(booked=SlotUsage.booked + 1)).rowcount
                if not taken:
                    if session.get(SlotUsage, slot.slot_id) is not None:
                        raise SlotFull(slot.slot_id)
                    session.add(SlotUsage(slot_id=slot.slot_id, booked=1))
                now = dt.datetime.now(dt.UTC)
                row = Booking(key=key, kiosk_id=kiosk, slot_id=slot.slot_id, service_code=body.service_code,
                              name=body.name, id_number=body.id_number, mobile=body.mobile, at=now)
                session.add(row)
                session.flush()
                row.booking_number = f"{BOOKING_PREFIX}{slot.date:%Y%m%d}{row.id:06d}"
            return row, False
        except IntegrityError:
            continue
    raise RuntimeError("booking kept colliding")


# -- progress by the ID number's last six characters ----------------------------------------------------------

class ProgressLookupIn(BaseModel):
    case_number: Annotated[str, StringConstraints(min_length=1, max_length=128)] = Field(
        description="The number on the receipt (the kiosk's) or the central one.")
    id_tail: IdTail = Field(description="The last six characters of the applicant's ID number.")


def _progress_by_tail(sessions: sessionmaker[Session], number: str, tail: str) -> Progress | None:
    """The case if its applicant's ID number ends so; the same None for an unknown case and a wrong tail."""
    with sessions() as session:
        rows = session.scalars(select(Application)
                               .where(or_(Application.case_number == number, Application.kiosk_case_number == number))
                               .options(selectinload(Application.history))).all()
        for row in rows:
            own = str(json.loads(row.payload)["applicant"]["id_number"])[-6:].upper()
            if hmac.compare_digest(own.encode(), tail.upper().encode()):
                return progress_of(row)
    return None


def _failures(sessions: sessionmaker[Session], kiosk: str, number: str, since: dt.datetime) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(ProgressFailure).where(
            ProgressFailure.kiosk_id == kiosk, ProgressFailure.case_number == number,
            ProgressFailure.at > since)) or 0


def router(sessions: sessionmaker[Session], calling_kiosk: object, refused: dict) -> APIRouter:
    """The online services' operations, all for enrolled kiosks only."""
    api = APIRouter(prefix="/api/v1")
    calendar = workdays.load()

    @api.post("/queries", responses={404: {"description": "Not a query service of this centre."}, **refused})
    def query(body: QueryIn, kiosk: str = calling_kiosk) -> QueryRecord:
        """A query-and-print record (查询打印) for the identified citizen; demo data, see the module."""
        record = record_for(body, dt.datetime.now(dt.UTC))
        if record is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "not a query service")
        return record

    @api.post("/benefits", responses=refused)
    def benefits(body: BenefitsIn, kiosk: str = calling_kiosk) -> Benefits:
        """Benefits the person receives without applying (免申即享); demo data, see the module."""
        return Benefits(benefits=benefits_for(body.id_number, dt.datetime.now(CHINA_TZ).date()), demo=True)

    @api.get("/slots", responses=refused)
    def slots(kiosk: str = calling_kiosk) -> Slots:
        """Appointment slots at the service halls over the next working days, with the places left."""
        with sessions() as session:
            return Slots(slots=slots_on_offer(session, dt.datetime.now(CHINA_TZ).date(), calendar))

    @api.post("/appointments", status_code=status.HTTP_201_CREATED, response_description="Booked.",
              responses={200: {"model": Appointment, "description": "Already booked under this key: the same booking."},
                         404: {"description": "No such slot on offer."},
                         409: {"description": "The slot has no place left."}, **refused})
    def book(body: AppointmentIn, response: Response, kiosk: str = calling_kiosk) -> Appointment:
        """Book a place in a slot, once per key; places are never given twice."""
        with sessions() as session:
            slot = next((s for s in slots_on_offer(session, dt.datetime.now(CHINA_TZ).date(), calendar)
                         if s.slot_id == body.slot_id), None)
        if slot is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such slot on offer")
        try:
            row, duplicate = _book(sessions, kiosk, body, slot)
        except SlotFull:
            raise HTTPException(status.HTTP_409_CONFLICT, "the slot is fully booked") from None
        if duplicate:
            response.status_code = status.HTTP_200_OK
        with sessions() as session:         # the places left now, this booking counted
            slot = next((s for s in slots_on_offer(session, dt.datetime.now(CHINA_TZ).date(), calendar)
                         if s.slot_id == row.slot_id), slot)
        return Appointment(booking_number=row.booking_number, service_code=row.service_code, slot=slot,
                           duplicate=duplicate)

    @api.post("/progress-lookups",
              responses={404: {"description": "Unknown case, or not the applicant's ID number."},
                         429: {"description": "Too many wrong tries for this case from this kiosk; try later."},
                         **refused})
    def progress_by_id_tail(body: ProgressLookupIn, kiosk: str = calling_kiosk) -> Progress:
        """A progress query with the receipt's number and the last six characters of the applicant's ID
        number, for a citizen without the receipt's QR code. After MAX_FAILURES wrong tries within
        FAILURE_WINDOW the case answers 429 at this kiosk, so the six characters cannot be guessed."""
        now = dt.datetime.now(dt.UTC)
        if _failures(sessions, kiosk, body.case_number, now - FAILURE_WINDOW) >= MAX_FAILURES:
            raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, "too many wrong tries for this case")
        progress = _progress_by_tail(sessions, body.case_number, body.id_tail)
        if progress is None:
            with sessions.begin() as session:
                session.add(ProgressFailure(kiosk_id=kiosk, case_number=body.case_number, at=now))
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no case with this number and ID number")
        return progress

    return api
