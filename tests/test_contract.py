"""The case store against its own OpenAPI description: schemathesis generates requests for every
operation (valid and invalid), sends them signed to a real server, and checks each answer's status
code, content type, headers and body against the document."""
from __future__ import annotations

import base64
import hashlib

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.fixtures.casestore import CaseStoreServer

KIOSK = "KIOSK-0101"


def test_every_operation_answers_as_documented(casestore: CaseStoreServer) -> None:
    schema = schemathesis.openapi.from_url(f"{casestore.url}/openapi.json")
    schema.config.generation.update(allow_x00=False)        # refused at the door (400), as documented
    session = casestore.client(KIOSK).http                  # signs each request as the kiosk would
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8

    for operation in operations:
        @settings(max_examples=25, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def answers_as_documented(case: schemathesis.Case) -> None:
            if isinstance(case.body, dict) and "kiosk_id" in case.body:
                case.body["kiosk_id"] = KIOSK               # else every push is another kiosk's: 403
                for attachment in case.body.get("attachments", []):      # a relation JSON Schema cannot state
                    if isinstance(attachment, dict) and isinstance(attachment.get("data"), str):
                        data = base64.b64decode(attachment["data"])
                        attachment["sha256"] = hashlib.sha256(data).hexdigest()
            response = case.call(base_url=casestore.url, session=session)
            case.validate_response(response)

        try:
            answers_as_documented()
        except Exception as failure:
            pytest.fail(f"{operation.label}: {failure}")
