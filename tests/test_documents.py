"""Certified A4 documents: made and signed by a real case store, checked offline with the pinned
certificate (a changed byte fails), and checked by anyone on the QR's verification page."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk import catalog
from kiosk.application import new_key
from sync import signing
from sync.casestore import document_pdf, documents
from sync.centre_link import HttpCentreLink
from sync.client import CentreClient
from sync.document_signature import Verdict, certificate_path, new_certificate, verify
from sync.signing import Signer
from tests.fixtures.casestore import CaseStoreServer
from tests.fixtures.common import free_port
from tests.test_online_centre import card
from tooling import cli

SOCIAL = "1141150041700395202000117061000"
LICENCE = "11411500MB1D00000X2000117391000"


def link_to(casestore: CaseStoreServer) -> HttpCentreLink:
    """The kiosk's link with the centre key pinned, as a kiosk has it: documents are taken only signed."""
    return HttpCentreLink(casestore.client("XY-TEST-01"))


def read_page(pdf: bytes) -> tuple[str, list[str]]:
    """The first page's text and QR codes as a reader shows them: drawn by PDFium (with the embedded font),
    the codes decoded by zxing-cpp."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        text_page = page.get_textpage()
        text = text_page.get_text_range()
        image = page.render(scale=2).to_pil()
        text_page.close()
        page.close()
    finally:
        document.close()
    return text, [found.text for found in zxingcpp.read_barcodes(image)]


def pinned(casestore: CaseStoreServer) -> bytes:
    """The document certificate a kiosk pins: the one the server made beside its signing key."""
    return certificate_path(casestore.signing_key.with_name("centre-documents.key")).read_bytes()


def test_catalog_marks_exactly_the_services_the_centre_issues_documents_for() -> None:
    marked = {s.code for s in catalog.load().services if s.a4_document}
    assert marked == set(documents.DOCUMENTS)


def test_a_document_is_signed_valid_and_any_changed_byte_or_appended_update_fails(
        casestore: CaseStoreServer) -> None:
    link, who = link_to(casestore), card()
    got = link.document(SOCIAL, who, {}, new_key())
    assert got.ok, got
    document = got.value
    assert document.pdf.startswith(b"%PDF-") and document.pages == 1 and document.demo
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{16}", document.code)
    certificate = pinned(casestore)
    assert verify(document.pdf, certificate) is Verdict.VALID
    assert b"/FontFile2" in document.pdf                  # the TrueType Chinese font is embedded
    assert b"/ETSI.CAdES.detached" in document.pdf        # PAdES, as readers know it
    # One changed byte in the page content (signed range), in the signature's own bytes, at the end.
    content = document.pdf.index(b"stream", 2000) + 40
    signature = document.pdf.index(b"/Contents <") + 40        # inside the CMS, not its zero padding
    for position in (content, signature, len(document.pdf) // 3):
        changed = bytearray(document.pdf)
        changed[position] ^= 0x01
        assert verify(bytes(changed), certificate) is Verdict.TAMPERED, position
    assert verify(document.pdf + b"\n1 0 obj\n(changed)\nendobj\n", certificate) is Verdict.TAMPERED
    other = new_certificate(ec.generate_private_key(ec.SECP256R1()), "someone else", document.issued_at)
    assert verify(document.pdf, other.public_bytes(serialization.Encoding.PEM)) is Verdict.UNKNOWN_SIGNER
    assert verify(b"not a pdf at all", certificate) is Verdict.TAMPERED
    kiosk24_verify_pins_the_certificate_from_the_centre_then_checks_offline(casestore, document.pdf, changed)
    the_same_key_gets_the_same_original_and_another_key_a_new_one(casestore)
    every_document_service_makes_a_document_that_verifies(casestore)
    a_business_licence_reads_as_one_with_demo_values_and_a_changed_byte_fails(casestore)
    the_qr_page_says_valid_with_a_masked_holder_then_revoked_and_unknown_is_404(casestore)


def kiosk24_verify_pins_the_certificate_from_the_centre_then_checks_offline(
        casestore: CaseStoreServer, pdf: bytes, changed: bytearray) -> None:
    folder = casestore.log_path.parent
    genuine, altered = folder / "document.pdf", folder / "altered.pdf"
    genuine.write_bytes(pdf)
    altered.write_bytes(bytes(changed))
    environ = {"KIOSK24_CENTRE_URL": casestore.url, "KIOSK24_KIOSK_ID": "XY-TEST-01",
               "KIOSK24_CREDENTIAL": casestore.enrol("XY-TEST-01"),
               "KIOSK24_CENTRE_PUBLIC_KEY": casestore.centre_public_key,
               "KIOSK24_DATA_DIR": str(folder / "kiosk"), "KIOSK24_SECRETS_DIR": str(folder / "secrets")}
    (folder / "kiosk.toml").write_text("", encoding="utf-8")
    config = ["--config", str(folder / "kiosk.toml")]
    assert cli.main(["verify", *config, str(genuine)], environ) == 0
    assert (folder / "secrets" / "centre-documents.pem").read_bytes() == pinned(casestore)
    offline = {**environ, "KIOSK24_CENTRE_URL": f"http://127.0.0.1:{free_port()}"}   # nobody listens there
    assert cli.main(["verify", *config, str(altered)], offline) == 1
    assert cli.main(["verify", *config, str(genuine)], offline) == 0


def the_same_key_gets_the_same_original_and_another_key_a_new_one(casestore: CaseStoreServer) -> None:
    link, who, key = link_to(casestore), card(), new_key()
    first, again = link.document(SOCIAL, who, {}, key), link.document(SOCIAL, who, {}, key)
    assert first.value.document_id == again.value.document_id and first.value.pdf == again.value.pdf
    other = link.document(SOCIAL, who, {}, new_key())
    assert other.value.document_id != first.value.document_id and other.value.code != first.value.code
    impostor_key = signing.public_text(Ed25519PrivateKey.generate().public_key())
    pinned_other = HttpCentreLink(CentreClient(casestore.url, Signer("XY-TEST-01", casestore.enrol("XY-TEST-01")),
                                               centre_key=lambda: impostor_key))
    try:     # the same answer, but not signed by the key this kiosk pinned: nothing to print
        assert pinned_other.document(SOCIAL, who, {}, key).problem == "centre.error"
    finally:
        pinned_other.close()
    stranger = link.document(SOCIAL, card("41150219520101123"), {}, key)
    assert not stranger.ok                  # a key names one person's document: not handed to another
    assert link.document("not-a-service", who, {}, new_key()).problem == "online.not_offered"


def every_document_service_makes_a_document_that_verifies(casestore: CaseStoreServer) -> None:
    link, who, certificate = link_to(casestore), card(), pinned(casestore)
    for code, kind in documents.DOCUMENTS.items():
        document = link.document(code, who, {}, new_key()).value
        assert document.title.zh == kind.title.zh and document.issuer.zh == kind.issuer.zh
        assert verify(document.pdf, certificate) is Verdict.VALID


def a_business_licence_reads_as_one_with_demo_values_and_a_changed_byte_fails(casestore: CaseStoreServer) -> None:
    link, who, certificate = link_to(casestore), card(), pinned(casestore)
    licence = link.document(LICENCE, who, {"credit_code": "91411502MA9XKQ7T3U"}, new_key()).value
    text, [address] = read_page(licence.pdf)
    fields = [text.index(label) for label in document_pdf.LICENCE_FIELDS]
    assert fields == sorted(fields)                                   # the licence's fields, in its order
    assert re.search(f"法定代表人：\\s*{who.name}", text) and who.id_number not in text   # and no ID number
    assert "91411502MA9XKQ7T3U（演示数据）" in text and "商贸有限公司（演示数据）" in text and "演示印章" in text
    assert address.endswith(f"/verify/{licence.code}") and licence.title.zh == "营业执照"
    changed = bytearray(licence.pdf)
    changed[licence.pdf.index(b"stream", 2000) + 40] ^= 0x01
    assert verify(licence.pdf, certificate) is Verdict.VALID and verify(bytes(changed), certificate) is Verdict.TAMPERED


def the_qr_page_says_valid_with_a_masked_holder_then_revoked_and_unknown_is_404(
        casestore: CaseStoreServer) -> None:
    link, who = link_to(casestore), card()
    document = link.document(SOCIAL, who, {}, new_key()).value
    text, [address] = read_page(document.pdf)         # the QR as a phone reads it off the page
    assert "社会保险参保缴费证明" in text and "信阳市社会保险中心" in text and who.id_number in text
    assert address == f"{casestore.url}/verify/{document.code}"
    page = requests.get(address, timeout=5)
    assert page.status_code == 200 and "有效" in page.text and "社会保险参保缴费证明" in page.text
    assert who.id_number not in page.text and who.name not in page.text
    assert who.id_number[-4:] in page.text and who.name[0] + "*" in page.text
    checked = link.check_document(document.code)
    assert checked.ok and checked.value.valid and checked.value.holder.startswith(who.name[0])
    assert cli.main(["casestore", "revoke-document", document.code.lower(), "--db", casestore.db_url]) == 0
    assert cli.main(["casestore", "revoke-document", "Z" * 16, "--db", casestore.db_url]) == 1
    revoked = requests.get(f"{casestore.url}/verify/{document.code}", timeout=5)
    assert "已撤销" in revoked.text and not link.check_document(document.code).value.valid
    unknown = requests.get(f"{casestore.url}/verify/{'A' * 16}", timeout=5)
    assert unknown.status_code == 404 and "A" * 16 not in unknown.text
    hostile = requests.get(f"{casestore.url}/verify/%3Cscript%3E", timeout=5)
    assert hostile.status_code == 404 and "<script>" not in hostile.text
    assert link.check_document("B" * 16).problem == "verify.unknown_code"
    with requests.Session() as http:       # counted per address: 4 pages seen above, then the rest
        answers = [http.get(f"{casestore.url}/verify/{'C' * 16}", timeout=5).status_code
                   for _ in range(documents.VERIFY_PER_ADDRESS - 3)]
    assert answers[:-1] == [404] * (documents.VERIFY_PER_ADDRESS - 4) and answers[-1] == 429


def test_the_holder_downloads_the_signed_pdf_with_their_whole_id_number_and_nobody_searches_for_it(
        casestore: CaseStoreServer) -> None:
    """The electronic copy a kiosk's slip points to when its A4 printer could not print: the code's page
    offers it to the holder, who types their whole ID number (the page shows only its last four)."""
    link, who = link_to(casestore), card()
    document = link.document(SOCIAL, who, {}, new_key()).value
    assert document.verify_url == f"{casestore.url}/verify/{document.code}"
    page = requests.get(document.verify_url, timeout=5)
    assert 'name="id_number"' in page.text and f'action="{document.code}/pdf"' in page.text
    other = "11010519491231002X" if who.id_number != "11010519491231002X" else "110105194912310037"
    padded = requests.post(f"{document.verify_url}/pdf", data={"x": "A" * documents.MAX_FORM_BYTES,
                                                              "id_number": who.id_number}, timeout=5)
    assert padded.status_code == 413 and b"%PDF" not in padded.content       # refused whole, never read cut
    wrong = requests.post(f"{document.verify_url}/pdf", data={"id_number": other}, timeout=5)
    assert wrong.status_code == 403 and b"%PDF" not in wrong.content and who.id_number not in wrong.text
    copy = requests.post(f"{document.verify_url}/pdf", data={"id_number": who.id_number.lower()}, timeout=5)
    assert copy.status_code == 200 and copy.headers["content-type"] == "application/pdf"
    assert copy.content == document.pdf and verify(copy.content, pinned(casestore)) is Verdict.VALID
    assert copy.headers["cache-control"] == "no-store" and document.document_id in copy.headers["content-disposition"]
    tries = [requests.post(f"{document.verify_url}/pdf", data={"id_number": other}, timeout=5).status_code
             for _ in range(documents.DOWNLOADS_PER_CODE - 1)]
    assert tries == [403] * (documents.DOWNLOADS_PER_CODE - 2) + [429]      # counted per code: no search
    second = link.document(SOCIAL, who, {}, new_key()).value
    assert cli.main(["casestore", "revoke-document", second.code, "--db", casestore.db_url]) == 0
    revoked = requests.post(f"{second.verify_url}/pdf", data={"id_number": who.id_number}, timeout=5)
    assert revoked.status_code == 404 and b"%PDF" not in revoked.content
    assert 'name="id_number"' not in requests.get(second.verify_url, timeout=5).text


def test_without_a_truetype_chinese_font_the_centre_says_which_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(document_pdf, "FONT", "Kiosk24CJKMissing")
    monkeypatch.setattr(document_pdf, "FONT_FILES", ())
    with pytest.raises(document_pdf.MissingFont, match="fonts-wqy-zenhei"):
        document_pdf.render(document_pdf.Sheet("证明", "中心", "张三", "411502199001011234", (), "ZM1", "A" * 16,
                                               "http://127.0.0.1/verify/x", dt.datetime.now(dt.UTC), True))


def test_a_document_is_made_only_in_the_name_on_record_for_the_id_number(casestore: CaseStoreServer) -> None:
    """The name is printed on the document: a valid ID number with another name gets no document."""
    link, who = link_to(casestore), card()
    renamed = dataclasses.replace(who, name="任何人")
    assert link.document(SOCIAL, renamed, {}, new_key()).problem == "online.name_mismatch"
    assert link.document(SOCIAL, who, {}, new_key()).ok
