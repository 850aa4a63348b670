"""The citizen session as an explicit state machine: each screen a state, each tap an event.

The transition table below is the whole flow; the UI shows `state` and forwards taps, the
controller performs the I/O a state asks for (storing, printing) and reports back here.
"""
from __future__ import annotations

import datetime as dt
import enum
from typing import Callable

from kiosk import application, receipt
from kiosk.accessibility import Profile
from kiosk.catalog import Catalog, Domain, FieldType, Service
from kiosk.i18n import Translator
from kiosk.identity import Identity
from kiosk.workdays import Calendar


class State(enum.Enum):
    ATTRACT = "attract"
    SERVICES = "services"
    DETAIL = "detail"
    IDENTIFY = "identify"
    FORM = "form"
    REVIEW = "review"
    SUBMITTING = "submitting"
    RECEIPT = "receipt"


class Event(enum.Enum):
    START = "start"
    CHOOSE = "choose"
    APPLY = "apply"
    IDENTIFIED = "identified"
    FORM_OK = "form_ok"
    CONFIRM = "confirm"
    STORED = "stored"
    STORE_FAILED = "store_failed"
    BACK = "back"
    FINISH = "finish"
    HOME = "home"
    TIMEOUT = "timeout"


class Intent(enum.Enum):
    """Why the citizen is identifying: decides where a read credential leads."""

    APPLY = "apply"            # fill in the service's form


# The event a read credential fires, by intent: each intent's flow continues from its own screen.
IDENTIFIED_BY_INTENT: dict[Intent, Event] = {
    Intent.APPLY: Event.IDENTIFIED,
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
    (S.FORM, E.FORM_OK): S.REVIEW,
    (S.FORM, E.BACK): S.DETAIL,
    (S.REVIEW, E.CONFIRM): S.SUBMITTING,
    (S.REVIEW, E.BACK): S.FORM,
    (S.SUBMITTING, E.STORED): S.RECEIPT,
    (S.SUBMITTING, E.STORE_FAILED): S.REVIEW,
    (S.RECEIPT, E.FINISH): S.ATTRACT,
}
# Leaving for the attract screen is possible from everywhere except while a submission is being
# written: that write is short and must end in a receipt or a clear failure.
for _state in State:
    if _state not in (S.ATTRACT, S.SUBMITTING):
        TRANSITIONS[(_state, E.HOME)] = S.ATTRACT
        TRANSITIONS[(_state, E.TIMEOUT)] = S.ATTRACT

# Going back past identification forgets the citizen, so the next person cannot see them.
_FORGETS_IDENTITY = {(S.FORM, E.BACK), (S.IDENTIFY, E.BACK)}


class InvalidTransition(RuntimeError):
    pass


class Session:
    """One citizen's visit. Holds their data only until the visit ends; wipe() forgets all of it."""

    def __init__(self, catalog: Catalog, calendar: Calendar, kiosk_id: str, language: str,
                 profile: Profile = Profile(), clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(application.CHINA_TZ)) -> None:
        self.catalog = catalog
        self.calendar = calendar
        self.kiosk_id = kiosk_id
        self.default_language = language
        self.default_profile = profile
        self.clock = clock
        self.state = State.ATTRACT
        self.wipe()

    # -- data --------------------------------------------------------------------------------
    def wipe(self) -> None:
        """Forget everything about the citizen: called when the visit ends or times out."""
        self.language = self.default_language
        self.profile = self.default_profile
        self.domain = Domain.PUBLIC_SECURITY
        self.service: Service | None = None
        self.intent = Intent.APPLY
        self.identity: Identity | None = None
        self.form: dict[str, str] = {}
        self.form_problems: dict[str, str] = {}
        self.problem: str | None = None           # i18n key of the message shown on this screen
        self.application: application.Application | None = None
        self.case_number: str | None = None
        self.receipt: receipt.Receipt | None = None
        self.print_problem: str | None = None

    @property
    def translator(self) -> Translator:
        return Translator(self.language)

    # -- the machine ---------------------------------------------------------------------------
    def fire(self, event: Event) -> State:
        try:
            target = TRANSITIONS[(self.state, event)]
        except KeyError:
            raise InvalidTransition(f"{event.value} is not possible on {self.state.value}") from None
        if (self.state, event) in _FORGETS_IDENTITY:
            self.identity, self.form, self.form_problems = None, {}, {}
        self.problem = None
        self.state = target
        if target is State.ATTRACT:
            self.wipe()
        return target

    def is_open(self, service: Service) -> bool:
        """Whether the service can be done here now, holidays and make-up days counted."""
        return service.hours.is_open(self.clock(), self.calendar)

    def can(self, event: Event) -> bool:
        return (self.state, event) in TRANSITIONS

    # -- what taps and devices report ------------------------------------------------------------
    def set_language(self, language: str) -> None:
        self.language = language

    def choose_domain(self, domain: Domain) -> None:
        self.domain = domain

    def choose_service(self, code: str) -> State:
        self.service = self.catalog.get(code)
        return self.fire(Event.CHOOSE)

    def identified(self, identity: Identity) -> State:
        """A credential was read. An expired card is refused here, not at the centre."""
        if self.state is not State.IDENTIFY:
            return self.state      # a card inserted on another screen is ignored, not an error
        if identity.is_expired(self.clock().date()):
            self.problem = "idcard.expired"
            return self.state
        self.identity = identity
        self.fire(IDENTIFIED_BY_INTENT[self.intent])
        if self.state is not State.FORM:
            return self.state
        assert self.service is not None
        for field in self.service.fields:
            if field.type is FieldType.ID_NUMBER:
                self.form[field.key] = identity.id_number
        return self.state

    def credential_problem(self, key: str) -> None:
        if self.state is State.IDENTIFY:
            self.problem = key

    def submit_form(self, values: dict[str, str]) -> State:
        assert self.service is not None
        self.form = {k: v.strip() for k, v in values.items()}
        self.form_problems = application.validate(self.service, self.form)
        if self.form_problems:
            return self.state
        return self.fire(Event.FORM_OK)

    def confirm(self) -> application.Application:
        """Review accepted: the application to store. The caller stores it and reports back."""
        assert self.service is not None and self.identity is not None
        now = self.clock()
        self.application = application.Application(
            idempotency_key=application.new_key(),
            kiosk_id=self.kiosk_id,
            service_code=self.service.code,
            applicant=self.identity,
            form=dict(self.form),
            submitted_at=now,
            promised_date=self.calendar.add_working_days(now.date(), self.service.time_limit_days),
        )
        self.fire(Event.CONFIRM)
        return self.application

    def stored(self, case_number: str) -> State:
        assert self.application is not None and self.service is not None
        self.case_number = case_number
        self.fire(Event.STORED)
        self.receipt = receipt.compose(self.application, self.service, case_number, self.translator)
        return self.state

    def store_failed(self, problem: str) -> State:
        self.fire(Event.STORE_FAILED)
        self.problem = problem
        return self.state

    def printed(self, problem: str | None) -> None:
        self.print_problem = problem
