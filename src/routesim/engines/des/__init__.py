"""The discrete-event (SimPy) engine: ports, canals, liner services and cargo interacting.

The Monte Carlo engine answers "how long and how much" when every shipment
travels alone. This engine runs the same Plan with the interactions: berths
shared with other ships at every call, a canal's daily slots rationed in a
drought, vessels filling up and rolling cargo to the next sailing, late
vessels making their next sailing late, transshipment connections missed.
Its per-shipment records have the Monte Carlo engine's columns, so the same
:class:`~routesim.results.Results` summaries, comparisons and exports apply.

Modules, one job each:

================  ========================================================================
``ports``         berths (SimPy resource), anchorage, background M/M/c traffic
``canal``         daily transit slots, booked/unbooked priority, bookings, diversion
``detours``       extra days of the way round a canal, from the sea network
``disruptions``   closures, capacity cuts and weather windows acting on resources
``services``      rotations, pro-forma schedules, fleet sizes, slots for cargo
``vessels``       vessel processes: calls, passages, lateness, schedule recovery
``cargo``         bookings (numpy arrays), yards, loading and rolling, transshipment, delivery
``lots``          cargo as lots: batches in yards, lots aboard, sharing a departure's slots
``log``           the event log (tuples, exported once as a table)
``stats``         time averages and waiting times of queues
``draws``         random streams per replication and component
``tables``        per-shipment columns in chunks: streamed summaries, the table on demand
``engine``        builds and runs replications, gathers Results
``pooled``        statistics pooled over replications (``engine_stats``)
================  ========================================================================

>>> import routesim
>>> res = routesim.run("scenarios/chancay_vs_callao.yaml", engine="des", replications=2)
>>> 0.5 < res.extra["stats"]["ports"]["PECHY"]["berth_utilisation"] < 0.9  # Chancay's berths, busy share
True
"""

from .canal import Canal
from .engine import Model, Replication, compile_model, run_des
from .log import EventLog
from .ports import Port

__all__ = ["run_des", "compile_model", "Model", "Replication", "Port", "Canal", "EventLog"]
