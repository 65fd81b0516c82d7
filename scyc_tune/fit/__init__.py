"""Fitting S-Cyc's parameters (epsilon, delta, beta, q) with Optuna: to the oracle, or by
validation accuracy."""
