"""Interior structure inference with mixture density networks (docs/interior.md).

Public entry points: `interior.store.load_shipped(inputs)` / `store.load(path)`,
`interior.predict.predict(model, [Planet(...)])`, `interior.train.train_and_save(...)`,
`interior.validate.report(...)`. Submodules are imported on use (JAX start-up is not free).
"""
