"""Bayesian mass-radius-flux relation of Ma & Ghosh (2021): data, model, fit, checks, prediction.

Modules: data (sample selection), model (NumPyro model), initial (NUTS starting points), fit
(NUTS, diagnostics, NetCDF), compare (DIC, WAIC, PSIS-LOO), hotelling and residuals (Sec. 5
checks), checks (both on a posterior), predict (posterior predictive masses), shipped (the fitted
posterior shipped in posterior/).
"""
