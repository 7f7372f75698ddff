"""Decisions: the route finder (:func:`best`) and the speed optimiser (:func:`optimise_speed`)."""
