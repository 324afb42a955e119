"""Admin endpoint of Local ModelArts (not a cloud API): fault injection and token expiry for
reliability tests. Only callers presenting the configured admin key (``X-Admin-Key``) get in.

* ``GET /_admin/faults``: active faults; ``POST /_admin/faults``: add one (body: a fault,
  see faults.py) -> 201 with its ``id``; ``DELETE /_admin/faults``: remove all;
  ``DELETE /_admin/faults/{id}``: remove one.
* ``POST /_admin/tokens/expire``: expire every issued IAM token.
"""

from __future__ import annotations

from . import auth
from .auth import AuthScheme
from .errors import ApiError, Family
from .faults import Fault, FaultSpecError
from .handler import EmulatorHandler


class AdminHandler(EmulatorHandler):
    family = Family.MODELARTS
    auth_scheme = AuthScheme.ADMIN
    validation_code = "LocalModelArts.InvalidFault"
    #: Faults never apply here, so a fault matching everything can still be removed.
    faults_apply = False


class FaultsHandler(AdminHandler):
    def get(self) -> None:
        self.send_json({"faults": [fault.to_dict() for fault in self.ctx.faults.list()]})

    def post(self) -> None:
        try:
            fault = Fault.from_dict(self.json_body())
        except FaultSpecError as exc:
            raise self.invalid(str(exc)) from None
        self.ctx.faults.add(fault)
        self.send_json(fault.to_dict(), status=201)

    def delete(self) -> None:
        self.ctx.faults.clear()
        self.set_status(204)
        self.finish()


class FaultHandler(AdminHandler):
    def delete(self, fault_id: str) -> None:
        if not self.ctx.faults.remove(fault_id):
            raise ApiError(404, "LocalModelArts.NoSuchFault", f"No active fault {fault_id}.")
        self.set_status(204)
        self.finish()


class ExpireTokensHandler(AdminHandler):
    def post(self) -> None:
        self.send_json({"expired": auth.expire_tokens(self.ctx)})


ROUTES = [
    (r"/_admin/faults", FaultsHandler),
    (r"/_admin/faults/(?P<fault_id>[0-9a-f]{32})", FaultHandler),
    (r"/_admin/tokens/expire", ExpireTokensHandler),
]
