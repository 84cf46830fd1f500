"""Run-time services shared by every layer: the run's limits (:mod:`.budget`), output files
written whole or not at all (:mod:`.outputs`), progress lines (:mod:`.progress`) and the
argument checks of the public functions (:mod:`.checks`). No mathematics here."""
