"""The service catalog (政务服务事项): what a kiosk offers, modelled on the national item elements.

The catalog is data (JSON), bundled for the demo and pulled from the centre in the field; this
module turns it into frozen values and rejects a malformed catalog with a message naming the item.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kiosk.credentials import DEFAULT_ACCEPTED, Credential
from kiosk.punctuation import pair
from kiosk.workdays import Calendar


class Domain(enum.Enum):
    """The six domains of the kiosk's service list, in display order."""

    PUBLIC_SECURITY = "public_security"
    TAX = "tax"
    SOCIAL_SECURITY = "social_security"
    MEDICAL_INSURANCE = "medical_insurance"
    REAL_ESTATE = "real_estate"
    UTILITIES = "utilities"
    MARKET = "market"             # 市场监管: business licences


class ServiceKind(enum.Enum):
    QUERY_PRINT = "query_print"   # 查询打印
    APPLICATION = "application"   # 申请
    FILING = "filing"             # 备案


class FieldType(enum.Enum):
    TEXT = "text"
    MOBILE = "mobile"
    ID_NUMBER = "id_number"
    CHOICE = "choice"
    DATE = "date"          # typed on the keypad as YYYYMMDD, stored as YYYY-MM-DD
    NUMBER = "number"      # whole numbers on the keypad, within the field's minimum and maximum
    ADDRESS = "address"    # a long free text (an address, a description) on the letter keyboard


@dataclasses.dataclass(frozen=True)
class Localized:
    """One text in every language the kiosk speaks; Chinese is the fallback."""

    zh: str
    en: str = ""

    def get(self, lang: str) -> str:
        return self.en if lang.startswith("en") and self.en else self.zh

    @classmethod
    def parse(cls, raw: Any) -> Localized:
        if isinstance(raw, str):
            return cls(raw)
        return cls(str(raw["zh"]), str(raw.get("en", "")))


class ItemType(enum.Enum):
    """事项类型 of the national item elements (GB/T 39046): what kind of power or service the item is."""

    LICENSING = "licensing"              # 行政许可
    CONFIRMATION = "confirmation"        # 行政确认
    PAYMENT = "payment"                  # 行政给付
    LEVY = "levy"                        # 行政征收
    OTHER_POWER = "other_power"          # 其他行政权力
    PUBLIC_SERVICE = "public_service"    # 公共服务


class Delivery(enum.Enum):
    """How the result reaches the citizen (送达方式)."""

    PRINT_HERE = "print_here"            # 自助终端当场打印
    PICK_UP = "pick_up"                  # 窗口自取
    POST = "post"                        # 邮寄送达
    E_LICENCE = "e_licence"              # 电子证照


class Scope(enum.Enum):
    """通办范围 (article 17): where else the item is accepted."""

    CITY = "city"                        # 全市通办
    CROSS_CITY = "cross_city"            # 跨市通办 (within Henan, with partner cities)
    PROVINCE = "province"                # 全省通办
    CROSS_PROVINCE = "cross_province"    # 跨省通办


class Source(enum.Enum):
    """来源渠道 of a material."""

    APPLICANT = "applicant"              # 申请人自备
    ISSUED = "issued"                    # 政府部门核发
    SHARED = "shared"                    # 部门间共享获取，免提交
    THIRD_PARTY = "third_party"          # 其他机构出具（医院、单位、银行）


class Medium(enum.Enum):
    """纸质/电子: in which form a material is accepted."""

    PAPER = "paper"
    ELECTRONIC = "electronic"
    EITHER = "either"


# Xinyang's two districts and eight counties, with their English names: where an item's scope or hall may differ.
COUNTIES = {"浉河区": "Shihe District", "平桥区": "Pingqiao District", "罗山县": "Luoshan County",
            "光山县": "Guangshan County", "新县": "Xin County", "商城县": "Shangcheng County", "固始县": "Gushi County",
            "潢川县": "Huangchuan County", "淮滨县": "Huaibin County", "息县": "Xi County"}


@dataclasses.dataclass(frozen=True)
class Material:
    name: Localized
    originals: int = 1
    copies: int = 0
    mandatory: bool = True
    may_be_missing: bool = False     # 容缺: may be supplied after acceptance
    note: Localized = Localized("")
    capture: bool = False            # supplied at the kiosk, photographed on the document camera
    source: Source | None = None     # 来源渠道
    medium: Medium | None = None     # 纸质/电子
    spec: Localized = Localized("")          # 规格 (A4, 原件, 彩色照片 ...)
    instructions: Localized = Localized("")  # 填报须知
    blank_form: Localized = Localized("")    # the blank form (空白表格), where the item has one
    sample: Localized = Localized("")        # a filled-in sample (示例样表), where one exists


@dataclasses.dataclass(frozen=True)
class Step:
    """One step of the process (办理流程) and how long it takes."""

    name: Localized
    duration: Localized
    a4: bool = False        # the step prints on the A4 printer: while it is out, the guide must not promise it


@dataclasses.dataclass(frozen=True)
class CountyScope:
    """A county of Xinyang where the item differs: its scope there and what to know (which hall takes it)."""

    county: str                  # its Chinese name, one of COUNTIES
    scope: Scope
    note: Localized

    @property
    def name(self) -> Localized:
        return Localized(self.county, COUNTIES[self.county])


@dataclasses.dataclass(frozen=True)
class Guide:
    """The 办事指南 elements beyond what applying needs (GB/T 39046, as Henan's portal publishes them).

    demo: the facts were not checked against the published guide; the kiosk says so wherever it shows them."""

    item_type: ItemType | None = None
    statutory_limit: Localized = Localized("")   # 法定时限, as the law states it; the promise is time_limit_days
    fee_basis: Localized = Localized("")         # 收费依据
    payment: Localized = Localized("")           # how to pay
    place: Localized = Localized("")             # 办理地点
    hall: Hall | None = None                     # the hall whose windows take it: its hours are said with it
    consult_phone: str = ""                      # 咨询电话
    complaint_phone: str = ""                    # 监督投诉电话
    steps: tuple[Step, ...] = ()
    result: Localized = Localized("")            # 办理结果: what the citizen gets
    delivery: tuple[Delivery, ...] = ()
    visits: int | None = None                    # 到现场次数
    scope: Scope | None = None
    counties: tuple[CountyScope, ...] = ()       # where scope or hall differ by county
    version: str = ""                            # the item's version (事项版本)
    demo: bool = True


class Input(enum.Enum):
    """What a typed field's characters are, so that the screen gives it the keys that type them."""

    DIGITS = "digits"            # the phone keypad
    PHONE = "phone"              # the phone keypad
    ID_NUMBER = "id_number"      # the phone keypad with X (the check character)
    LATIN = "latin"              # capitals and digits on the code keypad: case, certificate numbers
    PINYIN = "pinyin"            # Chinese through pinyin on the letter keyboard

    @property
    def on_keypad(self) -> bool:
        """Typed on the phone keypad."""
        return self in (Input.DIGITS, Input.PHONE, Input.ID_NUMBER)


_INPUT_OF = {FieldType.TEXT: Input.PINYIN, FieldType.ADDRESS: Input.PINYIN, FieldType.MOBILE: Input.PHONE,
             FieldType.ID_NUMBER: Input.ID_NUMBER, FieldType.DATE: Input.DIGITS, FieldType.NUMBER: Input.DIGITS}


@dataclasses.dataclass(frozen=True)
class FormField:
    key: str
    type: FieldType
    label: Localized
    required: bool = True
    choices: tuple[Localized, ...] = ()
    help: Localized = Localized("")
    minimum: int | None = None       # NUMBER: the smallest and largest acceptable values
    maximum: int | None = None
    max_length: int = 0              # TEXT and ADDRESS: at most this many characters; 0: the type's default
    typed_as: Input | None = None    # a text that is a number (a bank card, 受理编号): its type's keys otherwise
    when: tuple[str, str] | None = None     # (field, choice): asked only when that field has that choice
    section: Localized = Localized("")      # whose question it is: a bundle member's service (一件事一次办)

    @property
    def named(self) -> Localized:
        """The question with its section, as it is named away from the form (review, voice, a summary)."""
        if not self.section.zh:
            return self.label
        return Localized(pair(self.section.zh, self.label.zh),
                         pair(self.section.en or self.section.zh, self.label.en or self.label.zh))

    def applies(self, form: Mapping[str, str]) -> bool:
        """Whether the answers given make this field part of the application (a postal address only
        when delivery by post was chosen)."""
        return self.when is None or form.get(self.when[0]) == self.when[1]

    @property
    def input(self) -> Input | None:
        """The keys this field is typed on; None for a choice."""
        return self.typed_as or _INPUT_OF.get(self.type)


@dataclasses.dataclass(frozen=True)
class Hours:
    """When a service can be done at the kiosk. None bounds mean around the clock."""

    opens: dt.time | None = None
    closes: dt.time | None = None
    weekdays_only: bool = False

    @property
    def always(self) -> bool:
        return self.opens is None and not self.weekdays_only

    def is_open(self, at: dt.datetime, calendar: Calendar | None = None) -> bool:
        """Working-day services follow the calendar when given: closed on a statutory holiday,
        open on a make-up Saturday, as the staff behind them are."""
        working = calendar.is_working_day(at.date()) if calendar else at.weekday() < 5
        if self.weekdays_only and not working:
            return False
        if self.opens is None or self.closes is None:
            return True
        return self.opens <= at.time() < self.closes


@dataclasses.dataclass(frozen=True)
class Hall:
    """A staffed service hall, defined once in the catalog: the guides, the appointment's slots and the kiosk's
    configured alternative (alternative_hall) name it by code, so every screen names it and its hours one way."""

    code: str
    name: Localized
    address: Localized
    sessions: tuple[Hours, ...]             # when its windows are open: a morning and an afternoon, say
    note: Localized = Localized("")         # what the sessions cannot say: "夏季下午 15:00–18:00"

    def is_open(self, at: dt.datetime, calendar: Calendar | None = None) -> bool:
        return any(session.is_open(at, calendar) for session in self.sessions)


@dataclasses.dataclass(frozen=True)
class Service:
    code: str
    name: Localized
    domain: Domain
    department: Localized
    kind: ServiceKind
    legal_basis: Localized
    conditions: Localized
    materials: tuple[Material, ...]
    time_limit_days: int             # promised completion, in working days; 0 = on the spot
    fee: Localized
    excluded_time: Localized = Localized("")   # art. 26: 现场勘查、专家评审… not counted in the time limit
    notify_commit: bool = False      # 告知承诺
    accept_missing: bool = False     # 容缺受理
    proxy_allowed: bool = False      # 代为办理
    hours: Hours = Hours()
    fields: tuple[FormField, ...] = ()
    high_risk: bool = False          # art. 18: 风险较大 items are excluded from 告知承诺, full materials instead
    commitment: Localized = Localized("")   # the commitment (承诺书) the citizen consents to, when offered
    missing_deadline_days: int = 0   # 容缺: working days to supply a missing material after acceptance
    credentials: tuple[Credential, ...] = DEFAULT_ACCEPTED   # what the citizen may identify with
    a4_document: bool = False        # a query whose record the centre issues as a signed A4 document (证明)
    guide: Guide = Guide()           # the rest of the 办事指南 (guide_gaps names what a catalog left out)
    face_check: bool = False         # 人证核验: the face at the kiosk matched to the credential's photo first

    @property
    def offers_commitment(self) -> bool:
        """告知承诺 applies: the item allows it and is not one of the high-risk exceptions."""
        return self.notify_commit and not self.high_risk

    @property
    def needs_signature(self) -> bool:
        """Applications and filings are signed on the screen (art. 22); a query prints at once."""
        return self.kind is not ServiceKind.QUERY_PRINT

    @property
    def to_capture(self) -> tuple[tuple[int, Material], ...]:
        """(position in materials, material) of those the citizen photographs here."""
        return tuple((index, m) for index, m in enumerate(self.materials) if m.capture)


@dataclasses.dataclass(frozen=True)
class Bundle:
    """一件事一次办 (article 15): several departments' services done in one visit, one application each.

    Shared fields are asked once and fill every member's field of the same key."""

    code: str
    name: Localized
    description: Localized
    members: tuple[str, ...]                 # service codes, each of another department
    shared_fields: tuple[FormField, ...] = ()


@dataclasses.dataclass(frozen=True)
class Catalog:
    version: str
    services: tuple[Service, ...]
    bundles: tuple[Bundle, ...] = ()
    halls: tuple[Hall, ...] = ()

    def hall(self, code: str) -> Hall:
        for hall in self.halls:
            if hall.code == code:
                return hall
        raise KeyError(code)

    def bundle(self, code: str) -> Bundle:
        for bundle in self.bundles:
            if bundle.code == code:
                return bundle
        raise KeyError(code)

    def by_domain(self, domain: Domain) -> list[Service]:
        return [s for s in self.services if s.domain is domain]

    def get(self, code: str) -> Service:
        for service in self.services:
            if service.code == code:
                return service
        raise KeyError(code)


class CatalogError(ValueError):
    """The catalog cannot be used; the message names the item and the field."""


def _time(raw: str | None) -> dt.time | None:
    return dt.time.fromisoformat(raw) if raw else None


def _material(raw: dict[str, Any]) -> Material:
    return Material(
        name=Localized.parse(raw["name"]),
        originals=int(raw.get("originals", 1)),
        copies=int(raw.get("copies", 0)),
        mandatory=bool(raw.get("mandatory", True)),
        may_be_missing=bool(raw.get("may_be_missing", False)),
        note=Localized.parse(raw.get("note", "")),
        capture=bool(raw.get("capture", False)),
        source=Source(raw["source"]) if "source" in raw else None,
        medium=Medium(raw["medium"]) if "medium" in raw else None,
        spec=Localized.parse(raw.get("spec", "")),
        instructions=Localized.parse(raw.get("instructions", "")),
        blank_form=Localized.parse(raw.get("blank_form", "")),
        sample=Localized.parse(raw.get("sample", "")),
    )


def _county(raw: dict[str, Any]) -> CountyScope:
    county = str(raw["county"])
    if county not in COUNTIES:
        raise ValueError(f"county: not a district or county of Xinyang ({', '.join(COUNTIES)})")
    return CountyScope(county, Scope(raw["scope"]), Localized.parse(raw.get("note", "")))


def _named_hall(code: object, halls: Mapping[str, Hall]) -> Hall:
    if code not in halls:
        raise ValueError(f"hall: {code!r} is none of the catalog's halls ({', '.join(halls) or 'none'})")
    return halls[str(code)]


def _session(raw: str, weekdays_only: bool) -> Hours:
    """'08:30-12:00': one stretch of a hall's day."""
    opens, closes = (_time(part.strip()) for part in raw.split("-"))
    if opens is None or closes is None or opens >= closes:
        raise ValueError(f"sessions: {raw!r} is not HH:MM-HH:MM")
    return Hours(opens, closes, weekdays_only)


def _halls(document: dict[str, Any]) -> dict[str, Hall]:
    """The catalog's staffed halls by code; a catalog from an older centre has none."""
    raws = document.get("halls", [])
    if not isinstance(raws, list):
        raise CatalogError("catalog halls must be a list")
    halls: dict[str, Hall] = {}
    for raw in raws:
        try:
            weekdays_only = bool(raw.get("weekdays_only", True))
            hall = Hall(str(raw["code"]), Localized.parse(raw["name"]), Localized.parse(raw.get("address", "")),
                        tuple(_session(s, weekdays_only) for s in raw["sessions"]),
                        Localized.parse(raw.get("note", "")))
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            named = raw.get("code", "?") if isinstance(raw, dict) else raw
            raise CatalogError(f"catalog hall {named}: {exc!r}") from exc
        if hall.code in halls or not hall.sessions:
            raise CatalogError(f"catalog hall {hall.code}: repeated, or without sessions")
        halls[hall.code] = hall
    return halls


def _guide(raw: dict[str, Any], halls: Mapping[str, Hall]) -> Guide:
    visits = raw.get("visits")
    if visits is not None and not 0 <= int(visits) <= 5:
        raise ValueError("visits: 0 to 5 visits to a hall")
    return Guide(
        item_type=ItemType(raw["item_type"]) if "item_type" in raw else None,
        statutory_limit=Localized.parse(raw.get("statutory_limit", "")),
        fee_basis=Localized.parse(raw.get("fee_basis", "")),
        payment=Localized.parse(raw.get("payment", "")),
        place=Localized.parse(raw.get("place", "")),
        hall=_named_hall(raw["hall"], halls) if "hall" in raw else None,
        consult_phone=str(raw.get("consult_phone", "")),
        complaint_phone=str(raw.get("complaint_phone", "")),
        steps=tuple(Step(Localized.parse(s["name"]), Localized.parse(s["duration"]), bool(s.get("a4", False)))
                    for s in raw.get("steps", ())),
        result=Localized.parse(raw.get("result", "")),
        delivery=tuple(Delivery(d) for d in raw.get("delivery", ())),
        visits=None if visits is None else int(visits),
        scope=Scope(raw["scope"]) if "scope" in raw else None,
        counties=tuple(_county(c) for c in raw.get("counties", ())),
        version=str(raw.get("version", "")),
        demo=bool(raw.get("demo", True)),
    )


# The guide's elements every item of a complete catalog carries (guide_gaps), and every material's.
GUIDE_ELEMENTS = ("item_type", "statutory_limit", "fee_basis", "payment", "place", "hall", "consult_phone",
                  "complaint_phone", "steps", "result", "delivery", "visits", "scope", "version")
MATERIAL_ELEMENTS = ("source", "medium", "spec", "instructions")


def _blank(value: object) -> bool:
    return value is None or value == () or value == "" or (isinstance(value, Localized) and not value.zh)


def guide_gaps(service: Service) -> list[str]:
    """The guide elements service lacks ("steps", "materials[2].spec" ...): empty for a complete guide. The
    parser takes a catalog without them (one pulled from an older centre); the bundled one has them all."""
    gaps = [name for name in GUIDE_ELEMENTS if _blank(getattr(service.guide, name))]
    gaps += [f"steps[{i}].duration" for i, step in enumerate(service.guide.steps) if not step.duration.zh]
    gaps += [f"materials[{i}].{name}" for i, material in enumerate(service.materials)
             for name in MATERIAL_ELEMENTS if _blank(getattr(material, name))]
    return gaps


def _bound(raw: Any) -> int | None:
    return None if raw is None else int(raw)


def _field(raw: dict[str, Any]) -> FormField:
    return FormField(
        key=str(raw["key"]),
        type=FieldType(raw["type"]),
        label=Localized.parse(raw["label"]),
        required=bool(raw.get("required", True)),
        choices=tuple(Localized.parse(c) for c in raw.get("choices", ())),
        help=Localized.parse(raw.get("help", "")),
        minimum=_bound(raw.get("minimum")),
        maximum=_bound(raw.get("maximum")),
        max_length=int(raw.get("max_length", 0)),
        typed_as=Input(raw["input"]) if "input" in raw else None,
        when=(str(raw["when"]["field"]), str(raw["when"]["is"])) if "when" in raw else None,
    )


def _service(raw: dict[str, Any], halls: Mapping[str, Hall]) -> Service:
    hours = raw.get("hours") or {}
    service = Service(
        code=str(raw["code"]),
        name=Localized.parse(raw["name"]),
        domain=Domain(raw["domain"]),
        department=Localized.parse(raw["department"]),
        kind=ServiceKind(raw["kind"]),
        legal_basis=Localized.parse(raw["legal_basis"]),
        conditions=Localized.parse(raw["conditions"]),
        materials=tuple(_material(m) for m in raw["materials"]),
        time_limit_days=int(raw["time_limit_days"]),
        fee=Localized.parse(raw["fee"]),
        excluded_time=Localized.parse(raw.get("excluded_time", "")),
        notify_commit=bool(raw.get("notify_commit", False)),
        accept_missing=bool(raw.get("accept_missing", False)),
        proxy_allowed=bool(raw.get("proxy_allowed", False)),
        hours=Hours(_time(hours.get("opens")), _time(hours.get("closes")), bool(hours.get("weekdays_only", False))),
        fields=tuple(_field(f) for f in raw.get("fields", ())),
        high_risk=bool(raw.get("high_risk", False)),
        commitment=Localized.parse(raw.get("commitment", "")),
        missing_deadline_days=int(raw.get("missing_deadline_days", 0)),
        credentials=_credentials(raw.get("credentials")),
        a4_document=bool(raw.get("a4_document", False)),
        guide=_guide(raw.get("guide") or {}, halls),
        face_check=bool(raw.get("face_check", False)),
    )
    _check_rules(service)
    return service


def _check_rules(service: Service) -> None:
    """What the screens rely on: a commitment to show when one is offered, a deadline for what may be missing."""
    if service.offers_commitment and not service.commitment.zh:
        raise ValueError("notify_commit needs a commitment text (or high_risk)")
    if service.accept_missing and any(m.may_be_missing for m in service.materials) \
            and service.missing_deadline_days <= 0:
        raise ValueError("accept_missing needs missing_deadline_days > 0")


def _credentials(raw: Any) -> tuple[Credential, ...]:
    if raw is None:
        return DEFAULT_ACCEPTED
    accepted = tuple(Credential(c) for c in raw)
    if not accepted or Credential.TYPED in accepted:
        raise ValueError("credentials: list one or more of " +
                         ", ".join(c.value for c in Credential if c is not Credential.TYPED))
    return accepted


def _bundle(raw: dict[str, Any], services: dict[str, Service]) -> Bundle:
    members = tuple(str(code) for code in raw["members"])
    if len(members) < 2:
        raise ValueError("members: a bundle joins two services or more")
    unknown = [code for code in members if code not in services]
    if unknown:
        raise ValueError(f"members: no service {', '.join(unknown)}")
    departments = [services[code].department.zh for code in members]
    if len(set(departments)) != len(departments):
        raise ValueError("members: one service per department (each department receives one application)")
    return Bundle(code=str(raw["code"]), name=Localized.parse(raw["name"]),
                  description=Localized.parse(raw["description"]), members=members,
                  shared_fields=tuple(_field(f) for f in raw.get("shared_fields", ())))


def _bundles(document: dict[str, Any], services: list[Service]) -> tuple[Bundle, ...]:
    by_code = {s.code: s for s in services}
    listed = document.get("bundles", [])
    if not isinstance(listed, list):
        raise CatalogError("catalog bundles must be a list")
    bundles = []
    for index, raw in enumerate(listed):
        try:
            bundles.append(_bundle(raw, by_code))
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            code = raw.get("code", f"#{index}") if isinstance(raw, dict) else f"#{index}"
            raise CatalogError(f"catalog bundle {code}: {exc!r}") from exc
    codes = [b.code for b in bundles]
    if set(codes) & set(by_code) or len(set(codes)) != len(codes):
        raise CatalogError("catalog bundle codes must be unique and differ from service codes")
    return tuple(bundles)


def parse(document: Any) -> Catalog:
    if not isinstance(document, dict) or not isinstance(document.get("services", []), list):
        raise CatalogError("catalog must be an object with a list of services")
    halls = _halls(document)
    services = []
    for index, raw in enumerate(document.get("services", ())):
        try:
            services.append(_service(raw, halls))
        except (KeyError, ValueError, TypeError, AttributeError, OverflowError) as exc:
            code = raw.get("code", f"#{index}") if isinstance(raw, dict) else f"#{index}"
            raise CatalogError(f"catalog item {code}: {exc!r}") from exc
    codes = [s.code for s in services]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise CatalogError(f"catalog has duplicate service codes: {', '.join(repeated)}")
    return Catalog(version=str(document.get("version", "")), services=tuple(services),
                   bundles=_bundles(document, services), halls=tuple(halls.values()))


# the bundled demo catalog, found beside this module, not through importlib.resources: ~7 ms less before the
# first paint
BUNDLED = Path(__file__).with_name("data") / "catalog.json"


def load(path: Path | None = None) -> Catalog:
    """The catalog at path, or the bundled demo catalog."""
    file = BUNDLED if path is None else Path(path)
    text = file.read_text(encoding="utf-8")
    try:
        return parse(json.loads(text))
    except json.JSONDecodeError as exc:
        raise CatalogError(f"catalog is not valid JSON: {exc}") from exc
