import json

from jsonschema import Draft202012Validator
from route_table import extension_routes

from jupyterlab_modelarts.handlers import openapi_document


async def test_openapi_document_is_served(jp_fetch):
    response = await jp_fetch("modelarts", "api", "v1", "openapi.json")
    document = json.loads(response.body)
    assert document["openapi"].startswith("3.")
    assert "/modelarts/api/v1/status" in document["paths"]


def test_openapi_document_and_registered_routes_agree(jp_serverapp, jp_base_url):
    document = openapi_document()
    registered = {
        route.openapi_path(jp_base_url): set(route.methods)
        for route in extension_routes(jp_serverapp.web_app, jp_base_url)
    }
    documented = {
        path: {method for method in item if method in ("get", "post", "put", "patch", "delete")}
        for path, item in document["paths"].items()
    }
    assert registered == documented


async def test_status_response_matches_its_documented_schema(jp_fetch):
    document = openapi_document()
    schema = {**document["components"]["schemas"]["Status"], "additionalProperties": False}
    response = await jp_fetch("modelarts", "api", "v1", "status")
    Draft202012Validator(schema).validate(json.loads(response.body))
