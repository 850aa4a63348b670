"""The citizen session as an explicit state machine: each screen a state, each tap an event.

The transition table below is the whole flow; the UI shows `state` and forwards taps, the
controller performs the I/O a state asks for (storing, printing) and reports back here.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from collections.abc import Callable

from kiosk import application, bundles, credentials, feedback, materials, online, proxy, receipt
from kiosk.accessibility import Profile
from kiosk.browsing import Browsing
from kiosk.catalog import Bundle, Catalog, Domain, FieldType, FormField, Service, ServiceKind
from kiosk.i18n import Translator
from kiosk.identity import Identity
from kiosk.out_of_service import Closure
from kiosk.workdays import Calendar


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
    (S.IDENTIFY, E.IDENTIFIED): S.FORM,
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
    S.MATERIALS: lambda service: bool(service.to_capture),
    S.COMMITMENT: lambda service: service.offers_commitment,
    S.SIGN: lambda service: service.needs_signature,
}

# Going back past identification forgets the citizen, so the next person cannot see them.
_FORGETS_IDENTITY = {(S.FORM, E.BACK), (S.IDENTIFY, E.BACK), (S.RECEIPT, E.FINISH)}
# Once the feedback is queued nothing of the visit is needed: the thank-you shows no citizen data.
_ENDS_VISIT = {S.THANKS, S.COMPLAINT_SENT}

# Online services (kiosk/online.py): the controller asks the centre, kiosk/online_flow.py takes the answer.
TRANSITIONS.update({
    (S.FORM, E.ASK): S.QUERY_RESULT,
    (S.QUERY_RESULT, E.QUERY_FAILED): S.FORM,
    (S.QUERY_RESULT, E.BACK): S.FORM,
    (S.QUERY_RESULT, E.FINISH): S.RATING,
    (S.SERVICES, E.PROGRESS): S.PROGRESS,
    (S.PROGRESS, E.FOUND): S.PROGRESS_RESULT,
    (S.PROGRESS, E.BACK): S.SERVICES,
    (S.PROGRESS_RESULT, E.BACK): S.PROGRESS,
    (S.PROGRESS_RESULT, E.FINISH): S.ATTRACT,
    (S.SERVICES, E.BENEFITS): S.IDENTIFY,
    (S.IDENTIFY, E.BENEFITS_IDENTIFIED): S.BENEFITS,
    (S.BENEFITS, E.BACK): S.SERVICES,
    (S.BENEFITS, E.FINISH): S.ATTRACT,
    (S.DETAIL, E.BOOK): S.IDENTIFY,
    (S.IDENTIFY, E.BOOK_IDENTIFIED): S.APPOINTMENT,
    (S.APPOINTMENT, E.BACK): S.DETAIL,
    (S.APPOINTMENT, E.BOOKED): S.APPOINTMENT_DONE,
    (S.APPOINTMENT_DONE, E.FINISH): S.ATTRACT,
})
# Where an intent's flow leads instead of the table: 免申即享 starts from the service list, not a guide.
BY_INTENT: dict[tuple[Intent, State, Event], State] = {
    (Intent.BENEFITS, S.IDENTIFY, E.BACK): S.SERVICES,
}
_FORGETS_IDENTITY |= {(S.QUERY_RESULT, E.FINISH), (S.BENEFITS, E.BACK), (S.APPOINTMENT, E.BACK)}


class InvalidTransition(RuntimeError):
    pass


class Session:
    """One citizen's visit. Holds their data only until the visit ends; wipe() forgets all of it."""

    def __init__(self, catalog: Catalog, calendar: Calendar, kiosk_id: str, language: str,
                 profile: Profile = Profile(), clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(application.CHINA_TZ),
                 location: str = "") -> None:
        self.catalog = catalog
        self.calendar = calendar
        self.kiosk_id = kiosk_id
        self.location = location                # where the kiosk stands, printed on receipts
        self.default_language = language
        self.default_profile = profile
        self.clock = clock
        self.state = State.ATTRACT
        self.closure: Closure | None = None     # out of service (kiosk state, not the citizen's: never wiped)
        self.unavailable_devices: set[str] = set()   # absent or faulty readers (kiosk state: never wiped)
        self.wipe()

    # -- data --------------------------------------------------------------------------------
    def wipe(self) -> None:
        """Forget everything about the citizen: called when the visit ends or times out."""
        self.language = self.default_language
        self.profile = self.default_profile
        self.domain = Domain.PUBLIC_SECURITY
        self.service: Service | None = None
        self.browsing = Browsing()       # the accessibility mode's category and page of the service list
        self.intent = Intent.APPLY
        self.identity: Identity | None = None
        self.agent: Identity | None = None        # 代为办理: who acts for the identity above
        self.bundle: Bundle | None = None         # 一件事一次办: then service is the bundle combined
        self.applications: list[application.Application] = []    # what confirm() made: a bundle's, one each
        self.case_numbers: list[str] = []
        self.form: dict[str, str] = {}
        self.form_problems: dict[str, str] = {}
        self.problem: str | None = None           # i18n key of the message shown on this screen
        self.application: application.Application | None = None
        self.case_number: str | None = None
        self.receipt: receipt.Receipt | None = None
        self.print_problem: str | None = None
        self.feedback = feedback.Draft()            # rating and complaint being composed
        self.guide_print: str | None = None         # the printed guide: "printing", "printed" or a problem key
        self.captures: dict[int, list[application.Attachment]] = {}   # pages, by position in service.materials
        self.later: set[int] = set()                # materials to supply later (容缺)
        self.commitment: application.Commitment | None = None
        self.signature: application.Attachment | None = None
        self.complaint_from = State.ATTRACT         # where "back" on the complaint screen leads
        self.online = online.Visit()                # what the centre answered online, shown once

    @property
    def translator(self) -> Translator:
        return Translator(self.language)

    # -- the machine ---------------------------------------------------------------------------
    def fire(self, event: Event) -> State:
        if event is Event.START and self.closure is not None:
            raise InvalidTransition("start is not possible: the kiosk is out of service")
        try:
            target = BY_INTENT.get((self.intent, self.state, event)) or TRANSITIONS[(self.state, event)]
        except KeyError:
            raise InvalidTransition(f"{event.value} is not possible on {self.state.value}") from None
        if (self.state, event) in _FORGETS_IDENTITY:
            self.online = online.Visit(centre_online=self.online.centre_online)
            self.identity, self.form, self.form_problems = None, {}, {}
            self.agent = None
        if (self.state, event) in _CLEARS_FORM:
            self.form, self.form_problems = {}, {}
            self.captures, self.later, self.commitment, self.signature = {}, set(), None, None
        if (self.state, event) == (S.RECEIPT, E.FINISH):      # the rating needs only the case and service
            self.application, self.receipt, self.print_problem = None, None, None
        if (self.state, event) == (S.COMPLAINT, E.BACK):
            target = self.complaint_from
        elif target is S.COMPLAINT:
            self.complaint_from = self.state
        self.problem = None
        self.guide_print = None                    # it was about the guide on the screen being left
        self.state = self._passes_over(target, event)
        if self.state is State.COMMITMENT:
            self.commitment = None      # consent is given on the screen each time it is shown, never carried
        if self.state is State.SIGN:
            self.signature = None       # a signature covers what stands now: signed again after any change
        if target is State.ATTRACT:
            self.wipe()
        elif target in _ENDS_VISIT:
            language, profile = self.language, self.profile
            self.wipe()
            self.language, self.profile = language, profile
        return self.state

    def _passes_over(self, target: State, event: Event) -> State:
        """The first step from target, in the direction of event, that this service has."""
        step = Event.BACK if event is Event.BACK else Event.SKIP
        while target in _STEP_APPLIES and not (self.service and _STEP_APPLIES[target](self.service)):
            target = TRANSITIONS[(target, step)]
        return target

    def is_open(self, service: Service) -> bool:
        """Whether the service can be done here now, holidays and make-up days counted."""
        return service.hours.is_open(self.clock(), self.calendar)

    def can(self, event: Event) -> bool:
        if event is Event.START and self.closure is not None:
            return False            # out of service: the notice with the nearest alternative stays
        return (self.state, event) in TRANSITIONS

    # -- what taps and devices report ------------------------------------------------------------
    def set_language(self, language: str) -> None:
        self.language = language

    def choose_domain(self, domain: Domain) -> None:
        self.domain = domain

    def choose_service(self, code: str) -> State:
        self.service = self.catalog.get(code)
        self.bundle = None
        return self.fire(Event.CHOOSE)

    def choose_bundle(self, code: str) -> State:
        """一件事一次办: the bundle's members as one service until submission splits them again."""
        self.bundle = self.catalog.bundle(code)
        self.service = bundles.combined(self.catalog, self.bundle)
        return self.fire(Event.CHOOSE)

    def apply_as(self, intent: Intent) -> State:
        """On the guide: apply for oneself (APPLY) or for someone else (PROXY_AGENT)."""
        if intent is Intent.PROXY_AGENT and not (self.service and self.service.proxy_allowed):
            raise InvalidTransition("this service cannot be done for someone else")
        if intent is Intent.APPLY and self.service is not None and self.service.kind is ServiceKind.QUERY_PRINT:
            intent = Intent.QUERY
        self.intent = intent
        return self.fire(Event.APPLY)

    def type_principal(self) -> State:
        return self.fire(Event.TYPE_PRINCIPAL)

    def identify_ways(self) -> list[credentials.Way]:
        """How the citizen can identify for this service now, with readers that do not work marked."""
        accepted = self.service.credentials if self.service is not None else online.BENEFITS_CREDENTIALS
        return credentials.ways(accepted, self.unavailable_devices)

    @property
    def form_fields(self) -> tuple[FormField, ...]:
        """The fields the form screen shows now: the principal's while an agent types them."""
        if self.state is State.PRINCIPAL:
            return proxy.principal_fields()
        assert self.service is not None
        return self.service.fields

    def _submit_principal(self, values: dict[str, str]) -> State:
        self.form = {k: v.strip() for k, v in values.items()}
        self.form_problems = proxy.problems(self.form)
        if self.form_problems:
            return self.state
        principal = proxy.typed_identity(self.form)
        if proxy.same_person(self.agent, principal):
            self.problem = "identity.proxy.same_person"
            return self.state
        self.identity = principal
        self.fire(Event.PRINCIPAL_OK)
        self._prefill()
        return self.state

    def _prefill(self) -> None:
        """The form starts with the ID number already read or typed."""
        assert self.service is not None and self.identity is not None
        for field in self.service.fields:
            if field.type is FieldType.ID_NUMBER:
                self.form[field.key] = self.identity.id_number

    def identified(self, identity: Identity, via: credentials.Credential | None = None) -> State:
        """A credential was read (via says which when the document does not: an e-credential).
        An expired card, one the service does not accept, or an agent presenting their own card as the
        principal's is refused here, not at the centre."""
        if self.state is not State.IDENTIFY:
            return self.state      # a card inserted on another screen is ignored, not an error
        if identity.is_expired(self.clock().date()):
            self.problem = "idcard.expired"
            return self.state
        presented = via or credentials.of_card(identity)
        if self.service is not None and presented not in self.service.credentials:
            self.problem = "identity.not_accepted"
            return self.state
        identity = dataclasses.replace(identity, credential=presented.value)    # the department sees how
        if self.intent is Intent.PROXY_AGENT:          # the agent first; the principal next, on this screen
            self.agent, self.intent = identity, Intent.PROXY_PRINCIPAL
            return self.fire(IDENTIFIED_BY_INTENT[Intent.PROXY_AGENT])
        if self.intent is Intent.PROXY_PRINCIPAL and proxy.same_person(self.agent, identity):
            self.problem = "identity.proxy.same_person"
            return self.state
        self.identity = identity
        self.fire(IDENTIFIED_BY_INTENT[self.intent])
        if self.state is not State.FORM:
            return self.state
        self._prefill()
        return self.state

    def credential_problem(self, key: str) -> None:
        if self.state is State.IDENTIFY:
            self.problem = key

    def submit_form(self, values: dict[str, str]) -> State:
        if self.state is State.PRINCIPAL:
            return self._submit_principal(values)
        assert self.service is not None
        self.form = {k: v.strip() for k, v in values.items()}
        self.form_problems = application.validate(self.service, self.form)
        if self.form_problems:
            return self.state
        self.form = application.normalized(self.service, self.form)
        return self.fire(FORM_DONE_BY_INTENT.get(self.intent, Event.FORM_OK))

    def captured(self, index: int, data: bytes, media_type: str, add_page: bool = False) -> None:
        """A page of a material photographed: a retake replaces the last page, add_page puts one after it
        (the back of a card, the next page of a report), up to materials.MAX_PAGES."""
        assert self.service is not None
        pages = self.captures.setdefault(index, [])
        if pages and not (add_page and len(pages) < materials.MAX_PAGES):
            pages.pop()
        pages.append(application.Attachment(materials.page_name(self.service.materials[index], len(pages) + 1),
                                             media_type, data))
        self.later.discard(index)
        self.problem = None

    def capture_failed(self, problem: str) -> None:
        if self.state is State.MATERIALS:
            self.problem = problem

    def supply_later(self, index: int, later: bool) -> None:
        """以后补交, only where the catalog allows it; a picture already taken is then dropped."""
        assert self.service is not None
        if later and materials.may_follow(self.service, self.service.materials[index]):
            self.later.add(index)
            self.captures.pop(index, None)
        else:
            self.later.discard(index)
        self.problem = None

    def unmet_materials(self) -> list[int]:
        assert self.service is not None
        return materials.unmet(self.service, self.captures, self.later)

    def materials_done(self) -> State:
        if self.unmet_materials():
            self.problem = "apply.materials.required"
            return self.state
        return self.fire(Event.MATERIALS_OK)

    def commitment_text(self) -> str:
        assert self.service is not None
        return self.translator.local(self.service.commitment)

    def commit(self) -> State:
        """The citizen pressed 我承诺: the text they read, in their language, and when."""
        self.commitment = application.Commitment.of(self.commitment_text(), self.language,
                                                    self.catalog.version, self.clock())
        return self.fire(Event.COMMITTED)

    def signed(self, png: bytes) -> State:
        """The signature drawn on the pad; the pad itself refuses one with too little ink."""
        if not png.startswith(application.PNG_MAGIC):
            self.problem = "apply.sign.empty"
            return self.state
        self.signature = application.Attachment(application.SIGNATURE, "image/png", png)
        return self.fire(Event.SIGNED)

    def signed_by_keys(self) -> State:
        """A citizen who cannot write here (blind, or hands that cannot) signs by confirming with the
        keypad after the declaration was read out. Recorded as that statement, not as ink, so the
        department knows how it was signed and can ask for a witnessed signature where the law needs one."""
        statement = {"method": application.SIGNED_BY_KEYS, "declaration": self.translator.t("apply.sign.declaration"),
                     "language": self.language, "audio_only": self.profile.audio_only,
                     "at": self.clock().isoformat()}
        self.signature = application.Attachment(application.SIGNATURE, "application/json",
                                                json.dumps(statement, ensure_ascii=False).encode("utf-8"))
        return self.fire(Event.SIGNED)

    def confirm(self) -> application.Application:
        """Review accepted: the application to store. The caller stores it and reports back."""
        assert self.service is not None and self.identity is not None
        now = self.clock()
        if self.service.needs_signature and self.signature is None:
            raise InvalidTransition("an application is submitted signed")
        captured = tuple(page for index in sorted(self.captures) for page in self.captures[index])
        self.application = application.Application(
            idempotency_key=application.new_key(),
            kiosk_id=self.kiosk_id,
            service_code=self.service.code,
            applicant=self.identity,
            form=dict(self.form),
            submitted_at=now,
            promised_date=self.calendar.add_working_days(now.date(), self.service.time_limit_days),
            attachments=captured + ((self.signature,) if self.signature else ()),
            missing=materials.missing(self.service, self.later, self.captures, now.date(), self.calendar),
            commitment=self.commitment,
            agent=self.agent,
        )
        self.applications = [self.application] if self.bundle is None else \
            bundles.applications(self.catalog, self.bundle, self.application, self.calendar)
        self.fire(Event.CONFIRM)
        return self.application

    def stored(self, case_number: str) -> State:
        assert self.application is not None and self.service is not None
        self.case_number = case_number
        self.fire(Event.STORED)
        promised = self.application.promised_date
        self.receipt = receipt.compose(self.application, self.service, case_number, self.translator, self.location,
                                       provisional=promised is not None and self.calendar.is_provisional(promised))
        return self.state

    def stored_all(self, case_numbers: list[str]) -> State:
        """What confirm() made is queued; a bundle's receipt lists every case number."""
        self.case_numbers = case_numbers
        self.stored(case_numbers[0])
        if self.bundle is not None:
            self.receipt = receipt.compose_bundle(self.bundle, self.applications, case_numbers, self.catalog,
                                                  self.translator, self.location)
        return self.state

    def store_failed(self, problem: str) -> State:
        self.fire(Event.STORE_FAILED)
        self.problem = problem
        return self.state

    def printed(self, problem: str | None) -> None:
        self.print_problem = problem

    # -- feedback: 好差评 and complaints ------------------------------------------------------------
    def rate(self, score: feedback.Score) -> State:
        if self.feedback.score is not score:
            self.feedback.reasons = []          # reasons were chosen for the other level
        self.feedback.score = score
        return self.fire(Event.RATE)

    def rating(self) -> feedback.Rating:
        """The rating to queue, linked to this visit's case and service."""
        draft = self.feedback
        assert draft.score is not None and self.service is not None
        return feedback.new_rating(self.service.code, self.case_number or "", draft.score, draft.reasons,
                                   draft.comment, self.clock())

    def complaint(self) -> feedback.Complaint | None:
        """The complaint to queue, or None with what to fix in feedback.problems."""
        draft = self.feedback
        draft.problems = feedback.complaint_problems(draft.text, draft.mobile)
        if draft.problems:
            return None
        linked = draft.about_service and self.service is not None
        return feedback.new_complaint(draft.category, self.service.code if linked else "",
                                      (self.case_number or "") if linked else "", draft.text, draft.mobile,
                                      self.clock())

    def feedback_sent(self) -> State:
        return self.fire(Event.SEND)

    def feedback_failed(self) -> None:
        self.problem = "feedback.send_failed"
