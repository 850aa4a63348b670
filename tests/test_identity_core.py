"""Identities beyond the ID card, proxy handling and bundles, in the Qt-free core."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk import bundles, catalog, ecredential, idnumber, workdays
from kiosk.credentials import DEFAULT_ACCEPTED, Credential
from kiosk.i18n import Translator
from kiosk.identify_ways import ways
from kiosk.identity import CardType, Identity, Sex
from kiosk.session import Event, Intent, InvalidTransition, Session, State
from kiosk.voice import announcement
from tooling.samples import CLOCK, sample_identity

NOW = dt.datetime(2026, 11, 25, 2, 30, tzinfo=dt.UTC)


def _person(first17: str, name: str, card_type: CardType = CardType.RESIDENT) -> Identity:
    return Identity(name=name, sex=Sex.MALE, birth_date=dt.date(1970, 1, 1),
                    id_number=first17 + idnumber.check_digit(first17), card_type=card_type)


AGENT = _person("41150219700101001", "李建国")


@pytest.fixture(scope="module")
def bundled() -> catalog.Catalog:
    return catalog.load()



# ---- catalog --------------------------------------------------------------------------------------

def test_services_default_to_the_readers_cards_and_the_e_credential(bundled: catalog.Catalog) -> None:
    plain = next(s for s in bundled.services if s.code.endswith("0117011000"))
    assert plain.credentials == DEFAULT_ACCEPTED
    assert Credential.PASSPORT in bundled.get("11411500417004883P2000117021000").credentials
    assert bundled.get("1141150041700231981000117002000").credentials == (Credential.RESIDENT, Credential.E_CREDENTIAL)


def test_bundles_parse_with_members_of_different_departments(bundled: catalog.Catalog) -> None:
    assert {b.code for b in bundled.bundles} >= {"bundle-newborn", "bundle-retirement"}
    for bundle in bundled.bundles:
        departments = [bundled.get(code).department.zh for code in bundle.members]
        assert len(departments) == len(set(departments)) >= 2


def _document() -> dict:
    return json.loads(catalog.BUNDLED.read_text(encoding="utf-8"))


@pytest.mark.parametrize("change, message", [
    (lambda d: d["bundles"][0].update(members=["nope", d["services"][0]["code"]]), "no service nope"),
    (lambda d: d["bundles"][0].update(members=d["bundles"][0]["members"][:1]), "two services or more"),
    (lambda d: d["bundles"][0].update(members=[d["services"][0]["code"], d["services"][1]["code"]]),
     "one service per department"),
    (lambda d: d["bundles"][1].update(code=d["bundles"][0]["code"]), "unique"),
    (lambda d: d["services"][0].update(credentials=["typed"]), "credentials"),
    (lambda d: d["services"][0].update(credentials=["fingerprint"]), "fingerprint"),
])
def test_a_bad_bundle_or_credential_list_is_refused_by_name(change, message: str) -> None:
    document = _document()
    change(document)
    with pytest.raises(catalog.CatalogError, match=message):
        catalog.parse(document)


def test_a_bundle_reads_as_one_service_and_splits_into_one_form_per_member(bundled: catalog.Catalog) -> None:
    bundle = bundled.bundle("bundle-newborn")
    whole = bundles.combined(bundled, bundle)
    names = [m.name.zh for m in whole.materials]
    assert len(names) == len(set(names)) and "出生医学证明" in names         # each material once
    keys = [f.key for f in whole.fields]
    assert keys[:len(bundle.shared_fields)] == [f.key for f in bundle.shared_fields]
    form = {f.key: f"v-{f.key}" for f in whole.fields}
    parts = bundles.split(bundled, bundle, form)
    assert [s.code for s, _ in parts] == list(bundle.members)
    for service, values in parts:
        assert set(values) == {f.key for f in service.fields}
        assert values["mobile"] == "v-mobile"                               # shared: typed once
    police = parts[0][1]
    assert police["settle_with"] == f"v-{bundle.members[0]}/settle_with"     # its own field


# ---- e-credentials ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def _keys(key: Ed25519PrivateKey) -> dict:
    return ecredential.parse_public_keys(ecredential.public_key_text(key.public_key()))


def test_an_issued_credential_verifies_offline_with_the_public_key(key) -> None:
    who = sample_identity()
    payload = ecredential.issue(key, who, NOW, dt.timedelta(minutes=10))
    outcome = ecredential.verify(payload, _keys(key), NOW + dt.timedelta(minutes=9))
    assert outcome.ok, outcome
    assert (outcome.value.identity.name, outcome.value.identity.id_number) == (who.name, who.id_number)
    assert outcome.value.identity.birth_date == who.birth_date


def test_an_expired_credential_is_refused_as_expired(key) -> None:
    payload = ecredential.issue(key, sample_identity(), NOW, dt.timedelta(minutes=10))
    outcome = ecredential.verify(payload, _keys(key), NOW + dt.timedelta(minutes=10))
    assert outcome.problem == ecredential.EXPIRED


def test_a_credential_edited_after_signing_is_refused_as_forged(key) -> None:
    payload = ecredential.issue(key, sample_identity(), NOW, dt.timedelta(minutes=10))
    _, claims, signature = payload.split(".")
    edited = json.loads(ecredential._unb64(claims))
    edited["name"] = "张三"
    forged = f"K24ID1.{ecredential._b64(json.dumps(edited).encode())}.{signature}"
    assert ecredential.verify(forged, _keys(key), NOW).problem == ecredential.FORGED


def test_a_credential_signed_by_another_key_is_refused_as_forged(key) -> None:
    impostor = Ed25519PrivateKey.generate()
    payload = ecredential.issue(impostor, sample_identity(), NOW, dt.timedelta(minutes=10))
    assert ecredential.verify(payload, _keys(key), NOW).problem == ecredential.FORGED
    # even when the impostor copies the genuine key's id into its claims
    _, claims, _ = payload.split(".")
    body = json.loads(ecredential._unb64(claims)) | {"kid": ecredential.key_id(key.public_key())}
    signed = "K24ID1." + ecredential._b64(json.dumps(body).encode())
    relabelled = signed + "." + ecredential._b64(impostor.sign(signed.encode()))
    assert ecredential.verify(relabelled, _keys(key), NOW).problem == ecredential.FORGED


@pytest.mark.parametrize("payload, problem", [
    ("K24:XY-01-20261125-0001:abcdefghijklmnopqrstu", ecredential.NOT_OURS),
    ("https://example.org", ecredential.NOT_OURS),
    ("K24ID1.%%%.%%%", ecredential.MALFORMED),
    ("K24ID1.only-one-part", ecredential.MALFORMED),
])
def test_other_and_damaged_codes_are_named(key, payload: str, problem: str) -> None:
    assert ecredential.verify(payload, _keys(key), NOW).problem == problem


def test_without_configured_keys_nothing_is_accepted(key) -> None:
    payload = ecredential.issue(key, sample_identity(), NOW, dt.timedelta(minutes=10))
    assert ecredential.verify(payload, {}, NOW).problem == ecredential.NOT_CONFIGURED


def test_a_bad_public_key_in_the_configuration_is_named() -> None:
    with pytest.raises(ValueError, match="not a base64 Ed25519 public key"):
        ecredential.parse_public_keys("bm90IGEga2V5")


# ---- the IDENTIFY screen's choices ---------------------------------------------------------------------

def test_ways_follow_the_catalog_and_a_dead_reader_is_marked() -> None:
    assert [w.key for w in ways(DEFAULT_ACCEPTED, set())] == ["card", "e_credential"]
    offered = ways((Credential.RESIDENT, Credential.PASSPORT, Credential.E_CREDENTIAL), {"idcard"})
    assert [(w.key, w.available) for w in offered] == [("card", False), ("passport", True), ("e_credential", True)]


# ---- the session --------------------------------------------------------------------------------------

def _at_detail(cat: catalog.Catalog, code: str) -> Session:
    session = Session(cat, workdays.load(), "XY-TEST-01", "zh_CN", clock=lambda: CLOCK)
    session.fire(Event.START)
    session.choose_service(code)
    return session


PROXY_CODE = "11411500MB1C29607K1000117085000"     # 跨省异地就医备案: proxy allowed, passports taken


def test_a_card_the_service_does_not_take_is_refused(bundled) -> None:
    session = _at_detail(bundled, "1141150041700231981000117002000")    # resident ID only
    session.apply_as(Intent.APPLY)
    foreigner = _person("41150219700101002", "SMITH", CardType.FOREIGN_PERMANENT)
    assert session.identified(foreigner) is State.IDENTIFY
    assert session.problem == "identity.not_accepted"


def test_proxy_agent_then_principal_by_card(bundled) -> None:
    session = _at_detail(bundled, PROXY_CODE)
    session.apply_as(Intent.PROXY_AGENT)
    assert session.identified(AGENT) is State.IDENTIFY and session.agent.id_number == AGENT.id_number
    assert session.identified(AGENT) is State.IDENTIFY                  # the agent's card again: refused
    assert session.problem == "identity.proxy.same_person"
    principal = sample_identity()
    assert session.identified(principal) is State.FORM
    assert (session.identity.id_number, session.agent.id_number) == (principal.id_number, AGENT.id_number)
    assert session.form["id_number"] == principal.id_number


def test_proxy_principal_typed_is_checked_then_filled_in(bundled) -> None:
    session = _at_detail(bundled, PROXY_CODE)
    session.apply_as(Intent.PROXY_AGENT)
    session.identified(AGENT)
    assert session.type_principal() is State.PRINCIPAL
    assert [f.key for f in session.form_fields] == ["principal_name", "principal_id_number"]
    bad = sample_identity().id_number[:-1] + ("0" if sample_identity().id_number[-1] != "0" else "1")
    assert session.submit_form({"principal_name": "王秀英", "principal_id_number": bad}) is State.PRINCIPAL
    assert session.form_problems == {"principal_id_number": "error.id_number.check_digit"}
    number = sample_identity().id_number
    assert session.submit_form({"principal_name": " 王秀英 ", "principal_id_number": number}) is State.FORM
    assert (session.identity.name, session.identity.id_number, session.agent.name) == ("王秀英", number, AGENT.name)
    assert session.identity.birth_date == dt.date(1985, 3, 12)
    assert "principal_name" not in session.form and session.form["id_number"] == number
    assert session.identity.credential == "typed" and session.agent.credential == "resident"   # unverified: said so


def test_going_back_forgets_agent_and_principal(bundled) -> None:
    session = _at_detail(bundled, PROXY_CODE)
    session.apply_as(Intent.PROXY_AGENT)
    session.identified(AGENT)
    session.fire(Event.BACK)
    assert session.state is State.DETAIL and session.agent is None and session.identity is None


def test_proxy_is_refused_where_the_catalog_does_not_allow_it(bundled) -> None:
    session = _at_detail(bundled, "11411500417004883P2000117021000")
    with pytest.raises(InvalidTransition):
        session.apply_as(Intent.PROXY_AGENT)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_identity_screens_say_where_the_citizen_is(bundled, language: str) -> None:
    tr = Translator(language)
    session = _at_detail(bundled, PROXY_CODE)
    session.set_language(language)
    session.device_health("idcard", works=False)
    session.apply_as(Intent.PROXY_AGENT)
    said = announcement(session, tr)
    assert tr.t("identity.title_agent") in said and tr.t("identity.unavailable") in said
    session.device_health("idcard", works=True)
    session.identified(AGENT)
    assert tr.t("identity.title_principal") in announcement(session, tr)
    session.type_principal()
    session.submit_form({"principal_name": "王秀英", "principal_id_number": "123"})
    said = announcement(session, tr)
    assert tr.t("identity.voice.principal") in said and tr.t("error.id_number.shape") in said
    session.fire(Event.HOME)
    session.fire(Event.START)
    session.choose_bundle("bundle-retirement")
    said = announcement(session, tr)
    assert all(tr.local(bundled.get(code).name) in said for code in session.bundle.members)


# ---- outside bytes: whatever a phone shows the scanner ------------------------------------------------


_KEY = Ed25519PrivateKey.generate()
_GENUINE = ecredential.issue(_KEY, sample_identity(), NOW, dt.timedelta(minutes=10))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300)
       | st.text(alphabet="K24ID1.abcXYZ_-=0123456789", max_size=300).map(lambda t: "K24ID1." + t))
def test_any_scanned_text_is_an_outcome_never_an_exception(text: str) -> None:
    outcome = ecredential.verify(text, _keys(_KEY), NOW)
    assert not outcome.ok and outcome.problem in (ecredential.NOT_OURS, ecredential.MALFORMED, ecredential.FORGED)


@settings(max_examples=200, deadline=None)
@given(st.integers(len(ecredential.PREFIX), len(_GENUINE) - 1), st.characters(codec="ascii"))
def test_no_changed_character_gets_through(position: int, char: str) -> None:
    changed = _GENUINE[:position] + char + _GENUINE[position + 1:]
    outcome = ecredential.verify(changed, _keys(_KEY), NOW)
    if outcome.ok:      # only where the signature's encoding has slack (padding bits): the signed text is intact
        assert changed.rpartition(".")[0] == _GENUINE.rpartition(".")[0]
        assert outcome.value.identity.id_number == sample_identity().id_number
