"""What the printer's push socket says, applied to the attempt being printed.

`live_current` turns a "current" (or "history") message into telemetry and live fields;
`live_event` says whether an event ends the print, and how.
"""

import time
from dataclasses import dataclass

from ..models import PrintAttempt
from .reconcile import is_ours
from .telemetry import TelemetryBuffer

State = PrintAttempt.State
PROGRESS_MARK_STEP = 5


@dataclass
class Live:
    """What the follower knows of the attempt being printed."""

    attempt: PrintAttempt
    buffer: TelemetryBuffer
    fields: dict
    state_text: str = ""
    resends: int | None = None
    progress_mark: int = -1
    z: float | None = None
    error: str = ""


def live_current(live: Live, current: dict) -> None:
    """Record a "current" message: live fields, marks, temperature samples."""
    job_file = ((current.get("job") or {}).get("file") or {}).get("name")
    if job_file and not is_ours(live.attempt, job_file):
        return
    now = time.time()
    state_text = ((current.get("state") or {}).get("text")) or ""
    if state_text and state_text != live.state_text:
        live.state_text = state_text
        live.fields["printer_state"] = state_text[:40]
        live.buffer.mark(at_epoch=now, kind="state", value=state_text)
    progress = current.get("progress") or {}
    if progress.get("completion") is not None and job_file:
        completion = float(progress["completion"])
        live.fields["progress"] = completion
        step = int(completion // PROGRESS_MARK_STEP) * PROGRESS_MARK_STEP
        if step > live.progress_mark:
            live.progress_mark = step
            live.buffer.mark(at_epoch=now, kind="progress", value=step)
    if progress.get("printTime") is not None:
        live.fields["print_time_s"] = int(progress["printTime"])
    if "printTimeLeft" in progress and job_file:
        left = progress.get("printTimeLeft")
        live.fields["time_left_s"] = int(left) if left is not None else None
    z = current.get("currentZ")
    if z is not None and z != live.z:
        live.z = z
        live.fields["z"] = float(z)
        live.buffer.mark(at_epoch=now, kind="z", value=z)
    resends = (current.get("resends") or {}).get("count")
    if resends is not None and resends != live.resends:
        if live.resends is not None or resends:
            live.buffer.mark(at_epoch=now, kind="resends", value=resends)
        live.resends = resends
    for reading in current.get("temps") or []:
        tool, bed = reading.get("tool0") or {}, reading.get("bed") or {}
        if reading.get("time") is None:
            continue
        live.buffer.sample(
            at_epoch=float(reading["time"]),
            nozzle=tool.get("actual"),
            nozzle_target=tool.get("target"),
            bed=bed.get("actual"),
            bed_target=bed.get("target"),
        )
        live.fields.update(
            nozzle_actual=tool.get("actual"),
            nozzle_target=tool.get("target"),
            bed_actual=bed.get("actual"),
            bed_target=bed.get("target"),
        )


def live_event(live: Live, event: dict):
    """(state, fields) if this event ends the print, else None."""
    kind, payload = event.get("type"), event.get("payload") or {}
    if kind == "Error":
        live.error = str(payload.get("error") or "")
        live.buffer.mark(at_epoch=time.time(), kind="message", value=live.error)
        return None
    if kind not in ("PrintDone", "PrintFailed"):
        return None
    if not is_ours(live.attempt, payload.get("name") or payload.get("path") or ""):
        return None
    print_time = payload.get("time")
    if print_time is not None:
        live.fields["print_time_s"] = round(float(print_time))
    if kind == "PrintDone":
        return State.COMPLETED, {"progress": 100.0, "time_left_s": 0}
    elif payload.get("reason") == "cancelled":
        return State.CANCELLED, {}
    elif live.error:
        return State.FAILED, {"code": "printer_error", "params": {"detail": live.error}}
    else:
        return State.FAILED, {"code": "printer_error_unknown"}
