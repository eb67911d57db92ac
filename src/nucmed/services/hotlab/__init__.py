"""Hot-lab use cases: receipt, elution, QC, kit preparation, patient doses, calibrator QC,
stock and waste. Each public function runs inside the caller's transaction
(:func:`nucmed.services.uow.transaction`) and writes its audit entries there.
"""

__all__: list[str] = []
