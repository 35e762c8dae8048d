"""moto's server (the local AWS emulator of the ops CLI's integration tests), with EMR steps that finish.

Stock moto 5.x leaves an EMR step RUNNING (or PENDING) for ever, so `platform run --wait` could only
end by timing out. This launcher gives steps a life cycle through moto's own state manager, like the
one moto gives Glue job runs ("glue::job_run"):

  model "emr::step": PENDING -> RUNNING -> COMPLETED, default progression {"progression": "immediate"}

Change it at run time as for any moto model:
  POST /moto-api/state-manager/set-transition {"model_name": "emr::step", "transition": {...}}
Steps whose name matches the regular expression in MOTO_EMR_FAILING_STEPS end FAILED instead, with
FailureDetails, so that the CLI's failure path runs against the emulator too.

Step Functions executions get one too (stock moto leaves them RUNNING for ever and returns the same
canned history for every execution):

  model "stepfunctions::execution": RUNNING -> SUCCEEDED, default progression {"progression": "immediate"}

Executions of state machines whose name matches MOTO_SFN_FAILING_EXECUTIONS end FAILED the way a
pipeline fails its data quality: the history records the quality result of dataset "orders", the
Fail state "Quality rules failed", then the failure path ("Notify failure", "Failed") and
ExecutionFailed with error DataQualityRulesFailed. moto does not run the state machine's definition:
no Glue job run or EMR step is started by an execution here.

Usage (same arguments as moto_server): .venv/bin/python scripts/moto-server.py -H 127.0.0.1 -p 5000
"""

import json
import os
import re
import sys
from datetime import timezone

from moto.emr import models as emr_models
from moto.stepfunctions import models as sfn_models
from moto.moto_api import state_manager
from moto.moto_api._internal.managed_state_model import ManagedState
from moto.server import main

STEP_MODEL = "emr::step"
FAILING_STEPS = os.environ.get("MOTO_EMR_FAILING_STEPS")
StockStep = emr_models.Step
EXECUTION_MODEL = "stepfunctions::execution"
FAILING_EXECUTIONS = os.environ.get("MOTO_SFN_FAILING_EXECUTIONS")
StockExecution = sfn_models.Execution
DQ_CAUSE = 'dataset orders (ruleset acme-dev-dq-orders, job run jr_emulated): IsComplete "order_id" FAIL: simulated by MOTO_SFN_FAILING_EXECUTIONS'


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


class ManagedExecution(StockExecution, ManagedState):
    __module__ = sfn_models.__name__

    def __init__(self, *args, **kwargs):
        ManagedState.__init__(self, EXECUTION_MODEL, transitions=[("RUNNING", "SUCCEEDED")])
        StockExecution.__init__(self, *args, **kwargs)
        self._fails = bool(FAILING_EXECUTIONS and re.search(FAILING_EXECUTIONS, self.state_machine_arn.split(":")[-1]))

    @property
    def status(self):
        # Every read of the status counts (moto's responses read it several times per call).
        self.advance()
        current = ManagedState.status.fget(self)
        if current == "SUCCEEDED" and self._fails:
            self._status = current = "FAILED"
            self.error, self.cause = "DataQualityRulesFailed", DQ_CAUSE
        if current != "RUNNING" and self.stop_date is None:
            self.stop_date = sfn_models.utcnow()
        return current

    @status.setter
    def status(self, value):
        self._status = value

    def get_execution_history(self, roleArn):
        if not self._fails:
            return StockExecution.get_execution_history(self, roleArn)
        at = self.start_date.replace(tzinfo=timezone.utc)
        quality = {"dataset": "orders", "score": 0.5, "failed": ['IsComplete "order_id" FAIL: simulated']}
        events = [
            ("ExecutionStarted", {"executionStartedEventDetails": {"input": self.execution_input, "roleArn": roleArn}}),
            ("TaskStateEntered", {"stateEnteredEventDetails": {"name": "Read quality result", "input": "{}"}}),
            ("TaskStateExited", {"stateExitedEventDetails": {"name": "Read quality result", "output": json.dumps(quality)}}),
            ("FailStateEntered", {"stateEnteredEventDetails": {"name": "Quality rules failed", "input": json.dumps(quality)}}),
            ("MapIterationFailed", {}),
            ("TaskStateEntered", {"stateEnteredEventDetails": {"name": "Notify failure", "input": "{}"}}),
            ("FailStateEntered", {"stateEnteredEventDetails": {"name": "Failed", "input": "{}"}}),
            ("ExecutionFailed", {"executionFailedEventDetails": {"error": "DataQualityRulesFailed", "cause": DQ_CAUSE}}),
        ]
        return [{"timestamp": at, "type": kind, "id": i + 1, "previousEventId": i, **details} for i, (kind, details) in enumerate(events)]


emr_models.Step = ManagedStep
state_manager.register_default_transition(model_name=STEP_MODEL, transition={"progression": "immediate"})
sfn_models.Execution = ManagedExecution
state_manager.register_default_transition(model_name=EXECUTION_MODEL, transition={"progression": "immediate"})

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
