"""Scenario runs, replications, calibration and sweeps on top of the model (``simulation``)."""

import simulation  # noqa: F401  (installs the Mesa start-up finder before a runner module imports Mesa)
