"""Training: launch from a file, jobs and versions, logs, outputs, configurations and
visualization jobs of the active profile."""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..operations.errors import not_a_choice, not_a_whole_number
from ..whole_numbers import parse_whole_number
from .base import ModelArtsHandler, operations_module

if TYPE_CHECKING:
    from ..operations import training, training_api, training_output, visualization
else:
    training = operations_module("training")
    training_api = operations_module("training_api")
    training_output = operations_module("training_output")
    visualization = operations_module("visualization")


#: REST lists answer from the watcher's snapshot when it is this recent (seconds).
SNAPSHOT_MAX_AGE = 1.0


class TrainingHandler(ModelArtsHandler):
    @property
    def training_ops(self) -> Any:
        """The training operations of the active profile's API generation."""
        return training_api.for_account(self.accounts)

    @property
    def generation(self) -> str:
        """The training API generation the active profile trains through."""
        return training_api.effective_training_api(self.accounts)

    @property
    def places(self) -> training.TrainingPlaces:
        return training.TrainingPlaces(
            # Not settings["server_root_dir"]: that one says "~/..." for a root under HOME.
            root_dir=Path(self.serverapp.root_dir),
            obs_folder=self.modelarts.obs_folder,
            staging_dir=Path(self.modelarts.profiles_dir) / "training-staging",
        )

    def int_argument(self, name: str) -> int | None:
        value = self.get_argument(name, None)
        if value is None or value == "":
            return None
        number = parse_whole_number(value)
        if number is None:
            raise not_a_whole_number(name)
        return number


class PrefillHandler(TrainingHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        path = self.get_argument("path", "")
        prefilled = await self.training_ops.prefill(self.accounts, self.places, path)
        self.write_json({**prefilled, "training_api": self.generation})


class JobsHandler(TrainingHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        jobs = await self.training_ops.list_jobs(
            self.accounts, self.modelarts.watchers, SNAPSHOT_MAX_AGE
        )
        self.write_json({"jobs": jobs, "training_api": self.generation})

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        record = await self.training_ops.train_from_file(
            self.accounts,
            self.modelarts.operations,
            self.modelarts.watchers,
            self.places,
            self.json_body(),
        )
        self.write_json(record.model_dump(mode="json"), status=HTTPStatus.ACCEPTED)


class RetryLaunchHandler(TrainingHandler):
    @tornado.web.authenticated
    @authorized
    async def post(self, operation_id: str) -> None:
        record = await self.training_ops.retry_launch(
            self.accounts,
            self.modelarts.operations,
            self.modelarts.watchers,
            self.places,
            operation_id,
        )
        self.write_json(record.model_dump(mode="json"), status=HTTPStatus.ACCEPTED)


class JobHandler(TrainingHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, job_id: str) -> None:
        self.write_json(
            await self.training_ops.job_versions(
                self.accounts, self.training_ops.parse_job_id(job_id)
            )
        )

    @tornado.web.authenticated
    @authorized
    async def put(self, job_id: str) -> None:
        await self.training_ops.update_description(
            self.accounts,
            self.modelarts.watchers,
            self.training_ops.parse_job_id(job_id),
            self.json_body(),
        )
        self.write_json({})

    @tornado.web.authenticated
    @authorized
    async def delete(self, job_id: str) -> None:
        await self.training_ops.delete_job(
            self.accounts, self.modelarts.watchers, self.training_ops.parse_job_id(job_id)
        )
        self.write_json({})


class EventsHandler(TrainingHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, job_id: str) -> None:
        query = {
            "offset": self.int_argument("offset"),
            "limit": self.int_argument("limit"),
            "order": self.get_argument("order", None),
            "level": self.get_argument("level", None),
            "pattern": self.get_argument("pattern", None),
        }
        self.write_json(
            await self.training_ops.list_events(
                self.accounts,
                self.training_ops.parse_job_id(job_id),
                {key: value for key, value in query.items() if value is not None},
            )
        )


class MetricsHandler(TrainingHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, job_id: str) -> None:
        self.write_json(
            await self.training_ops.show_metrics(
                self.accounts,
                self.training_ops.parse_job_id(job_id),
                self.get_argument("worker", None),
            )
        )


class VersionsHandler(TrainingHandler):
    @tornado.web.authenticated
    @authorized
    async def post(self, job_id: str) -> None:
        created = await self.training_ops.new_version(
            self.accounts,
            self.modelarts.watchers,
            self.training_ops.parse_job_id(job_id),
            self.json_body(),
        )
        self.write_json(created, status=HTTPStatus.CREATED)


class VersionHandler(TrainingHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, job_id: str, version_id: str) -> None:
        self.write_json(
            await self.training_ops.version_detail(
                self.accounts, self.training_ops.parse_job_id(job_id), int(version_id)
            )
        )

    @tornado.web.authenticated
    @authorized
    async def delete(self, job_id: str, version_id: str) -> None:
        await self.training_ops.delete_version(
            self.accounts,
            self.modelarts.watchers,
            self.training_ops.parse_job_id(job_id),
            int(version_id),
        )
        self.write_json({})


class StopVersionHandler(TrainingHandler):
    @tornado.web.authenticated
    @authorized
    async def post(self, job_id: str, version_id: str) -> None:
        self.write_json(
            await self.training_ops.stop_version(
                self.accounts,
                self.modelarts.watchers,
                self.training_ops.parse_job_id(job_id),
                int(version_id),
            )
        )


class LogHandler(TrainingHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, job_id: str, version_id: str) -> None:
        api = self.get_argument("api", "lines")
        if api not in ("lines", "bytes"):
            raise not_a_choice("api", "'lines' or 'bytes'")
        query = training.LogQuery(
            api="bytes" if api == "bytes" else "lines",
            log_file=self.get_argument("log_file", None),
            worker=self.get_argument("worker", None),
            base_line=self.get_argument("base_line", None),
            lines=self.int_argument("lines") or training.LOG_BATCH,
            start_byte=self.int_argument("start_byte"),
        )
        chunk = await self.training_ops.read_log(
            self.accounts, self.training_ops.parse_job_id(job_id), int(version_id), query
        )
        self.write_json(chunk)


class LogDownloadHandler(TrainingHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, job_id: str, version_id: str) -> None:
        name, text = await self.training_ops.full_log(
            self.accounts,
            self.training_ops.parse_job_id(job_id),
            int(version_id),
            self.get_argument("worker", None),
        )
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="{name}.log"')
        self.finish(text)


class OutputHandler(TrainingHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, job_id: str, version_id: str) -> None:
        self.write_json(
            await self.training_ops.list_output(
                self.accounts, self.places, self.training_ops.parse_job_id(job_id), int(version_id)
            )
        )


class OutputDownloadHandler(TrainingHandler):
    """A version's output into a folder of the file browser: GET proposes the folder, POST
    downloads."""

    async def _detail(self, job_id: str, version_id: str) -> dict[str, Any]:
        detail: dict[str, Any] = await self.training_ops.version_detail(
            self.accounts, self.training_ops.parse_job_id(job_id), int(version_id)
        )
        return detail

    @tornado.web.authenticated
    @authorized
    async def get(self, job_id: str, version_id: str) -> None:
        detail = await self._detail(job_id, version_id)
        listing = await self.training_ops.list_output(
            self.accounts, self.places, self.training_ops.parse_job_id(job_id), int(version_id)
        )
        folder = training_output.proposed_folder(
            self.modelarts.operations, self.places.root_dir, job_id, detail
        )
        self.write_json({**listing, "folder": folder})

    @tornado.web.authenticated
    @authorized
    async def post(self, job_id: str, version_id: str) -> None:
        body = self.json_body()
        listing = await self.training_ops.list_output(
            self.accounts, self.places, self.training_ops.parse_job_id(job_id), int(version_id)
        )
        self.write_json(
            await training_output.download_output(
                self.accounts, self.places.root_dir, listing, body
            )
        )


class ConfigsHandler(TrainingHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_json({"configs": await self.training_ops.list_configs(self.accounts)})


class ConfigHandler(TrainingHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, config_name: str) -> None:
        self.write_json(await self.training_ops.get_config(self.accounts, config_name))

    @tornado.web.authenticated
    @authorized
    async def put(self, config_name: str) -> None:
        body = self.json_body()
        self.write_json(await self.training_ops.update_config(self.accounts, config_name, body))

    @tornado.web.authenticated
    @authorized
    async def delete(self, config_name: str) -> None:
        await self.training_ops.delete_config(self.accounts, config_name)
        self.write_json({})


class VisualizationJobsHandler(TrainingHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.write_json({"jobs": await visualization.list_jobs(self.accounts)})

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        created = await visualization.create_job(self.accounts, self.json_body())
        self.write_json(created, status=HTTPStatus.CREATED)


class VisualizationJobHandler(TrainingHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self, job_id: str) -> None:
        self.write_json(await visualization.get_job(self.accounts, int(job_id)))

    @tornado.web.authenticated
    @authorized
    async def put(self, job_id: str) -> None:
        body = self.json_body()
        self.write_json(await visualization.describe_job(self.accounts, int(job_id), body))

    @tornado.web.authenticated
    @authorized
    async def delete(self, job_id: str) -> None:
        await visualization.delete_job(self.accounts, int(job_id))
        self.write_json({})


class VisualizationActionHandler(TrainingHandler):
    @tornado.web.authenticated
    @authorized
    async def post(self, job_id: str, action: str) -> None:
        result: dict[str, Any] = await visualization.act(self.accounts, int(job_id), action)
        self.write_json(result)
