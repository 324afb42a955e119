"""A training version's output, downloaded over REST from Local ModelArts' OBS into a folder of
the file browser: proposed next to the training file, never written over unasked."""

from __future__ import annotations

from test_training import launch, wait_version, write

OUTPUT_SCRIPT = """\
import argparse
import moxing as mox
parser = argparse.ArgumentParser()
parser.add_argument("--train_url", required=True)
args, _ = parser.parse_known_args()
with mox.file.File(args.train_url.rstrip("/") + "/model/weights.txt", "w") as handle:
    handle.write("trained weights")
with mox.file.File(args.train_url.rstrip("/") + "/metrics.json", "w") as handle:
    handle.write('{"accuracy": 0.9}')
"""


async def completed_job(api, root) -> tuple[str, str]:
    write(root, "project/fit.py", OUTPUT_SCRIPT)
    record, _ = await launch(api, "project/fit.py", data=None)
    assert record["state"] == "succeeded", record
    job_id, version_id = str(record["result"]["job_id"]), str(record["result"]["version_id"])
    version = await wait_version(api, job_id, version_id, "completed", "failed")
    assert version["status_name"] == "completed", version
    return job_id, version_id


async def test_output_downloads_next_to_the_training_file_and_is_never_written_over_unasked(
    api, jp_root_dir
):
    job_id, version_id = await completed_job(api, jp_root_dir)
    route = ("training", "jobs", job_id, "versions", version_id, "output", "download")

    code, proposal = await api("GET", *route)
    assert code == 200, proposal
    assert proposal["folder"] == "project/fit-V0001"
    assert {f["path"] for f in proposal["files"]} == {"model/weights.txt", "metrics.json"}

    code, done = await api("POST", *route, body={"folder": proposal["folder"]})
    assert code == 200, done
    assert done == {"folder": "project/fit-V0001", "files": ["metrics.json", "model/weights.txt"]}
    weights = jp_root_dir / "project" / "fit-V0001" / "model" / "weights.txt"
    assert weights.read_text() == "trained weights"

    # The next proposal is a free folder; the same one again is refused, nothing replaced.
    assert (await api("GET", *route))[1]["folder"] == "project/fit-V0001-2"
    weights.write_text("edited by the user")
    code, answer = await api("POST", *route, body={"folder": "project/fit-V0001"})
    assert code == 409, answer
    refused = answer["error"]
    assert refused["code"] == "OUTPUT_EXISTS"
    assert refused["field"] == "folder"
    assert refused["params"] == {
        "folder": "project/fit-V0001",
        "count": 2,
        "files": ["metrics.json", "model/weights.txt"],
    }
    assert weights.read_text() == "edited by the user"

    code, done = await api("POST", *route, body={"folder": "project/fit-V0001", "overwrite": True})
    assert code == 200, done
    assert weights.read_text() == "trained weights"


async def test_a_folder_outside_the_root_or_over_a_file_is_refused_with_the_field(api, jp_root_dir):
    job_id, version_id = await completed_job(api, jp_root_dir)
    route = ("training", "jobs", job_id, "versions", version_id, "output", "download")
    for folder, status, code in [
        ("../elsewhere", 400, "OUTSIDE_ROOT"),
        ("/tmp/elsewhere", 400, "OUTSIDE_ROOT"),
        ("project/fit.py", 400, "NOT_A_FOLDER"),
        ("project/fit.py/inside", 400, "NOT_A_FOLDER"),
        ("", 400, "TOO_SHORT"),
    ]:
        answer_code, answer = await api("POST", *route, body={"folder": folder})
        error = answer["error"]
        assert (answer_code, error["code"], error.get("field")) == (status, code, "folder"), answer
    assert sorted(p.name for p in (jp_root_dir / "project").iterdir()) == ["fit.py"]
