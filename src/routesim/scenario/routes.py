"""How cargo moves in a scenario: routes, their segments and an optional land leg.

>>> r = RouteSpec(origin="Chancay", destination="Shanghai", service="cosco_chancay_shanghai")
>>> r.origin, [(s.to, s.service) for s in r.resolved_segments()]
('PECHY', [(None, 'cosco_chancay_shanghai')])
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from ..catalogue import port_label
from .sections import CargoPatch, FreightSpec
from .types import (ChokepointName, Co2TPerTeu, CountryCode, Days, FieldError, HeadwayDays, Km, Knots,
                    OverlandUsdPerTeu, PortCode, Section, ServiceName, TeuPerWeek, VesselName)

__all__ = ["SegmentSpec", "OverlandSpec", "RouteSpec"]


class SegmentSpec(Section):
    """One stretch of a route on one vessel: to the next hub (``to``) or the destination."""

    to: PortCode | None = None
    service: ServiceName | None = None
    vessel: VesselName | None = None
    speed_kn: Knots | None = None
    headway_days: HeadwayDays | None = None
    via: list[PortCode] = []
    avoid: list[ChokepointName] = []


class OverlandSpec(Section):
    """A land leg before the sea origin (a what-if: label it as an assumption)."""

    start: str
    """Where the cargo starts, e.g. ``"Santos (BRSSZ)"``."""
    country: CountryCode
    days: Days
    usd_per_teu: OverlandUsdPerTeu
    co2_t_per_teu: Co2TPerTeu = 0.0
    distance_km: Km | None = None
    assumption: Annotated[str, Field(min_length=10)]
    """Plain statement of what is assumed (no such service operates today, etc.)."""


class RouteSpec(Section):
    """A way to move the cargo from ``origin`` to ``destination``.

    Either give ``segments`` explicitly, or use the shorthand: ``service`` (or
    ``vessel`` + ``speed_kn`` + ``headway_days``) for a single vessel, with
    ``transship_at`` hubs and one entry of ``services`` per stretch.
    """

    origin: PortCode
    destination: PortCode
    description: str = ""
    via: list[PortCode] = []
    transship_at: list[PortCode] = []
    avoid: list[ChokepointName] = []
    service: ServiceName | None = None
    services: list[ServiceName] | None = None
    vessel: VesselName | None = None
    speed_kn: Knots | None = None
    headway_days: HeadwayDays | None = None
    segments: Annotated[list[SegmentSpec], Field(min_length=1)] | None = None
    overland: OverlandSpec | None = None
    cargo: CargoPatch | None = None
    demand_teu_per_week: TeuPerWeek | None = None
    """Cargo demand on this route (TEU per week), used by the discrete-event engine."""
    freight: FreightSpec | None = None
    """This route's booking date or own quote (replaces the scenario's ``freight``)."""

    @model_validator(mode="after")
    def _shape(self):
        """Either segments or the shorthand, each complete and ending at the destination."""
        if self.origin == self.destination and self.overland is None:
            raise FieldError(f"origin and destination are the same port ({port_label(self.origin)})", "destination")
        if self.segments is not None:
            clash = [k for k in ("via", "transship_at", "service", "services", "vessel", "speed_kn", "headway_days")
                     if k in self.model_fields_set]
            if clash:
                raise FieldError(f"give either 'segments' or the shorthand keys ({', '.join(clash)}), not both; "
                                  "move them into the segments", clash[0])
            last = len(self.segments) - 1
            if self.segments[-1].to not in (None, self.destination):
                raise FieldError("the last segment must end at the destination (leave its 'to' empty)",
                                  "segments", last, "to")
            for i, seg in enumerate(self.segments[:-1]):
                if seg.to is None:
                    raise FieldError("every segment but the last needs 'to' (the transshipment hub)", "segments", i)
        else:
            if self.service and self.services:
                raise FieldError("give 'service' (one for the whole route) or 'services' (one per stretch), "
                                  "not both", "services")
            if self.services is not None and len(self.services) != len(self.transship_at) + 1:
                n = len(self.transship_at)
                raise FieldError(
                    f"needs one service per stretch: {n + 1} for {n} transshipment hub{'' if n == 1 else 's'} "
                    f"in 'transship_at', got {len(self.services)}", "services")
            if not (self.service or self.services or self.vessel):
                raise ValueError("say how the cargo sails: 'service', 'services', 'vessel' or 'segments'")
        return self

    def resolved_segments(self) -> list[SegmentSpec]:
        """The route as explicit segments (expanding the shorthand)."""
        if self.segments is not None:
            return list(self.segments)
        hubs = list(self.transship_at)
        services = self.services or [self.service] * (len(hubs) + 1)
        ends = hubs + [None]
        out = []
        for i, (svc, to) in enumerate(zip(services, ends)):
            # model_construct: the values are validated already, and a service or vessel class the
            # scenario defines itself would fail validation without the scenario's context
            out.append(SegmentSpec.model_construct(
                to=to,
                service=svc,
                vessel=self.vessel,
                speed_kn=self.speed_kn,
                headway_days=self.headway_days,
                via=list(self.via) if len(ends) == 1 else [],
                avoid=list(self.avoid),
            ))
        return out

