"""Keeping quality of perishables: pure functions over numpy arrays.

routesim follows the *keeping quality* model of Tijskens and Polderdijk (1996, "A generic
model for keeping quality of vegetable produce during storage and distribution",
Agricultural Systems 51: 431-452), read as Sekse (1988, 1996) reads it for sweet cherries:
a lot has a storage potential, its keeping quality ``K`` (days at its carry temperature),
and uses it up at a rate that rises with temperature by a factor ``q10`` per 10 degC
(the temperature quotient of respiration). After ``d_i`` days at temperatures ``T_i`` the
lot has used

    U = sum_i d_i * q10 ** ((T_i - T_carry) / 10) / K

of it (:func:`used_fraction`); its remaining quality is ``1 - U`` (never below zero,
:func:`remaining_quality`). Sekse found rotting rise sharply once the cumulative
respiration passes the storage-potential limit by a factor of 1.2-1.6, so a share of
fruit past its keeping quality (``U >= 1``) is *downgraded* (sold, at a discount) and a
share past ``reject_factor`` times it is *rejected* (lost). Fruit in one box is not all
alike (biological variance): its pallets' keeping qualities are lognormal about the
box's with coefficient of variation ``within_cv`` (:func:`box_shares`), so losses grow
gradually with time instead of falling off a cliff.

Examples
--------
>>> import numpy as np
>>> used = used_fraction(np.array([20.0, 45.0]), np.array([50.0, 50.0]))
>>> used
array([0.4, 0.9])
>>> remaining_quality(used)
array([0.6, 0.1])
>>> down, rejected = box_shares(np.array([0.5, 1.0, 2.0]), 0.1, 1.4)
>>> np.round(down, 3), np.round(rejected, 3)
(array([0. , 0.5, 0. ]), array([0., 0., 1.]))
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

__all__ = ["rate_factor", "equivalent_days", "used_fraction", "remaining_quality", "box_shares",
           "value_lost_share", "NEGLIGIBLE_SHARE"]

NEGLIGIBLE_SHARE = 1e-9
"""Shares of a box below this (a few milligrams of a 20-tonne load) are reported as zero."""


def rate_factor(temp_c, carry_temp_c: float, q10: float):
    """How many times faster keeping quality is used at ``temp_c`` than at ``carry_temp_c`` (degC).

    ``q10 ** ((temp_c - carry_temp_c) / 10)``: 1 at the carry temperature, ``q10`` ten
    degrees above it.

    >>> float(rate_factor(10.0, 0.0, 2.5))
    2.5
    """
    return np.power(float(q10), (np.asarray(temp_c, dtype=float) - float(carry_temp_c)) / 10.0)


def equivalent_days(days, temps_c, carry_temp_c: float, q10: float):
    """Days at the carry temperature that use as much keeping quality as ``days`` at ``temps_c``.

    ``days`` and ``temps_c`` are sequences of equal length of arrays (or scalars) that
    broadcast together: one entry per stretch of the cold chain.

    >>> float(equivalent_days([10.0, 0.25], [0.0, 20.0], 0.0, 2.0))
    11.0
    """
    total = 0.0
    for d, t in zip(days, temps_c, strict=True):
        total = total + np.asarray(d, dtype=float) * rate_factor(t, carry_temp_c, q10)
    return np.asarray(total, dtype=float)


def used_fraction(equivalent, keeping_days):
    """Share of a lot's keeping quality used after ``equivalent`` days at its carry temperature.

    ``keeping_days`` (days, > 0) is the lot's keeping quality; 0 at no time, 1 when it is
    used up; not bounded above (a lot kept past its limit keeps ageing).

    >>> float(used_fraction(30.0, 60.0))
    0.5
    """
    return np.asarray(equivalent, dtype=float) / np.asarray(keeping_days, dtype=float)


def remaining_quality(used):
    """Remaining keeping quality ``1 - used``, between 0 and 1.

    >>> remaining_quality([0.0, 0.25, 3.0]).tolist()
    [1.0, 0.75, 0.0]
    """
    return np.clip(1.0 - np.asarray(used, dtype=float), 0.0, 1.0)


def box_shares(used, within_cv: float, reject_factor: float):
    """Shares of a box downgraded and rejected, given the keeping quality its median pallet used.

    The pallets' keeping qualities are lognormal about the box's with coefficient of
    variation ``within_cv``; a pallet that used more than all of its keeping quality is
    downgraded, one that used more than ``reject_factor`` (> 1) times it is rejected.
    Returns ``(downgraded, rejected)``, each in [0, 1], with ``downgraded + rejected <= 1``; a
    share below :data:`NEGLIGIBLE_SHARE` is zero.

    >>> d, r = box_shares([0.0, 1.4], 0.1, 1.4)
    >>> np.round(d, 3).tolist(), r.tolist()
    ([0.0, 0.5], [0.0, 0.5])
    """
    used = np.asarray(used, dtype=float)
    sigma = float(np.sqrt(np.log1p(float(within_cv) ** 2)))
    with np.errstate(divide="ignore"):
        log_used = np.log(used)
    if sigma == 0.0:
        past = (used >= 1.0).astype(float)
        rejected = (used >= reject_factor).astype(float)
    else:
        past = ndtr(log_used / sigma)
        rejected = ndtr((log_used - np.log(reject_factor)) / sigma)
        past = np.where(past < NEGLIGIBLE_SHARE, 0.0, past)
        rejected = np.where(rejected < NEGLIGIBLE_SHARE, 0.0, rejected)
    return np.maximum(past - rejected, 0.0), rejected


def value_lost_share(downgraded, rejected, downgrade_discount: float):
    """Share of a box's value lost: all of the rejected share, the discount on the downgraded one.

    >>> float(value_lost_share(0.5, 0.1, 0.2))
    0.2
    """
    return np.asarray(rejected, dtype=float) + float(downgrade_discount) * np.asarray(downgraded, dtype=float)
