"""Batch inputs: CSV rows mapped by mapping_rule, manifest files, the model's file input."""

import json

from jupyterlab_modelarts.emulator.runtime.batch import (
    file_input_name,
    input_files,
    request_for_row,
)

RULE = {
    "type": "object",
    "properties": {
        "data": {
            "type": "object",
            "properties": {
                "req_data": {
                    "type": "array",
                    "items": [
                        {
                            "type": "object",
                            "properties": {
                                "input1": {"type": "number", "index": 4},
                                "input2": {"type": "integer", "index": 3},
                                "flag": {"type": "boolean", "index": 0},
                                "name": {"type": "string", "index": 1},
                                "ignored": {"type": "number", "index": -1},
                                "beyond": {"type": "number", "index": 9},
                            },
                        }
                    ],
                }
            },
        }
    },
}


def test_csv_row_becomes_the_documented_request():
    assert request_for_row(RULE, ["true", "iris", "3", "2", "1"]) == {
        "data": {"req_data": [{"input1": 1.0, "input2": 2, "flag": True, "name": "iris"}]}
    }


def test_manifest_and_folder_inputs(tmp_path):
    bucket = tmp_path / "b"
    (bucket / "in" / "sub").mkdir(parents=True)
    (bucket / "in" / "a.jpg").write_bytes(b"a")
    (bucket / "in" / "sub" / "b.jpg").write_bytes(b"b")
    manifest = "\n".join(json.dumps({"source": f"s3://b/in/{n}"}) for n in ("a.jpg", "sub/b.jpg"))
    (bucket / "list.manifest").write_text(manifest + "\n")
    assert [p.name for p in input_files(tmp_path, "/b/in/", manifest=False)] == ["a.jpg", "b.jpg"]
    assert [p.name for p in input_files(tmp_path, "obs://b/list.manifest", manifest=True)] == [
        "a.jpg",
        "b.jpg",
    ]


def test_file_input_of_the_model_api():
    apis = [
        {
            "url": "/",
            "request": {
                "Content-type": "multipart/form-data",
                "data": {"type": "object", "properties": {"images": {"type": "file"}}},
            },
        }
    ]
    assert file_input_name(apis, "/") == "images"
    assert file_input_name(apis, "/other") is None
    assert file_input_name([], "/") is None
