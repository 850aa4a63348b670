"""The citizen session as an explicit state machine: each screen a state, each tap an event.

The transition table below is the whole flow; the UI shows `state` and forwards taps, the
controller performs the I/O a state asks for (storing, printing) and reports back here.

Everything of one citizen is a `Visit`, replaced whole when the visit ends (so nothing of theirs can be
forgotten in a reset); what belongs to the kiosk (out of service, readers that do not work) is a
`KioskState` that outlives visits. Both are read through the session and changed only by its methods.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Generic, NoReturn, TypeVar, cast, overload

from kiosk import credentials, feedback, hours
from kiosk import face as face_check
from kiosk.accessibility import Profile
from kiosk.browsing import Browsing
from kiosk.catalog import Bundle, Catalog, Domain, FieldType, FormField, Service, ServiceKind
from kiosk.face import Attempts, Match
from kiosk.feedback import Draft, Score
from kiosk.i18n import Translator
from kiosk.online_visit import Visit as OnlineVisit
from kiosk.workdays import Calendar

# Applying's modules (application, bundles, materials, proxy, receipt: their classes, regular expressions and
# tables, ~4 ms) are imported by the methods that apply: not on the way to the attract screen's first frame. Nor
# are an identity's and a print's (their classes and enums, ~2 ms): a new visit holds neither.
if TYPE_CHECKING:
    from kiosk.application import Answers, Application, Attachment, Commitment
    from kiosk.closure import Closure
    from kiosk.feedback_sent import Acknowledgement, Complaint, Rating
    from kiosk.identify_ways import Way
    from kiosk.identity import Identity
    from kiosk.outcome import Outcome
    from kiosk.print_status import PrintStatus
    from kiosk.receipt import Receipt


class State(enum.Enum):
    ATTRACT = "attract"
    SERVICES = "services"
    DETAIL = "detail"
    IDENTIFY = "identify"
    FORM = "form"
    MATERIALS = "materials"            # photograph materials on the document camera, or supply later (容缺)
    COMMITMENT = "commitment"          # 告知承诺: read the commitment and consent
    SIGN = "sign"                      # sign on the screen (art. 22)
    REVIEW = "review"
    SUBMITTING = "submitting"
    RECEIPT = "receipt"
    PRINCIPAL = "principal"            # 代为办理: the agent types the principal's name and ID number
    RATING = "rating"                  # 好差评: the five-level scale
    RATING_REASONS = "rating_reasons"  # optional reasons and comment for the chosen score
    THANKS = "thanks"                  # the rating is queued; the visit is over
    COMPLAINT = "complaint"            # 投诉建议 / 办不成事反映
    COMPLAINT_SENT = "complaint_sent"
    QUERY_RESULT = "query_result"            # 查询打印: the centre's record, shown and printed
    PROGRESS = "progress"                    # 办件进度查询: scan the receipt or type its number
    PROGRESS_RESULT = "progress_result"
    BENEFITS = "benefits"                    # 免申即享 (art. 23)
    APPOINTMENT = "appointment"              # 预约到大厅办理 (art. 24): pick a slot, give a mobile number
    APPOINTMENT_DONE = "appointment_done"
    VERIFY_DOCUMENT = "verify_document"      # 文书核验: scan a printed document's QR, is it genuine?
    FACE = "face"                            # 人证核验: the face at the kiosk against the credential's photo


# where a visit holds the citizen's work, not yet sent (Session.unfinished)
UNFINISHED = frozenset({State.FORM, State.MATERIALS, State.COMMITMENT, State.SIGN, State.REVIEW, State.PRINCIPAL,
                        State.COMPLAINT, State.APPOINTMENT})


class Event(enum.Enum):
    START = "start"
    CHOOSE = "choose"
    APPLY = "apply"
    IDENTIFIED = "identified"
    FORM_OK = "form_ok"
    MATERIALS_OK = "materials_ok"
    COMMITTED = "committed"
    SIGNED = "signed"
    CONFIRM = "confirm"
    STORED = "stored"
    STORE_FAILED = "store_failed"
    BACK = "back"
    FINISH = "finish"
    HOME = "home"
    TIMEOUT = "timeout"
    AGENT_IDENTIFIED = "agent_identified"
    TYPE_PRINCIPAL = "type_principal"
    PRINCIPAL_OK = "principal_ok"
    RATE = "rate"
    SKIP = "skip"
    SEND = "send"
    COMPLAIN = "complain"
    ASK = "ask"                              # a query's form is filled: ask the centre
    QUERY_FAILED = "query_failed"
    PROGRESS = "progress"
    FOUND = "found"
    BENEFITS = "benefits"
    BENEFITS_IDENTIFIED = "benefits_identified"
    BOOK = "book"
    BOOK_IDENTIFIED = "book_identified"
    BOOKED = "booked"
    VERIFY = "verify"
    FACE_OK = "face_ok"


class Intent(enum.Enum):
    """Why the citizen is identifying: decides where a read credential leads."""

    APPLY = "apply"            # fill in the service's form
    PROXY_AGENT = "proxy_agent"          # 代为办理: the agent identifies first ...
    PROXY_PRINCIPAL = "proxy_principal"  # ... then the principal, by card or typed
    QUERY = "query"            # a query_print service: the form, then the centre's record
    BENEFITS = "benefits"      # 免申即享: what the citizen gets without applying
    APPOINTMENT = "appointment"  # book a time at a service hall


# The event a read credential fires, by intent: each intent's flow continues from its own screen.
IDENTIFIED_BY_INTENT: dict[Intent, Event] = {
    Intent.APPLY: Event.IDENTIFIED,
    Intent.PROXY_AGENT: Event.AGENT_IDENTIFIED,
    Intent.PROXY_PRINCIPAL: Event.IDENTIFIED,
    Intent.QUERY: Event.IDENTIFIED,
    Intent.BENEFITS: Event.BENEFITS_IDENTIFIED,
    Intent.APPOINTMENT: Event.BOOK_IDENTIFIED,
}
# The event a filled form fires, by intent: an application goes on to its next step, a query asks.
FORM_DONE_BY_INTENT: dict[Intent, Event] = {
    Intent.QUERY: Event.ASK,
}

S, E = State, Event
TRANSITIONS: dict[tuple[State, Event], State] = {
    (S.ATTRACT, E.START): S.SERVICES,
    (S.SERVICES, E.CHOOSE): S.DETAIL,
    (S.SERVICES, E.BACK): S.ATTRACT,
    (S.DETAIL, E.APPLY): S.IDENTIFY,
    (S.DETAIL, E.BACK): S.SERVICES,
    (S.IDENTIFY, E.IDENTIFIED): S.FACE,       # passed over (SKIP) where the service asks no face check
    (S.FACE, E.FACE_OK): S.FORM,
    (S.FACE, E.SKIP): S.FORM,
    (S.FACE, E.BACK): S.DETAIL,
    (S.IDENTIFY, E.BACK): S.DETAIL,
    # form → materials → commitment → signature → review; a step the service does not need is passed
    # over with SKIP going forward and BACK going back (Session._passes_over)
    (S.FORM, E.FORM_OK): S.MATERIALS,
    (S.MATERIALS, E.MATERIALS_OK): S.COMMITMENT,
    (S.MATERIALS, E.SKIP): S.COMMITMENT,
    (S.MATERIALS, E.BACK): S.FORM,
    (S.COMMITMENT, E.COMMITTED): S.SIGN,
    (S.COMMITMENT, E.SKIP): S.SIGN,
    (S.COMMITMENT, E.BACK): S.MATERIALS,
    (S.SIGN, E.SIGNED): S.REVIEW,
    (S.SIGN, E.SKIP): S.REVIEW,
    (S.SIGN, E.BACK): S.COMMITMENT,
    (S.FORM, E.BACK): S.DETAIL,
    (S.REVIEW, E.CONFIRM): S.SUBMITTING,
    (S.REVIEW, E.BACK): S.FORM,
    (S.SUBMITTING, E.STORED): S.RECEIPT,
    (S.SUBMITTING, E.STORE_FAILED): S.REVIEW,
    (S.RECEIPT, E.FINISH): S.RATING,
    (S.RATING, E.RATE): S.RATING_REASONS,
    (S.RATING, E.SKIP): S.ATTRACT,
    (S.RATING_REASONS, E.BACK): S.RATING,
    (S.RATING_REASONS, E.SEND): S.THANKS,
    (S.RATING_REASONS, E.COMPLAIN): S.COMPLAINT,
    (S.THANKS, E.FINISH): S.ATTRACT,
    (S.ATTRACT, E.COMPLAIN): S.COMPLAINT,
    (S.SERVICES, E.COMPLAIN): S.COMPLAINT,
    (S.DETAIL, E.COMPLAIN): S.COMPLAINT,       # about this service: the complaint names it
    (S.COMPLAINT, E.BACK): S.ATTRACT,          # in fact back to where the citizen came from: Session.fire
    (S.COMPLAINT, E.SEND): S.COMPLAINT_SENT,
    (S.COMPLAINT_SENT, E.FINISH): S.ATTRACT,
}
# 代为办理 (articles 11, 24): the agent's credential keeps the screen for the principal's; see kiosk/proxy.py
TRANSITIONS.update({
    (S.IDENTIFY, E.AGENT_IDENTIFIED): S.IDENTIFY,
    (S.IDENTIFY, E.TYPE_PRINCIPAL): S.PRINCIPAL,
    (S.PRINCIPAL, E.PRINCIPAL_OK): S.FORM,
    (S.PRINCIPAL, E.BACK): S.IDENTIFY,
})
# The principal's typed values never reach the service's form.
_CLEARS_FORM = {(S.IDENTIFY, E.TYPE_PRINCIPAL), (S.PRINCIPAL, E.BACK), (S.PRINCIPAL, E.PRINCIPAL_OK)}
# Leaving for the attract screen is possible from everywhere except while a submission is being
# written: that write is short and must end in a receipt or a clear failure.
for _state in State:
    if _state not in (S.ATTRACT, S.SUBMITTING):
        TRANSITIONS[(_state, E.HOME)] = S.ATTRACT
        TRANSITIONS[(_state, E.TIMEOUT)] = S.ATTRACT

# The steps only some services have: passed over (SKIP forward, BACK back) for the others.
_STEP_APPLIES: dict[State, Callable[[Service], bool]] = {
    S.FACE: lambda service: service.face_check,
    S.MATERIALS: lambda service: bool(service.to_capture),
    S.COMMITMENT: lambda service: service.offers_commitment,
    S.SIGN: lambda service: service.needs_signature,
}

# Going back past identification forgets the citizen, so the next person cannot see them.
_FORGETS_IDENTITY = {(S.FORM, E.BACK), (S.IDENTIFY, E.BACK), (S.RECEIPT, E.FINISH), (S.FACE, E.BACK)}
# Once the feedback is queued nothing of the visit is needed: the thank-you shows no citizen data.
_ENDS_VISIT = {S.THANKS, S.COMPLAINT_SENT}

# Applying, from identification to review: the events that go forward, in order. The steps shown to the
# citizen ("第 2 步，共 5 步") are read from the table along them (application_steps).
_FORWARD = (E.IDENTIFIED, E.FACE_OK, E.FORM_OK, E.MATERIALS_OK, E.COMMITTED, E.SIGNED)
# The steps whose answers review lists with 修改 (Session.revise).
_REVISABLE = frozenset({S.FORM, S.MATERIALS, S.COMMITMENT, S.SIGN})


def application_steps(service: Service) -> list[State]:
    """The steps of applying for service, identification to review, along the transition table."""
    steps, state = [S.IDENTIFY], S.IDENTIFY
    for event in _FORWARD:
        state = TRANSITIONS[(state, event)]
        if state not in _STEP_APPLIES or _STEP_APPLIES[state](service):
            steps.append(state)
    return steps

# Online services (kiosk/online.py): the controller asks the centre, kiosk/online_flow.py takes the answer.
TRANSITIONS.update({
    (S.FORM, E.ASK): S.QUERY_RESULT,
    (S.QUERY_RESULT, E.QUERY_FAILED): S.FORM,
    (S.QUERY_RESULT, E.BACK): S.FORM,
    (S.QUERY_RESULT, E.FINISH): S.RATING,
    (S.SERVICES, E.PROGRESS): S.PROGRESS,
    (S.SERVICES, E.VERIFY): S.VERIFY_DOCUMENT,
    (S.VERIFY_DOCUMENT, E.BACK): S.SERVICES,
    (S.PROGRESS, E.FOUND): S.PROGRESS_RESULT,
    (S.PROGRESS, E.BACK): S.SERVICES,
    (S.PROGRESS_RESULT, E.BACK): S.PROGRESS,
    (S.PROGRESS_RESULT, E.FINISH): S.RATING,
    (S.SERVICES, E.BENEFITS): S.IDENTIFY,
    (S.IDENTIFY, E.BENEFITS_IDENTIFIED): S.BENEFITS,
    (S.BENEFITS, E.BACK): S.SERVICES,
    (S.BENEFITS, E.FINISH): S.RATING,
    (S.DETAIL, E.BOOK): S.IDENTIFY,
    (S.IDENTIFY, E.BOOK_IDENTIFIED): S.APPOINTMENT,
    (S.QUERY_RESULT, E.BOOK_IDENTIFIED): S.APPOINTMENT,   # a document not printed here: to the hall instead
    (S.APPOINTMENT, E.BACK): S.DETAIL,
    (S.APPOINTMENT, E.BOOKED): S.APPOINTMENT_DONE,
    (S.APPOINTMENT_DONE, E.FINISH): S.RATING,
})
# Where an intent's flow leads instead of the table: 免申即享 starts from the service list, not a guide.
BY_INTENT: dict[tuple[Intent, State, Event], State] = {
    (Intent.BENEFITS, S.IDENTIFY, E.BACK): S.SERVICES,
}
# 好差评 after every flow (art. 28): the rating keeps the flow's service and case, never the citizen.
_FORGETS_IDENTITY |= {(S.QUERY_RESULT, E.FINISH), (S.BENEFITS, E.BACK), (S.APPOINTMENT, E.BACK),
                      (S.PROGRESS_RESULT, E.FINISH), (S.BENEFITS, E.FINISH), (S.APPOINTMENT_DONE, E.FINISH)}


class InvalidTransition(RuntimeError):
    pass


@dataclasses.dataclass(repr=False, eq=False)
class Visit:
    """Everything of one citizen, from the first tap to the end of the visit. The session replaces it
    whole when the visit ends, so no field can be forgotten in a list of things to reset."""

    language: str
    profile: Profile
    domain: Domain = Domain.PUBLIC_SECURITY
    service: Service | None = None
    browsing: Browsing = dataclasses.field(default_factory=Browsing)   # the accessibility mode's service list
    intent: Intent = Intent.APPLY
    identity: Identity | None = None
    agent: Identity | None = None             # 代为办理: who acts for the identity above
    bundle: Bundle | None = None              # 一件事一次办: then service is the bundle combined
    applications: list[Application] = dataclasses.field(default_factory=list)  # a bundle's, one each
    case_numbers: list[str] = dataclasses.field(default_factory=list)
    form: dict[str, str] = dataclasses.field(default_factory=dict)
    form_problems: dict[str, str] = dataclasses.field(default_factory=dict)
    problem: str | None = None                # i18n key of the message shown on this screen
    application: Application | None = None
    case_number: str | None = None
    receipt: Receipt | None = None
    print_problem: str | None = None
    feedback: Draft = dataclasses.field(default_factory=Draft)   # rating and complaint
    guide_print: PrintStatus | None = None    # the printed guide on the detail screen
    whole_guide: bool = False                 # the accessible mode's guide past its summary, asked for
    captures: dict[int, list[Attachment]] = dataclasses.field(default_factory=dict)  # by material
    later: set[int] = dataclasses.field(default_factory=set)    # materials to supply later (容缺)
    commitment: Commitment | None = None
    signature: Attachment | None = None
    complaint_from: State = State.ATTRACT     # where "back" on the complaint screen leads
    online: OnlineVisit = dataclasses.field(default_factory=OnlineVisit)   # what the centre answered
    revising: Answers | None = None           # 修改 from review: the answers as review showed them
    photo_consent: bool = False               # agreed, apart from the rest, to documents being photographed
    acknowledgement: Acknowledgement | None = None   # a sent complaint's kind and reference, for its confirmation
    slip_print: PrintStatus | None = None     # a complaint's slip with its reference
    rated: tuple[str, str] = ("", "")         # (service code, case number) the rating is about, set on the way to it
    face: Attempts = dataclasses.field(default_factory=Attempts)   # 人证核验: tries and the passing verdict

    def __repr__(self) -> str:       # what a log may show: the shape of the visit, nothing the citizen gave
        return (f"Visit(service={self.service.code if self.service else None}, intent={self.intent}, "
                f"identified={self.identity is not None}, fields={len(self.form)}, "
                f"pages={sum(map(len, self.captures.values()))}, signed={self.signature is not None})")


@dataclasses.dataclass
class KioskState:
    """What belongs to the kiosk, not to a citizen: it outlives every visit."""

    language: str                             # each visit starts in it ...
    profile: Profile = Profile()              # ... and in this accessibility profile
    closure: Closure | None = None            # out of service: the notice names the nearest alternative
    unavailable_devices: set[str] = dataclasses.field(default_factory=set)   # absent or faulty readers


T = TypeVar("T")


class _OfVisit(Generic[T]):
    """A field of the current visit, read through the session: `session.identity` is
    `session.visit.identity`. Writing it raises, so state changes only through the session's methods."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, session: None, owner: type) -> _OfVisit[T]: ...
    @overload
    def __get__(self, session: Session, owner: type) -> T: ...
    def __get__(self, session: Session | None, owner: type) -> _OfVisit[T] | T:
        return self if session is None else cast(T, getattr(session.visit, self.name))

    def __set__(self, session: Session, value: NoReturn) -> NoReturn:
        raise AttributeError(f"{self.name} belongs to the visit: change it through a Session method")


class Session:
    """One citizen's visit at a time, as a state machine. Their data lives in `visit` until the visit
    ends; the kiosk's own state (closure, readers) in `kiosk`, which outlives it."""

    language = _OfVisit[str]()
    profile = _OfVisit[Profile]()
    domain = _OfVisit[Domain]()
    service = _OfVisit[Service | None]()
    browsing = _OfVisit[Browsing]()
    intent = _OfVisit[Intent]()
    identity = _OfVisit["Identity | None"]()
    agent = _OfVisit["Identity | None"]()
    bundle = _OfVisit[Bundle | None]()
    applications = _OfVisit["list[Application]"]()
    case_numbers = _OfVisit[list[str]]()
    form = _OfVisit[dict[str, str]]()
    form_problems = _OfVisit[dict[str, str]]()
    problem = _OfVisit[str | None]()
    application = _OfVisit["Application | None"]()
    case_number = _OfVisit[str | None]()
    receipt = _OfVisit["Receipt | None"]()
    print_problem = _OfVisit[str | None]()
    feedback = _OfVisit[Draft]()
    guide_print = _OfVisit["PrintStatus | None"]()
    whole_guide = _OfVisit[bool]()
    captures = _OfVisit["dict[int, list[Attachment]]"]()
    later = _OfVisit[set[int]]()
    commitment = _OfVisit["Commitment | None"]()
    signature = _OfVisit["Attachment | None"]()
    complaint_from = _OfVisit[State]()
    online = _OfVisit[OnlineVisit]()
    revising = _OfVisit["Answers | None"]()
    photo_consent = _OfVisit[bool]()
    acknowledgement = _OfVisit["Acknowledgement | None"]()
    slip_print = _OfVisit["PrintStatus | None"]()
    face = _OfVisit[Attempts]()

    def __init__(self, catalog: Catalog, calendar: Calendar, kiosk_id: str, language: str,
                 profile: Profile = Profile(),
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(hours.CHINA_TZ),
                 location: str = "", closure: Closure | None = None,
                 unavailable_devices: Iterable[str] = (), reader_place: str = "below") -> None:
        """closure and unavailable_devices: the kiosk's state at start (out of service, readers it lacks);
        reader_place: where the card reader is on the kiosk's body (config.READER_PLACES)."""
        self.catalog = catalog
        self.calendar = calendar
        self.kiosk_id = kiosk_id
        self.location = location                # where the kiosk stands, printed on receipts
        self.reader_place = reader_place
        self.clock = clock
        self.kiosk = KioskState(language, profile, closure, set(unavailable_devices))
        self._state = State.ATTRACT
        self._visit = self._new_visit()

    def __repr__(self) -> str:
        return f"Session({self._state}, {self._visit!r})"

    def _new_visit(self, language: str | None = None, profile: Profile | None = None) -> Visit:
        return Visit(language or self.kiosk.language, profile or self.kiosk.profile)

    @property
    def visit(self) -> Visit:
        """The current visit: read it; only the session's methods change it."""
        return self._visit

    @property
    def state(self) -> State:
        return self._state

    @property
    def closure(self) -> Closure | None:
        return self.kiosk.closure

    @property
    def unavailable_devices(self) -> frozenset[str]:
        return frozenset(self.kiosk.unavailable_devices)

    @property
    def unfinished(self) -> bool:
        """Whether going home now throws away what the citizen has given and not yet sent (answers, photos, a
        signature, a complaint, a chosen slot): the header's 首页 then asks first, one slip must not cost it."""
        return self._state in UNFINISHED

    # -- data --------------------------------------------------------------------------------
    def wipe(self) -> None:
        """Forget everything about the citizen: a new, empty visit replaces theirs whole."""
        self._visit = self._new_visit()

    @property
    def translator(self) -> Translator:
        return Translator(self.language)

    # -- the machine ---------------------------------------------------------------------------
    def _target(self, event: Event) -> State:
        """Where event leads from here; raises InvalidTransition, having changed nothing, if nowhere."""
        if event is Event.START and self.kiosk.closure is not None:
            raise InvalidTransition("start is not possible: the kiosk is out of service")
        try:
            return BY_INTENT.get((self.intent, self._state, event)) or TRANSITIONS[(self._state, event)]
        except KeyError:
            raise InvalidTransition(f"{event} is not possible on {self._state}") from None

    def fire(self, event: Event) -> State:
        target, visit, step = self._target(event), self._visit, (self._state, event)
        if visit.revising is not None and self._state in _REVISABLE and event in (E.BACK, *_FORWARD):
            return self._revised(event)
        if target is S.RATING and self._state is not S.RATING_REASONS:
            visit.rated = self._rated_subject()
        if step in _FORGETS_IDENTITY:
            visit.online = OnlineVisit(centre_online=visit.online.centre_online)
            visit.identity, visit.agent, visit.form, visit.form_problems = None, None, {}, {}
        if step in _CLEARS_FORM:
            visit.form, visit.form_problems = {}, {}
            visit.captures, visit.later, visit.commitment, visit.signature = {}, set(), None, None
        if step == (S.RECEIPT, E.FINISH):      # the rating needs only the case and service
            visit.application, visit.receipt, visit.print_problem = None, None, None
        if step == (S.COMPLAINT, E.BACK):
            target = visit.complaint_from
        elif target is S.COMPLAINT:
            visit.complaint_from = self._state
        visit.problem = None
        visit.guide_print = None                    # it was about the guide on the screen being left
        visit.whole_guide = False                   # a guide is opened in short each time
        self._state = self._passes_over(target, event)
        if self._state is State.COMMITMENT:
            visit.commitment = None     # consent is given on the screen each time it is shown, never carried
        if self._state is State.SIGN:
            visit.signature = None      # a signature covers what stands now: signed again after any change
        if target is State.ATTRACT:
            self.wipe()
        elif target in _ENDS_VISIT:     # the thank-you screen stays in the citizen's language and profile
            self._visit = self._new_visit(visit.language, visit.profile)
        return self._state

    def revise(self, step: State) -> State:
        """修改 on review: to the step that holds the answer. Finishing it comes back to review (through
        the signature when the service has one: it covers what stands now); 返回 puts the answers back."""
        if self._state is not S.REVIEW or step not in _REVISABLE:
            raise InvalidTransition(f"{step} cannot be changed from {self._state}")
        from kiosk.application import Answers

        visit = self._visit
        visit.revising = Answers(dict(visit.form), {i: list(p) for i, p in visit.captures.items()},
                                 set(visit.later), visit.commitment, visit.signature)
        visit.problem = None
        self._state = step
        if step is S.COMMITMENT:
            visit.commitment = None
        if step is S.SIGN:
            visit.signature = None
        return step

    def _revised(self, event: Event) -> State:
        visit, kept = self._visit, self._visit.revising
        assert kept is not None and self.service is not None
        if event is E.BACK:
            visit.form, visit.captures, visit.later = kept.form, kept.captures, kept.later
            visit.commitment, visit.signature, target = kept.commitment, kept.signature, S.REVIEW
        elif self._state is not S.SIGN and self.service.needs_signature:
            visit.signature, target = None, S.SIGN
        else:
            target = S.REVIEW
        if target is S.REVIEW:
            visit.revising = None
        visit.problem = None
        self._state = target
        return target

    def _passes_over(self, target: State, event: Event) -> State:
        """The first step from target, in the direction of event, that this service has."""
        step = Event.BACK if event is Event.BACK else Event.SKIP
        while target in _STEP_APPLIES and not (self.service and _STEP_APPLIES[target](self.service)
                                               and not (target is S.FACE and self._visit.agent is not None)):
            target = TRANSITIONS[(target, step)]
        return target

    def is_open(self, service: Service) -> bool:
        """Whether the service can be done here now, holidays and make-up days counted."""
        return service.hours.is_open(self.clock(), self.calendar)

    def can(self, event: Event) -> bool:
        if event is Event.START and self.kiosk.closure is not None:
            return False            # out of service: the notice with the nearest alternative stays
        return (self._state, event) in TRANSITIONS

    # -- the kiosk's own state: it outlives visits ------------------------------------------------
    def set_calendar(self, calendar: Calendar) -> None:
        """The holiday arrangements, loaded once the start screen is painted (ui/bootstrap.py)."""
        self.calendar = calendar

    def set_closure(self, closure: Closure | None) -> None:
        """Out of service (a closure) or back in service (None); a visit under way goes on."""
        self.kiosk.closure = closure

    def device_health(self, device: str, works: bool) -> bool:
        """A reader became absent or faulty, or works again; True if that changed what is offered."""
        before = set(self.kiosk.unavailable_devices)
        if works:
            self.kiosk.unavailable_devices.discard(device)
        else:
            self.kiosk.unavailable_devices.add(device)
        return self.kiosk.unavailable_devices != before

    # -- what taps and devices report ------------------------------------------------------------
    def set_language(self, language: str) -> None:
        self._visit.language = language

    def set_profile(self, profile: Profile) -> None:
        self._visit.profile = profile

    def choose_domain(self, domain: Domain) -> None:
        self._visit.domain = domain

    def browse(self, category: str | None) -> None:
        """Accessibility mode: open a category of the service list (None: back to the categories)."""
        self._visit.browsing.open(category)
        if category in {d.value for d in Domain}:
            self._visit.domain = Domain(category)

    def turn_page(self, step: int, count: int) -> None:
        self._visit.browsing.turn(step, count)

    def show_problem(self, key: str | None) -> None:
        """The message shown on this screen (an i18n key), or none."""
        self._visit.problem = key

    def set_slip_print(self, status: PrintStatus) -> None:
        """Whether the sent complaint's slip (its reference on paper) came out."""
        self._visit.slip_print = status

    def read_whole_guide(self, whole: bool) -> None:
        """The accessible mode's guide: its summary's few pages, or the whole guide when asked for."""
        self._visit.whole_guide = whole

    def set_guide_print(self, status: PrintStatus) -> None:
        """Whether the printed guide on the detail screen came out (forgotten when the screen is left)."""
        self._visit.guide_print = status

    def choose_service(self, code: str) -> State:
        self._target(Event.CHOOSE)
        self._visit.service, self._visit.bundle = self.catalog.get(code), None
        return self.fire(Event.CHOOSE)

    def choose_bundle(self, code: str) -> State:
        """一件事一次办: the bundle's members as one service until submission splits them again."""
        from kiosk import bundles

        self._target(Event.CHOOSE)
        bundle = self.catalog.bundle(code)
        self._visit.bundle, self._visit.service = bundle, bundles.combined(self.catalog, bundle)
        return self.fire(Event.CHOOSE)

    def apply_as(self, intent: Intent) -> State:
        """On the guide: apply for oneself (APPLY) or for someone else (PROXY_AGENT)."""
        if intent is Intent.PROXY_AGENT and not (self.service and self.service.proxy_allowed):
            raise InvalidTransition("this service cannot be done for someone else")
        if intent is Intent.APPLY and self.service is not None and self.service.kind is ServiceKind.QUERY_PRINT:
            intent = Intent.QUERY
        return self.begin(intent, Event.APPLY)

    def begin(self, intent: Intent, event: Event) -> State:
        """Start a flow whose credential leads by intent: 免申即享 from the list, 预约 from a guide."""
        self._target(event)
        self._visit.intent = intent
        return self.fire(event)

    def type_principal(self) -> State:
        return self.fire(Event.TYPE_PRINCIPAL)

    def identify_ways(self) -> list[Way]:
        """How the citizen can identify for this service now, with readers that do not work marked."""
        # the ways' class and the centre's answers: not on the way to the first frame
        from kiosk import identify_ways
        from kiosk.online import BENEFITS_CREDENTIALS

        accepted = self.service.credentials if self.service is not None else BENEFITS_CREDENTIALS
        return identify_ways.ways(accepted, self.kiosk.unavailable_devices)

    @property
    def form_fields(self) -> tuple[FormField, ...]:
        """The fields the form screen shows now: the principal's while an agent types them."""
        from kiosk import proxy

        if self._state is State.PRINCIPAL:
            return proxy.principal_fields()
        assert self.service is not None
        return self.service.fields

    def edit_field(self, key: str, value: str) -> None:
        """A value as typed so far: kept in the visit, so a re-render (language, text size) keeps it."""
        self._visit.form[key] = value

    def _submit_principal(self, values: dict[str, str]) -> State:
        from kiosk import proxy

        visit = self._visit
        visit.form = {k: v.strip() for k, v in values.items()}
        visit.form_problems = proxy.problems(visit.form)
        if visit.form_problems:
            return self._state
        principal = proxy.typed_identity(visit.form)
        if proxy.same_person(visit.agent, principal):
            visit.problem = "identity.proxy.same_person"
            return self._state
        visit.identity = principal
        self.fire(Event.PRINCIPAL_OK)
        self._prefill()
        return self._state

    def _prefill(self) -> None:
        """The form starts with the ID number already read or typed."""
        assert self.service is not None and self.identity is not None
        for field in self.service.fields:
            if field.type is FieldType.ID_NUMBER:
                self._visit.form[field.key] = self.identity.id_number

    def identified(self, identity: Identity, via: credentials.Credential | None = None) -> State:
        """A credential was read (via says which when the document does not: an e-credential).
        An expired card, one the service does not accept, or an agent presenting their own card as the
        principal's is refused here, not at the centre."""
        from kiosk import proxy

        visit = self._visit
        if self._state is not State.IDENTIFY:
            return self._state     # a card inserted on another screen is ignored, not an error
        if identity.is_expired(self.clock().date()):
            visit.problem = "idcard.expired"
            return self._state
        presented = via or credentials.of_card(identity)
        if self.service is not None and presented not in self.service.credentials:
            visit.problem = "identity.not_accepted"
            return self._state
        identity = dataclasses.replace(identity, credential=presented.value)    # the department sees how
        if visit.intent is Intent.PROXY_AGENT:         # the agent first; the principal next, on this screen
            visit.agent, visit.intent = identity, Intent.PROXY_PRINCIPAL
            return self.fire(IDENTIFIED_BY_INTENT[Intent.PROXY_AGENT])
        if visit.intent is Intent.PROXY_PRINCIPAL and proxy.same_person(visit.agent, identity):
            visit.problem = "identity.proxy.same_person"
            return self._state
        visit.identity = identity
        if self.fire(IDENTIFIED_BY_INTENT[visit.intent]) not in (State.FORM, State.FACE):
            return self._state
        self._prefill()
        return self._state

    def face_started(self, turning: bool = False) -> bool:
        """The citizen asked for a try and the camera turns on (turning: they are asked to turn their head
        first, the liveness challenge); False when no try may start now."""
        attempts = self._visit.face
        if self._state is not State.FACE or attempts.verdict is not None or attempts.exhausted or attempts.checking:
            return False
        attempts.checking, attempts.turning, self._visit.problem = True, turning, None
        return True

    def face_checked(self, measured: Outcome[Match], threshold: float = face_check.THRESHOLD) -> State:
        """One try of 人证核验 measured by the camera: a pass goes on to the form; a mismatch or no face
        costs a try; a camera or photo that cannot be used ends the tries at once (retrying cannot help).
        The agent of a proxy application is never here: the step is passed over for them."""
        visit, attempts = self._visit, self._visit.face
        if self._state is not State.FACE or attempts.verdict is not None or attempts.exhausted:
            return self._state
        if measured.ok:
            verdict = face_check.decide(measured.unwrap(), attempts.used + 1, threshold)
            attempts.record(None if verdict.passed else face_check.MISMATCH, verdict)
            if verdict.passed:
                return self.fire(Event.FACE_OK)
        elif measured.problem in face_check.RETRYABLE:
            attempts.record(measured.problem)
        else:
            attempts.give_up(measured.problem or face_check.NO_CAMERA)
        # the banner says what to change for the next try; with none left, the way out says it all
        spent = attempts.exhausted and attempts.last_problem in face_check.RETRYABLE
        visit.problem = None if spent else attempts.last_problem
        return self._state

    def read_again(self, identity: Identity) -> bool:
        """The visit's own card read again after it identified: the fresh read replaces the old one's proof
        for the centre (docs/security.md, "Card proof"), so a citizen past its 10 minutes can go on. Another
        person's card changes nothing. True when the proof was renewed."""
        held = self._visit.identity
        if held is None or not identity.chip_sha256:
            return False
        if dataclasses.replace(identity, credential=held.credential) != held:       # equality ignores the proof
            return False
        self._visit.identity = dataclasses.replace(held, read_at=identity.read_at, chip_sha256=identity.chip_sha256)
        return True

    def credential_problem(self, key: str) -> None:
        if self._state is State.IDENTIFY:
            self._visit.problem = key

    def submit_form(self, values: dict[str, str]) -> State:
        from kiosk import application

        if self._state is State.PRINCIPAL:
            return self._submit_principal(values)
        assert self.service is not None
        visit = self._visit
        visit.form = {k: v.strip() for k, v in values.items()}
        visit.form_problems = application.validate(self.service, visit.form)
        if visit.form_problems:
            return self._state
        visit.form = application.normalized(self.service, visit.form)
        return self.fire(FORM_DONE_BY_INTENT.get(visit.intent, Event.FORM_OK))

    def captured(self, index: int, data: bytes, media_type: str, add_page: bool = False) -> None:
        """A page of a material photographed: a retake replaces the last page, add_page puts one after it
        (the back of a card, the next page of a report), up to materials.MAX_PAGES."""
        from kiosk import application, materials

        assert self.service is not None
        pages = self._visit.captures.setdefault(index, [])
        if pages and not (add_page and len(pages) < materials.MAX_PAGES):
            pages.pop()
        pages.append(application.Attachment(materials.page_name(self.service.materials[index], len(pages) + 1),
                                             media_type, data))
        self._visit.later.discard(index)
        self._visit.problem = None

    def capture_failed(self, problem: str) -> None:
        if self._state is State.MATERIALS:
            self._visit.problem = problem

    def supply_later(self, index: int, later: bool) -> None:
        """以后补交, only where the catalog allows it; a picture already taken is then dropped."""
        from kiosk import materials

        assert self.service is not None
        visit = self._visit
        if later and materials.may_follow(self.service, self.service.materials[index]):
            visit.later.add(index)
            visit.captures.pop(index, None)
        else:
            visit.later.discard(index)
        visit.problem = None

    def unmet_materials(self) -> list[int]:
        from kiosk import materials

        assert self.service is not None
        return materials.unmet(self.service, self.captures, self.later)

    def materials_done(self) -> State:
        if self.unmet_materials():
            self._visit.problem = "apply.materials.required"
            return self._state
        return self.fire(Event.MATERIALS_OK)

    def commitment_text(self) -> str:
        assert self.service is not None
        return self.translator.local(self.service.commitment)

    def commit(self) -> State:
        """The citizen pressed 我承诺: the text they read, in their language, and when."""
        from kiosk import application

        self._target(Event.COMMITTED)
        self._visit.commitment = application.Commitment.of(self.commitment_text(), self.language,
                                                           self.catalog.version, self.clock())
        return self.fire(Event.COMMITTED)

    def signed(self, png: bytes) -> State:
        """The signature drawn on the pad; the pad itself refuses one with too little ink."""
        from kiosk import application

        self._target(Event.SIGNED)
        if not png.startswith(application.PNG_MAGIC):
            self._visit.problem = "apply.sign.empty"
            return self._state
        self._visit.signature = application.Attachment(application.SIGNATURE, "image/png", png)
        return self.fire(Event.SIGNED)

    def signed_by_keys(self) -> State:
        """A citizen who cannot write here (blind, or hands that cannot) signs by confirming with the
        keypad after the declaration was read out. Recorded as that statement, not as ink, so the
        department knows how it was signed and can ask for a witnessed signature where the law needs one."""
        from kiosk import application

        self._target(Event.SIGNED)
        statement = {"method": application.SIGNED_BY_KEYS, "declaration": self.translator.t("apply.sign.declaration"),
                     "language": self.language, "audio_only": self.profile.audio_only,
                     "at": self.clock().isoformat()}
        self._visit.signature = application.Attachment(application.SIGNATURE, "application/json",
                                                       json.dumps(statement, ensure_ascii=False).encode("utf-8"))
        return self.fire(Event.SIGNED)

    def confirm(self) -> Application:
        """Review accepted: the application to store. The caller stores it and reports back.
        Refused (InvalidTransition) before anything changes when the review cannot be confirmed now."""
        from kiosk import application, bundles, materials

        self._target(Event.CONFIRM)
        service, identity, visit = self.service, self.identity, self._visit
        if service is None or identity is None:
            raise InvalidTransition("an application needs a service and an identified applicant")
        if service.needs_signature and visit.signature is None:
            raise InvalidTransition("an application is submitted signed")
        now = self.clock()
        captured = tuple(page for index in sorted(visit.captures) for page in visit.captures[index])
        made = application.Application(
            idempotency_key=application.new_key(),
            kiosk_id=self.kiosk_id,
            service_code=service.code,
            applicant=identity,
            form={**visit.form, **(visit.face.verdict.as_form() if visit.face.verdict else {})},
            submitted_at=now,
            promised_date=self.calendar.add_working_days(now.date(), service.time_limit_days),
            attachments=captured + ((visit.signature,) if visit.signature else ()),
            missing=materials.missing(service, visit.later, visit.captures, now.date(), self.calendar),
            commitment=visit.commitment,
            agent=visit.agent,
        )
        visit.application = made
        visit.applications = [made] if visit.bundle is None else \
            bundles.applications(self.catalog, visit.bundle, made, self.calendar)
        self.fire(Event.CONFIRM)
        return made

    def stored(self, case_number: str) -> State:
        from kiosk import receipt

        made, service = self.application, self.service
        assert made is not None and service is not None
        self._target(Event.STORED)
        self._visit.case_number = case_number
        self.fire(Event.STORED)
        promised = made.promised_date
        provisional = promised is not None and self.calendar.is_provisional(promised)
        self._visit.receipt = receipt.compose(made, service, case_number, self.translator, self.location,
                                              provisional=provisional)
        return self._state

    def stored_all(self, case_numbers: list[str]) -> State:
        """What confirm() made is queued; a bundle's receipt lists every case number."""
        from kiosk import receipt

        self._visit.case_numbers = case_numbers
        self.stored(case_numbers[0])
        if self.bundle is not None:
            self._visit.receipt = receipt.compose_bundle(self.bundle, self.applications, case_numbers, self.catalog,
                                                         self.translator, self.location)
        return self._state

    def store_failed(self, problem: str) -> State:
        self.fire(Event.STORE_FAILED)
        self._visit.problem = problem
        return self._state

    def printed(self, problem: str | None) -> None:
        self._visit.print_problem = problem

    # -- what the centre answered online (kiosk/online_flow.py) ----------------------------------------
    def update_online(self, **changes: object) -> None:
        """What the centre answered or the citizen typed for an online service (fields of online_visit.Visit)."""
        self._visit.online = dataclasses.replace(self._visit.online, **changes)   # type: ignore[arg-type]

    # -- feedback: 好差评 and complaints ------------------------------------------------------------
    def rate(self, score: Score) -> State:
        self._target(Event.RATE)
        draft = self._visit.feedback
        if draft.score is not score:
            draft.reasons = []          # reasons were chosen for the other level
        draft.score = score
        return self.fire(Event.RATE)

    def toggle_reason(self, code: str) -> None:
        """Reasons and typed text live in the visit's draft, so a re-render keeps them."""
        self._visit.feedback.toggle_reason(code)

    def edit_feedback(self, name: str, value: object) -> None:
        """One field of the rating or complaint being composed (a field of feedback.Draft)."""
        self._visit.feedback = dataclasses.replace(self._visit.feedback, **{name: value})  # type: ignore[arg-type]

    def _rated_subject(self) -> tuple[str, str]:
        """What a rating given now is about: the flow's service and case (the case a progress query found),
        or the flow itself where no catalog item is involved (a progress query that found nothing, 免申即享)."""
        visit = self._visit
        if self._state is S.PROGRESS_RESULT:
            found = visit.online.progress
            return (found.service_code, found.kiosk_case_number) if found else (feedback.PROGRESS_QUERY, "")
        if self._state is S.BENEFITS:
            return feedback.BENEFITS, ""
        return (visit.service.code if visit.service else ""), (visit.case_number or "")

    def rating(self) -> Rating:
        """The rating to queue, linked to the case and service of the flow that led to it."""
        from kiosk import feedback_sent

        draft, (code, case_number) = self.feedback, self._visit.rated
        assert draft.score is not None and code
        return feedback_sent.new_rating(code, case_number, draft.score, draft.reasons, draft.comment, self.clock())

    def complaint(self) -> Complaint | None:
        """The complaint to queue, or None with what to fix in feedback.problems."""
        draft = self._visit.feedback
        draft.problems = feedback.complaint_problems(draft.text, draft.mobile)
        if draft.problems:
            return None
        from kiosk import feedback_sent

        linked = draft.about_service and self.service is not None
        complaint = feedback_sent.new_complaint(draft.category, self.service.code if linked and self.service else "",
                                                (self.case_number or "") if linked else "", draft.text, draft.mobile,
                                                self.clock())
        self._visit.acknowledgement = feedback_sent.Acknowledgement.of(complaint)
        return complaint

    def feedback_sent(self) -> State:
        """Queued: the visit ends; a complaint's confirmation keeps only its kind and reference."""
        sent = self._visit.acknowledgement if self._state is S.COMPLAINT else None
        self.fire(Event.SEND)
        self._visit.acknowledgement = sent
        return self._state

    def consent_to_photographs(self, agreed: bool) -> None:
        """The separate consent (单独同意, PIPL art. 29) asked before any document is photographed; taken
        back, the pages already photographed go with it."""
        self._visit.photo_consent = agreed
        if not agreed:
            self._visit.captures = {}

    def feedback_failed(self) -> None:
        self._visit.problem = "feedback.send_failed"
