"""The desk is used through the web service: the same fixtures as tests/web (an app in a
temporary instance, clients per role, the workspace, the OpenAPI contract)."""
from tests.web.conftest import anonymous, app, client, client_as, make_app, queued_app, ws  # noqa: F401

import pytest

from tests.web.helpers import Contract


@pytest.fixture
def contract(client) -> Contract:
    return Contract(client.get("/api/v1/openapi.json").get_json())
