"""Hot-lab use cases: receipt, elution, QC, kit preparation, patient doses, calibrator QC,
stock and waste.

The use cases the interfaces call take the installation's ``Database`` and the signed-in
``Identity``, open their own unit of work (:func:`nucmed.services.uow.transaction`), check the
permission and return view values (``places``, ``materials.read_material``,
``receiving.record_receipt``, ``elution.elute_generator``/``enter_qc``,
``preparation.label_kit``/``make_product``, ``stock.read_stock``/``set_limit``,
``calibrator_log``, ``board.read_board``, ``doses.ask_for_dose``/``draw_dose``,
``labels.dose_label``, ``disposal``, ``quarantine.read_quarantine``/``release``). The
store-level steps they use take a ``Store`` and run inside the caller's transaction, writing
their audit entries there.
"""

__all__: list[str] = []
