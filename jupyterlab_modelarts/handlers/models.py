"""Models and deployments: list, detail, delete, next version; inspect a path, generate a
package, deploy (a long operation) and resume a deployment."""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..operations.errors import OperationError
from .base import ModelArtsHandler, operations_module

if TYPE_CHECKING:
    from ..accounts.profiles import Profile
    from ..operations import deploy, model_package, models, services
else:
    deploy = operations_module("deploy")
    model_package = operations_module("model_package")
    models = operations_module("models")
    services = operations_module("services")


class ModelsBase(ModelArtsHandler):
    def deploy_settings(self) -> deploy.DeploySettings:
        return deploy.DeploySettings(
            root_dir=Path(self.serverapp.root_dir),
            staging_dir=Path(self.modelarts.profiles_dir) / "staging",
            obs_folder=self.modelarts.obs_folder,
            changed=self._poke_lists,
        )

    def _poke_lists(self, profile: Profile) -> None:
        watchers = self.modelarts.watchers
        models.watcher(self.accounts, watchers, profile).poke()
        services.watcher(self.accounts, watchers, profile).poke()

    def body_path(self) -> str:
        path = self.json_body().get("path")
        if not isinstance(path, str):
            raise OperationError("FIELD_REQUIRED", "a path is required", field="path")
        return path


class ModelsHandler(ModelsBase):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        max_age = self.modelarts.poll_interval_active
        self.write_json(await models.list_models(self.accounts, self.modelarts.watchers, max_age))


class ModelNextVersionHandler(ModelsBase):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        name = self.get_argument("model_name", "")
        version = await models.next_version(self.accounts, name)
        self.write_json({"model_name": name, "model_version": version})


class ModelHandler(ModelsBase):
    @tornado.web.authenticated
    @authorized
    async def get(self, model_id: str) -> None:
        self.write_json(await models.get_model(self.accounts, model_id))

    @tornado.web.authenticated
    @authorized
    async def delete(self, model_id: str) -> None:
        cascade = self.get_argument("cascade", "false").lower() == "true"
        result = await models.delete_model(
            self.accounts, self.modelarts.watchers, model_id, cascade=cascade
        )
        self.write_json(result)


class ModelPackagesHandler(ModelsBase):
    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        root = self.deploy_settings().root_dir
        created = model_package.generate_beside(root, self.body_path())
        self.write_json({"path": created}, status=HTTPStatus.CREATED)


class InspectHandler(ModelsBase):
    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        root = self.deploy_settings().root_dir
        path = model_package.confine(root, self.body_path())
        inspection = model_package.inspect(path)
        found = inspection.to_dict()
        found["upload"] = model_package.upload_scan(path).summary()
        found["model_version"] = await models.next_version(self.accounts, inspection.suggested_name)
        self.write_json(found)


class DeploymentsHandler(ModelsBase):
    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        record = await deploy.start_deploy(
            self.modelarts.operations, self.accounts, self.json_body(), self.deploy_settings()
        )
        self.write_json(record.model_dump(mode="json"), status=HTTPStatus.ACCEPTED)


class ResumeDeploymentHandler(ModelsBase):
    @tornado.web.authenticated
    @authorized
    async def post(self, operation_id: str) -> None:
        record = await deploy.resume_deploy(
            self.modelarts.operations, self.accounts, operation_id, self.deploy_settings()
        )
        self.write_json(record.model_dump(mode="json"), status=HTTPStatus.ACCEPTED)
