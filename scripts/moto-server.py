"""moto's server (the local AWS emulator of the ops CLI's integration tests), with EMR steps that finish.

Stock moto 5.x leaves an EMR step RUNNING (or PENDING) for ever, so `platform run --wait` could only
end by timing out. This launcher gives steps a life cycle through moto's own state manager, like the
one moto gives Glue job runs ("glue::job_run"):

  model "emr::step": PENDING -> RUNNING -> COMPLETED, default progression {"progression": "immediate"}

Change it at run time as for any moto model:
  POST /moto-api/state-manager/set-transition {"model_name": "emr::step", "transition": {...}}
Steps whose name matches the regular expression in MOTO_EMR_FAILING_STEPS end FAILED instead, with
FailureDetails, so that the CLI's failure path runs against the emulator too.

Usage (same arguments as moto_server): .venv/bin/python scripts/moto-server.py -H 127.0.0.1 -p 5000
"""

import os
import re
import sys

from moto.emr import models as emr_models
from moto.moto_api import state_manager
from moto.moto_api._internal.managed_state_model import ManagedState
from moto.server import main

STEP_MODEL = "emr::step"
FAILING_STEPS = os.environ.get("MOTO_EMR_FAILING_STEPS")
StockStep = emr_models.Step


class ManagedStep(StockStep, ManagedState):
    # moto files every model under the service named by its module.
    __module__ = emr_models.__name__

    def __init__(self, state, **kwargs):
        ManagedState.__init__(self, STEP_MODEL, transitions=[("PENDING", "RUNNING"), ("RUNNING", "COMPLETED")])
        StockStep.__init__(self, state="PENDING", **kwargs)
        self._fails = bool(FAILING_STEPS and re.search(FAILING_STEPS, self.name))

    @property
    def state(self):
        self.advance()
        current = ManagedState.status.fget(self)
        if current != "PENDING" and self.start_date_time is None:
            self.start_date_time = emr_models.utcnow()
        if current == "COMPLETED":
            if self.end_date_time is None:
                self.end_date_time = emr_models.utcnow()
            if self._fails:
                self.last_state_change_reason = "Step failed (simulated by scripts/moto-server.py)"
                return "FAILED"
        return current

    @state.setter
    def state(self, value):
        self._status = value

    @property
    def status(self):
        status = StockStep.status.fget(self)
        if status["State"] == "FAILED":
            status["FailureDetails"] = {
                "Reason": "Simulated failure",
                "Message": "Exception in thread main: org.apache.spark.SparkException: simulated by MOTO_EMR_FAILING_STEPS",
                "LogFile": "s3://emulated-logs/steps/" + self.id + "/stderr.gz",
            }
        return status


emr_models.Step = ManagedStep
state_manager.register_default_transition(model_name=STEP_MODEL, transition={"progression": "immediate"})

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
