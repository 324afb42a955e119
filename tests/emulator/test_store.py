"""Local ModelArts' document store: what a list reads back."""

from __future__ import annotations

import pytest

from jupyterlab_modelarts.emulator.store import Store


def test_a_list_of_some_fields_reads_them_from_each_document_newest_first():
    store = Store()
    store.put("versions", "1", {"job_id": 7, "status": 10, "config": {"big": "x" * 1000}})
    store.put("versions", "2", {"job_id": 7, "status": 8, "start_time": 1700})
    listed = store.list("versions", newest_first=True, fields=("job_id", "status", "start_time"))
    assert listed == [
        {"job_id": 7, "status": 8, "start_time": 1700},
        {"job_id": 7, "status": 10, "start_time": None},
    ]
    store.close()


def test_a_list_refuses_what_is_not_a_field_name():
    store = Store()
    store.put("versions", "1", {"status": 10})
    with pytest.raises(ValueError, match="not a field name"):
        store.list("versions", fields=("status') FROM versions; --",))
    store.close()
