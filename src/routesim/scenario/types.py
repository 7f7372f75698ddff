"""Field types of the scenario schema: catalogue names resolved on input, strict numbers.

A port may be written by code, name or alias and is stored as its UN/LOCODE;
vessel classes, services and commodities must be in the catalogue or defined by
the scenario itself (its ``vessels:`` and ``services:``, passed in the validation
context). Numbers are strict: a YAML boolean (``yes``, ``true``) or a quoted
string is not silently read as a number.

>>> from pydantic import TypeAdapter
>>> TypeAdapter(PortCode).validate_python("Chancay"), TypeAdapter(ChokepointName).validate_python("Cape Horn")
('PECHY', 'drake')
"""

from __future__ import annotations

import ast
import functools
import inspect
import re
import sys
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict, ValidationInfo

from .. import catalogue
from ..distributions import dist_with_mean_in
from .._suggest import normalize
from ..errors import RoutesimError, UnknownNameError
from .display import show

__all__ = ["Section", "FieldError", "PortCode", "ChokepointName", "VesselName", "FuelName", "ServiceName", "CommodityName",
           "PositiveFloat", "NonNegFloat", "TempC", "PrecoolHours", "Fraction", "PositiveFraction", "PositiveInt", "Flag", "CountryCode",
           "RouteName", "SectionName", "PATTERN_WORDS", "as_value_error", "attribute_docstrings"]

_COUNTRY = r"^[A-Z]{2}$"
_ROUTE_NAME = r"^[A-Za-z][A-Za-z0-9_\-]*$"
_SECTION_NAME = r"^[A-Za-z][A-Za-z0-9_]*$"
PATTERN_WORDS = {
    _COUNTRY: "must be a two-letter country code in capitals, such as PE or CN",
    _ROUTE_NAME: "a route name must start with a letter and hold only letters, digits, '_' and '-'",
    _SECTION_NAME: "a name must start with a letter and hold only letters, digits and '_'",
}
"""What each text pattern of the schema asks for, in words (for error messages)."""


def _port(value: Any, info: ValidationInfo) -> str:
    """The UN/LOCODE of a port written by code, name or alias: the catalogue's, or one of the
    scenario's own ports (``context["ports"]``: normalized code, name or alias -> code)."""
    if not isinstance(value, str):
        raise ValueError(f"expected a port code or name, got {show(value)}")
    own = (info.context or {}).get("ports") or {}
    try:
        return catalogue.resolve_port(value)
    except UnknownNameError as exc:
        hit = own.get(normalize(value))
        if hit is not None:
            return hit
        if info.field_name == "ports" and re.fullmatch(r"[A-Za-z]{2}[A-Za-z2-9]{3}", value.strip()):
            raise UnknownNameError(f"{exc}; a port of your own is declared under 'ports:' with name, country, "
                                   "lat and lon") from None
        raise


def _chokepoint(value: Any) -> str:
    """The id of a chokepoint written by id, name or alias."""
    if not isinstance(value, str):
        raise ValueError(f"expected a chokepoint name, got {show(value)}")
    return catalogue.resolve_chokepoint(value)


def _known(kind: str, catalogue_names, context_key: str):
    """A validator of ``kind`` names: the catalogue's (``catalogue_names()``) or those the
    scenario defines (``context[context_key]``)."""
    def check(value: Any, info: ValidationInfo) -> str:
        if not isinstance(value, str):
            raise ValueError(f"expected a {kind} name, got {show(value)}")
        names = set(catalogue_names()) | set((info.context or {}).get(context_key, ()))
        return catalogue.resolve_name(kind, value, sorted(names))

    return check


def as_value_error(fn):
    """Turn UnknownNameError into ValueError so pydantic reports it with the field path."""

    @functools.wraps(fn)
    def wrapper(*args):
        try:
            return fn(*args)
        except RoutesimError as exc:
            raise ValueError(str(exc)) from None

    return wrapper


class CatalogueNames:
    """JSON Schema of a name field: the catalogue's names (read when the schema is built, not at
    import) for editors to offer, and any other text for what routesim also resolves (a port's
    name or alias, a class the scenario defines) or names in its error."""

    def __init__(self, what: str, names, closed: bool = False):
        self.what, self.names, self.closed = what, names, closed

    def __get_pydantic_json_schema__(self, core_schema, handler):
        known = sorted(self.names())
        if self.closed:
            return {"type": "string", "enum": known, "description": f"a {self.what} of the catalogue"}
        return {"anyOf": [{"type": "string", "enum": known, "description": f"a {self.what} of the catalogue"},
                          {"type": "string", "description": f"another {self.what}: a name or alias routesim "
                                                            "resolves, or one the scenario defines"}]}


PortCode = Annotated[str, BeforeValidator(as_value_error(_port)), CatalogueNames("port (UN/LOCODE)", catalogue.ports)]
ChokepointName = Annotated[str, BeforeValidator(as_value_error(_chokepoint)),
                           CatalogueNames("chokepoint", catalogue.chokepoints)]
def _ship_classes() -> dict:
    """Container-ship classes and tramp classes (bulk and car carriers) by id."""
    return {**catalogue.vessel_classes(), **catalogue.tramp_classes()}


VesselName = Annotated[str, AfterValidator(as_value_error(_known("vessel class", _ship_classes, "vessels"))),
                       CatalogueNames("vessel class", _ship_classes)]
ServiceName = Annotated[str, AfterValidator(as_value_error(_known("service", catalogue.services, "services"))),
                        CatalogueNames("service", catalogue.services)]
FuelName = Annotated[str, AfterValidator(as_value_error(_known("fuel", catalogue.fuels, ""))),
                   CatalogueNames("fuel", catalogue.fuels, closed=True)]
CommodityName = Annotated[str, AfterValidator(as_value_error(_known("commodity", catalogue.commodities, ""))),
                          CatalogueNames("commodity", catalogue.commodities, closed=True)]
MAX_SHIPMENTS = 100_000_000
"""Most Monte Carlo shipments per route a scenario may ask for (about three minutes a route)."""
MAX_DES_RUNS = 1_000
"""Most discrete-event replications."""
MAX_ROUTES = 500
"""Most routes in one scenario (each is compiled and summarised on its own)."""
MAX_DAYS = 3_650.0
"""Longest study window or warm-up (days: ten years); a longer one is a typing slip, not a study."""

# Plausible ranges (sanity bounds several times the largest real value, so a typing slip is refused
# rather than run; a what-if inside them runs). Units in the names.
Knots = Annotated[float, Strict(), Field(gt=0, le=30)]
"""A speed (knots): the fastest container ships were built for 24-27 knots."""
HeadwayDays = Annotated[float, Strict(), Field(gt=0, le=365)]
ShipTeu = Annotated[float, Strict(), Field(gt=0, le=30_000)]
"""A ship's capacity (TEU): the largest carry about 24,000."""
CargoTeu = Annotated[float, Strict(), Field(gt=0, le=10_000)]
ParcelTonnes = Annotated[float, Strict(), Field(gt=0, le=600_000)]
"""A bulk parcel (tonnes): a Valemax carries about 400,000."""
ParcelVehicles = Annotated[float, Strict(), Field(gt=0, le=20_000)]
"""Vehicles in one car-carrier parcel: the largest carry about 10,000."""
FuelTPerDay = Annotated[float, Strict(), Field(ge=0, le=1_000)]
Moves = Annotated[float, Strict(), Field(gt=0, le=30_000)]
GrossTonnage = Annotated[float, Strict(), Field(gt=0, le=300_000)]
Deadweight = Annotated[float, Strict(), Field(gt=0, le=600_000)]
"""Tonnes deadweight (the largest ships afloat, ULCCs and Valemaxes, are under 600,000)."""
LengthM = Annotated[float, Strict(), Field(gt=0, le=500)]
Count = Annotated[int, Field(gt=0, le=100, strict=True)]
"""Berths or cranes at one call."""
MovesPerHour = Annotated[float, Strict(), Field(gt=0, le=100)]
Hours = Annotated[float, Strict(), Field(ge=0, le=240)]
PerDay = Annotated[float, Strict(), Field(ge=0, le=200)]
"""Ships a day through a passage."""
Km = Annotated[float, Strict(), Field(gt=0, le=30_000)]
Days = dist_with_mean_in(0, 365)
"""A wait, dwell, delay or leg (days, a distribution >= 0 with a mean of at most a year)."""
ShelfLifeDays = dist_with_mean_in(0, 730)
"""A perishable's keeping quality at its carry temperature (days)."""
PrecoolHours = dist_with_mean_in(0, 240)
"""Hours between harvest and cooling to the set point."""
TempC = Annotated[float, Strict(), Field(ge=-30, le=45)]
"""A temperature (degC): reefer set points run from -30 (frozen) to ambient."""
UsdPerDay = dist_with_mean_in(0, 1_000_000)
"""A ship's hire (USD/day): 2021-22 charter peaks reached about 200,000."""
TollUsd = dist_with_mean_in(0, 10_000_000)
"""A canal transit's toll (USD): the largest Panama and Suez tolls are about 1 million."""
PortCallUsd = dist_with_mean_in(0, 5_000_000)
FreightUsdPerTeu = dist_with_mean_in(0, 25_000)
"""A freight quote (USD/TEU): the 2021 peaks were about 10,000 per TEU."""
FreightUsdPerFeu = dist_with_mean_in(0, 50_000)
FreightUsdPerTonne = dist_with_mean_in(0, 1_000)
"""A voyage-charter quote (USD per tonne): Brazil-China ore ran 20-35 in 2022-24."""
FreightUsdPerVehicle = dist_with_mean_in(0, 50_000)
"""A car-carrier quote (USD per vehicle)."""
CargoValueUsd = dist_with_mean_in(0, 1_000_000_000)
OverlandUsdPerTeu = dist_with_mean_in(0, 100_000)
Co2TPerTeu = dist_with_mean_in(0, 100)
TeuPerWeek = dist_with_mean_in(0, 100_000)

# Numbers are strict: a YAML boolean (``yes``, ``true``) or a quoted string is not
# silently read as a number (pydantic's lax mode would turn ``teu: yes`` into 1.0).
PositiveFloat = Annotated[float, Strict(), Field(gt=0)]
NonNegFloat = Annotated[float, Strict(), Field(ge=0)]
Fraction = Annotated[float, Strict(), Field(ge=0, le=1)]
PositiveFraction = Annotated[float, Strict(), Field(gt=0, le=1)]
PositiveInt = Annotated[int, Field(gt=0, strict=True)]
Flag = Annotated[bool, Strict()]
CountryCode = Annotated[str, Field(pattern=_COUNTRY)]
RouteName = Annotated[str, Field(pattern=_ROUTE_NAME, max_length=64)]
SectionName = Annotated[str, Field(pattern=_SECTION_NAME)]
"""Name of a vessel class or service a scenario defines."""


class FieldError(ValueError):
    """A model-level problem that belongs to one field: the error is reported at ``path`` below the model."""

    def __init__(self, message: str, *path: str | int):
        super().__init__(message)
        self.path = path


class Section(BaseModel):
    """Base of every scenario model: unknown keys are errors, values frozen, no inf or NaN.

    A field's description is the docstring written under it (as pydantic's
    ``use_attribute_docstrings`` reads it, but from one parse of the module's source rather than
    a search of the call stack and a parse per class: :func:`attribute_docstrings`); validators
    are built on first use (``defer_build``), once for the scenario as a whole.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, str_strip_whitespace=True,
                              defer_build=True,
                              validate_default=True)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        docs = attribute_docstrings(cls.__module__).get(cls.__qualname__, {})
        for name, info in cls.__pydantic_fields__.items():
            if info.description is None and name in docs:
                info.description = docs[name]


@functools.cache
def attribute_docstrings(module: str) -> dict[str, dict[str, str]]:
    """Class name -> field -> the docstring under the field, for the classes of ``module`` at its
    top level (read from its source once; what pydantic's ``use_attribute_docstrings`` takes).

    >>> attribute_docstrings(__name__)["FieldError"]
    {}
    >>> attribute_docstrings("routesim.scenario.sections")["ReeferFailure"]["days"][:30]
    'Days the cargo spends at ``tem'
    """
    try:
        tree = ast.parse(inspect.getsource(sys.modules[module]))
    except (OSError, TypeError, KeyError):  # no source (a frozen or compiled module)
        return {}
    out: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            docs: dict[str, str] = {}
            target = None
            previous = None
            for stmt in node.body:
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    target = stmt.target.id
                elif (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
                      and isinstance(stmt.value.value, str) and isinstance(previous, ast.AnnAssign) and target):
                    docs[target] = inspect.cleandoc(stmt.value.value)
                    target = None
                previous = stmt
            out[node.name] = docs
    return out

