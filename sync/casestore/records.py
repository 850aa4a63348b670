"""Query and print (查询打印): the record a citizen asks for at the kiosk, shown and printed there.

DEMO DATA. The reference case store is connected to no tax, social-insurance, housing-fund,
real-estate, power-grid, water, gas, market-regulation or traffic-police system. The records below are made up, derived
deterministically from the ID number (a SHA-256 of it seeds the numbers), so a demo and the tests see
the same answers every time. A deployment replaces `record_for` with calls to those systems; the API
stays as it is.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, HTTPException, Request, status
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker

from kiosk.application import CHINA_TZ
from sync.casestore import people
from sync.casestore.answers import REFUSED
from sync.casestore.card_proof import CardProofs
from sync.casestore.demo_data import SeededNumbers, Text, t
from sync.casestore.lookup_quota import Quota
from sync.signing import TIMESTAMP_HEADER
from sync.wire import QueryIn


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


EMPLOYERS = (t("信阳市明港食品有限公司", "Xinyang Minggang Foods Co., Ltd."),
             t("信阳毛尖茶业集团有限公司", "Xinyang Maojian Tea Group Co., Ltd."),
             t("河南信阳建工集团有限公司", "Henan Xinyang Construction Group Co., Ltd."),
             t("浉河区民权路街道社区卫生服务中心", "Minquan Road Community Health Centre, Shihe District"))
STREETS = ("民权路", "新华路", "中山路", "东方红大道", "新七大道", "四一路")


def _address(rng: SeededNumbers) -> Text:
    street, number, unit, room = rng.choice(STREETS), rng.randint(1, 199), rng.randint(1, 6), rng.randint(101, 1802)
    zh = f"信阳市浉河区{street}{number}号{unit}单元{room}室"
    return t(zh, f"Unit {unit}-{room}, No. {number} {street}, Shihe District, Xinyang")


def _months_ago(today: dt.date, months: int) -> str:
    index = today.year * 12 + today.month - 1 - months
    return f"{index // 12}-{index % 12 + 1:02d}"


Row = tuple[Text, Text]
Make = Callable[[SeededNumbers, dict[str, str], dt.date], tuple[Text, list[Row]]]


def _social_insurance(rng: SeededNumbers, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    months = rng.randint(24, 360)
    base = rng.randint(3500, 9000)
    return t("社会保险个人权益记录", "Social insurance personal record"), [
        (t("打印内容", "Content"), t(form.get("content", "社会保险参保证明"))),
        (t("查询期间", "Period"), t(form.get("period", "近12个月"))),
        (t("参保单位", "Employer"), rng.choice(EMPLOYERS)),
        (t("参保状态", "Status"), t("正常参保", "Insured, contributions current")),
        (t("养老保险累计缴费", "Pension contributions"), t(f"{months} 个月", f"{months} months")),
        (t("月缴费基数", "Monthly contribution base"), t(f"{base:,} 元", f"CNY {base:,}")),
        (t("个人账户累计储存额", "Personal account balance"), t(f"{rng.money(8000, 160000)} 元")),
        (t("最近缴费月份", "Last month paid"), t(_months_ago(today, 1))),
    ]


def _income_tax(rng: SeededNumbers, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    return t("个人所得税纳税记录", "Individual income tax payment record"), [
        (t("开具期间", "Period"), t(form.get("period", "近12个月"))),
        (t("扣缴义务人", "Withholding agent"), rng.choice(EMPLOYERS)),
        (t("收入合计", "Total income"), t(f"{rng.money(40000, 180000)} 元")),
        (t("已缴税额", "Tax paid"), t(f"{rng.money(0, 9000)} 元")),
        (t("最近入库日期", "Last paid into the treasury"), t(f"{_months_ago(today, 1)}-15")),
    ]


def _tax_certificate(rng: SeededNumbers, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    return t("税收完税证明（表格式）", "Tax payment certificate"), [
        (t("税种", "Tax"), t(form.get("tax_type", "契税"))),
        (t("税款所属期", "Tax period"), t(_months_ago(today, rng.randint(1, 11)))),
        (t("实缴金额", "Amount paid"), t(f"{rng.money(300, 30000)} 元")),
        (t("原凭证号", "Original voucher"), t(f"3414{rng.randint(10**13, 10**14 - 1)}")),
    ]


def _medical_insurance(rng: SeededNumbers, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    return t("基本医疗保险参保凭证", "Basic medical insurance enrolment certificate"), [
        (t("险种", "Scheme"), t(form.get("scheme", "城乡居民基本医疗保险"))),
        (t("查询期间", "Period"), t(form.get("period", "本年度"))),
        (t("参保状态", "Status"), t("参保缴费", "Enrolled, contributions paid")),
        (t("参保起始年月", "Insured since"), t(_months_ago(today, rng.randint(24, 240)))),
        (t("本年度个人缴费", "Own contributions this year"), t(f"{rng.money(380, 3600)} 元")),
    ]


def _real_estate(rng: SeededNumbers, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    area = rng.randint(6000, 16000) / 100
    mortgaged = rng.random() < 0.5
    return t("不动产登记信息查询结果", "Real estate registration record"), [
        (t("查询范围", "Scope"), t(form.get("scope", "本人名下不动产"))),
        (t("坐落", "Location"), _address(rng)),
        (t("不动产单元号", "Property unit number"), t(f"411502{rng.randint(10**12, 10**13 - 1)}F0001")),
        (t("建筑面积", "Floor area"), t(f"{area:.2f} 平方米", f"{area:.2f} m²")),
        (t("用途", "Use"), t("住宅", "Residential")),
        (t("抵押状况", "Mortgage"), t("有抵押", "Mortgaged") if mortgaged else t("无", "None")),
        (t("查封状况", "Seizure"), t("无", "None")),
    ]


def _property_status(rng: SeededNumbers, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    homes = rng.choice((0, 0, 1, 1, 2))
    owned = t("有房", "Owns a home") if homes else t("无房", "Owns no home")
    return t("不动产权属状况证明", "Property ownership status certificate"), [
        (t("用途", "Purpose"), t(form.get("purpose", "其他"))),
        (t("查询范围", "Area searched"), t("信阳市中心城区", "Central Xinyang")),
        (t("登记住房", "Registered homes"), t(f"{homes} 套", f"{homes}")),
        (t("结论", "Result"), owned),
    ]


def _housing_fund(rng: SeededNumbers, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    base = rng.randint(3000, 9000)
    return t("住房公积金个人缴存证明", "Housing provident fund contribution certificate"), [
        (t("打印内容", "Content"), t(form.get("content", "缴存证明"))),
        (t("缴存单位", "Employer"), rng.choice(EMPLOYERS)),
        (t("账户状态", "Account"), t("正常缴存", "Contributions current")),
        (t("缴存基数", "Contribution base"), t(f"{base:,} 元", f"CNY {base:,}")),
        (t("月缴存额（单位+个人）", "Monthly contribution (employer + own)"), t(f"{base * 0.24:,.2f} 元")),
        (t("账户余额", "Balance"), t(f"{rng.money(2000, 120000)} 元")),
        (t("缴至年月", "Paid up to"), t(_months_ago(today, 1))),
    ]


def _electricity(rng: SeededNumbers, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    used = rng.randint(80, 600)
    return t("居民电费账单", "Household electricity bill"), [
        (t("户号", "Account"), t(form.get("account") or f"41{rng.randint(10**8, 10**9 - 1)}")),
        (t("用电地址", "Address"), _address(rng)),
        (t("账单月份", "Month"), t(_months_ago(today, 1))),
        (t("用电量", "Used"), t(f"{used} 千瓦时", f"{used} kWh")),
        (t("电费", "Charge"), t(f"{used * 0.56:,.2f} 元")),
        (t("缴费状态", "Payment"), t("已缴清", "Paid")),
    ]


def _exit_entry(rng: SeededNumbers, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    state = rng.choice((t("制证中", "Being made"), t("已签发，可领取", "Issued, ready to collect")))
    return t("出入境证件办理进度", "Exit-entry document progress"), [
        (t("证件类型", "Document"), t(form.get("document_type", "普通护照"))),
        (t("受理日期", "Accepted on"), t((today - dt.timedelta(days=rng.randint(2, 9))).isoformat())),
        (t("办理状态", "Status"), state),
        (t("领取方式", "Collection"), t("邮政速递", "By post (EMS)")),
    ]


VIOLATIONS = ((t("机动车违反禁止标线指示", "Crossing a no-crossing road marking"), 100, 3),
              (t("机动车违反规定停放", "Illegal parking"), 100, 0),
              (t("驾驶机动车不按导向车道行驶", "Not keeping to the lane for the direction taken"), 100, 2))


def _traffic(rng: SeededNumbers, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    count = rng.choice((0, 0, 1, 2))
    rows = [(t("查询内容", "Searched"), t(form.get("scope", "本人名下机动车违法记录"))),
            (t("号牌号码", "Plate"), t(f"豫S{rng.randint(10000, 99999)}")),
            (t("未处理违法", "Unsettled violations"), t(f"{count} 条", f"{count}"))]
    for index in range(count):
        what, fine, points = rng.choice(VIOLATIONS)
        day = today - dt.timedelta(days=rng.randint(3, 120))
        rows.append((t(f"违法{index + 1}", f"Violation {index + 1}"), t(
            f"{day.isoformat()} {rng.choice(STREETS)}：{what.zh}，罚款{fine}元，记{points}分",
            f"{day.isoformat()}: {what.en}, fine CNY {fine}, {points} points")))
    points = rng.randint(0, 6)
    rows.append((t("驾驶证累积记分", "Licence points this year"), t(f"{points} 分", f"{points}")))
    return t("交通违法记录", "Traffic violation record"), rows


def _medical_account(rng: SeededNumbers, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    return t("医保个人账户明细", "Medical insurance account statement"), [
        (t("查询期间", "Period"), t(form.get("period", "近 1 年"))),
        (t("账户余额", "Balance"), t(f"{rng.money(100, 9000)} 元")),
        (t("本期划入", "Paid in"), t(f"{rng.money(300, 3000)} 元")),
        (t("本期支出", "Spent"), t(f"{rng.money(0, 2000)} 元")),
        (t("缴费至", "Paid up to"), t(_months_ago(today, 1))),
    ]


def _vehicle_tax(rng: SeededNumbers, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    return t("车船税完税证明", "Vehicle and vessel tax certificate"), [
        (t("纳税年度", "Tax year"), t(form.get("year", str(today.year)))),
        (t("号牌号码", "Plate"), t(f"豫S{rng.randint(10000, 99999)}")),
        (t("税额", "Tax"), t(f"{rng.choice((360, 420, 480))}.00 元")),
        (t("缴纳方式", "Paid by"), t("交强险代收代缴", "Collected with the compulsory insurance")),
    ]


def _home_contract(rng: SeededNumbers, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    number = form.get("contract_number") or f"XYWQ{today.year}{rng.randint(100000, 999999)}"
    return t("商品房合同网签备案信息", "New home contract record"), [
        (t("合同编号", "Contract"), t(number)),
        (t("房屋坐落", "Address"), _address(rng)),
        (t("备案状态", "Status"), t("已备案", "On record")),
        (t("备案日期", "Recorded on"), t((today - dt.timedelta(days=rng.randint(30, 900))).isoformat())),
    ]


def _utility_bill(title: Text, unit: Text, price: float) -> Make:
    """A water or gas bill: the same shape, the utility's own words and price."""
    def make(rng: SeededNumbers, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
        used = rng.randint(5, 40)
        return title, [
            (t("户号", "Account"), t(form.get("account") or f"{rng.randint(10**9, 10**10 - 1)}")),
            (t("地址", "Address"), _address(rng)),
            (t("账单月份", "Month"), t(_months_ago(today, 1))),
            (t("用量", "Used"), t(f"{used} {unit.zh}", f"{used} {unit.en}")),
            (t("应缴金额", "Amount due"), t(f"{used * price:,.2f} 元")),
        ]
    return make


CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")       # GB 32100: no I, O, S, V, Z
LICENCE_AUTHORITY = t("信阳市浉河区市场监督管理局", "Shihe District Administration for Market Regulation, Xinyang")
TRADES = (t("日用百货、预包装食品销售", "Sale of daily goods and packaged food"),
          t("茶叶种植、加工及销售", "Growing, processing and selling tea"),
          t("餐饮服务", "Catering"))


def _business_licence(rng: SeededNumbers, form: dict[str, str], today: dt.date) -> tuple[Text, list[Row]]:
    """A company whose legal representative is the identified citizen (a document names them as such).
    Every value is marked 演示数据: a made-up credit code could be a real firm's."""
    typed = form.get("credit_code", "").strip().upper()
    code = typed if CREDIT_CODE.match(typed) else f"91411502MA{rng.randint(10**7, 10**8 - 1)}"
    street = rng.choice(STREETS)
    return t("营业执照", "Business licence"), [
        (t("统一社会信用代码", "Unified social credit code"), t(f"{code}（演示数据）", f"{code} (demo data)")),
        (t("名称", "Name"), t(f"信阳市{street}商贸有限公司（演示数据）", f"Xinyang {street} Trading Co. (demo data)")),
        (t("类型", "Type"), t("有限责任公司（自然人独资）", "Limited liability company (one natural person)")),
        (t("经营范围", "Business scope"), rng.choice(TRADES)),
        (t("成立日期", "Registered on"), t((today - dt.timedelta(days=rng.randint(200, 4000))).isoformat())),
        (t("住所", "Domicile"), _address(rng)),
        (t("登记机关", "Registered by"), LICENCE_AUTHORITY),
    ]


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
    "11411500MB1C29607K2000117342000": _medical_account,
    "11411500417004883P2000117352000": _vehicle_tax,
    "1241150041710562532000117362000": _home_contract,
    "91411500MA40000AAX2000117371000": _utility_bill(t("居民水费账单", "Household water bill"), t("吨", "t"), 2.9),
    "91411500MA40000BB22000117381000": _utility_bill(t("居民燃气费账单", "Household gas bill"), t("立方米", "m³"), 2.8),
    "11411500MB1D00000X2000117391000": _business_licence,
}


def record_for(body: QueryIn, now: dt.datetime) -> QueryRecord | None:
    """The (demo) record a query asks for, or None if the service is no query service here."""
    make = RECORDS.get(body.service_code)
    if make is None:
        return None
    rng = SeededNumbers(body.id_number, body.service_code)
    title, rows = make(rng, body.form, now.astimezone(CHINA_TZ).date())
    code = hashlib.sha256(f"{body.service_code}:{body.id_number}:{now.date()}".encode()).hexdigest()[:12].upper()
    return QueryRecord(service_code=body.service_code, title=title,
                       rows=[RecordRow(label=label, value=value) for label, value in rows],
                       verification_code=code, issued_at=now, demo=True)


def router(sessions: sessionmaker[Session], calling_kiosk: Any, proofs: CardProofs) -> APIRouter:
    api = APIRouter(prefix="/api/v1")
    quota = Quota(sessions)

    @api.post("/queries", responses={403: {"description": "No proof that the card was read in this visit."},
                                     404: {"description": "Not a query service of this centre."},
                                     409: {"description": "The name is not the one on record for the ID number."},
                                     429: {"description": "Too many look-ups from this kiosk or for this person."},
                                     **REFUSED})
    def query(body: QueryIn, request: Request, kiosk: str = calling_kiosk) -> QueryRecord:
        """A query-and-print record (查询打印) for the identified citizen; demo data, see the module.
        Only with proof the card was read in this visit (sync/casestore/card_proof.py), checked first so a
        request without one uses up nobody's look-ups; counted per kiosk and per ID number
        (sync/casestore/lookup_quota.py), a wrong name too (sync/casestore/people.py)."""
        now = dt.datetime.now(dt.UTC)
        if body.service_code not in RECORDS:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "not a query service")
        proofs.check(body.id_number, body.proof, request.headers.get(TIMESTAMP_HEADER, ""), now)
        exhausted = quota.take(kiosk, body.id_number, now)
        if exhausted:
            raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, exhausted)
        people.check(body.id_number, body.name)
        record = record_for(body, now)
        if record is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "not a query service")
        return record

    return api
