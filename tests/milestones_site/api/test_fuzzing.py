"""Schemathesis fuzzes every operation of the live schema with a valid token: no 5xx, and
every response matches what the schema documents (status, content type, body, headers).
Valid data (positive) must be answered as documented; data the schema rules out (negative:
wrong types, missing or unknown fields, values out of range) must be refused with a 4xx in
the documented problem shape, never accepted."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from projects.services.access import api_token_create
from tests.factories import DeliverableFactory, MilestoneFactory, PhaseFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def app_in_test_transaction():
    """The WSGI app, minus the connection closing around each request (as in Django's test
    client): requests must run inside the test's transaction."""
    handler = get_wsgi_application()

    def application(environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = handler(environ, start_response)
            body = b"".join(response)
            response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return [body]

    return application


def fuzzed(mode: str):
    """The live schema, generating `mode` data. Random cases only: the exhaustive boundary
    ("coverage") phase takes minutes, and the error-shape tests pin those boundaries."""
    config = schemathesis.Config.from_dict(
        {"phases": {"coverage": {"enabled": False}}, "generation": {"mode": mode}}
    )
    return schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", app_in_test_transaction(), config=config
    )


positive = fuzzed("positive")
negative = fuzzed("negative")
# The same examples on every run (derandomize): CI checks what was checked here.
FUZZING = settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    derandomize=True,
)


@pytest.fixture
def bearer(db, project, owner):
    """A populated workspace, so that ids 1, 2, … often name real rows."""
    phase = PhaseFactory(project=project)
    milestone = MilestoneFactory(project=project, phase=phase, owner=owner)
    DeliverableFactory(milestone=milestone, owner=owner)
    _, plain = api_token_create(user=owner, name="Fuzzer")
    return {"Authorization": f"Bearer {plain}"}


@positive.parametrize()
@FUZZING
@pytest.mark.django_db
def test_api_conforms_to_its_schema(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)


@negative.parametrize()
@FUZZING
@pytest.mark.django_db
def test_invalid_input_is_refused_as_documented(case, bearer):
    case.call_and_validate(headers=bearer, checks=[*CHECKS, negative_data_rejection])
