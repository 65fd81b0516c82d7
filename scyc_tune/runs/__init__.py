"""The run layer: what every job (oracle, fit, compare, prune) trains through.

- ``identity``: the one name of a trained cycle (``run_id``);
- ``chain``: the one loop from the initial state through train -> prune -> train;
- ``population``: the unit of work, the members of one cycle, each loaded from the run index
  or trained;
- ``report``: the one encoding of results across the Ray boundary;
- ``trainable``: the one Ray Tune trainable;
- ``launch``: the one ``Tuner`` construction and the relay of per-trial events.
"""
