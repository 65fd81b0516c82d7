"""The paper's schedule comparison (Table 2): rows, cycle keys, runs on Ray Tune.

Import ``scyc_tune.compare.driver`` for ``run_compare`` / ``load_comparison`` (it imports Ray);
``spec`` and ``rows`` are light."""
