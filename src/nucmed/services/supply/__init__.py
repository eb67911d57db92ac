"""Supply use cases: the producer's catalogue and departures, the hospitals' orders and standing
orders, the order desk's plan and the shipments with their receipt.

A hospital's radiopharmacist orders for their site
(:attr:`~nucmed.services.permissions.Permission.SUPPLY_ORDER`); the producer's order desk
handles every order addressed to it (:attr:`~nucmed.services.permissions.Permission.SUPPLY_DESK`).
Each use case owns its transaction.
"""
