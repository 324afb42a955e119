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


def validate(document: dict, schema_name: str, instance: object) -> None:
    schema = {"components": document["components"], "$ref": f"#/components/schemas/{schema_name}"}
    Draft202012Validator(schema).validate(instance)


async def test_status_and_profiles_match_their_documented_schemas(jp_fetch):
    document = openapi_document()
    status = await jp_fetch("modelarts", "api", "v1", "status")
    validate(document, "Status", json.loads(status.body))
    profiles = await jp_fetch("modelarts", "api", "v1", "profiles")
    for profile in json.loads(profiles.body)["profiles"]:
        validate(document, "Profile", profile)
