"""Supply of radiopharmaceuticals from a producer to the sites that order them.

Activity to dispatch for an order (:mod:`nucmed.supply.dispatch`), the scenario format
(:mod:`nucmed.supply.scenario`), the assignment of orders to departures with OR-Tools CP-SAT
(:mod:`nucmed.supply.planner`) and the replay of a plan under delays
(:mod:`nucmed.supply.whatif`).

Pure: no framework, no database, no I/O; SI units inside (Bq, s), moments in UTC.
"""

__all__: list[str] = []
