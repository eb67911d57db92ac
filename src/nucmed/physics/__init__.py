"""Physics of nuclear medicine: decay, generators, dose rate and shielding.

Pure: numpy alone, SI units inside (Bq, s, m, Sv), no I/O beyond reading the shipped data files.
Import the modules directly (``from nucmed.physics.decay import Activity``).
"""

__all__: list[str] = []
