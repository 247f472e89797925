"""The one-call Python API: each function takes Earth units and K like the CLI, is vectorised
over planets, seeded, and returns a result with to_dict(), to_json() and DataFrame views.

The names are exported lazily from `planetinfer` itself (planetinfer/__init__.py), so
`import planetinfer` stays cheap; each capability is imported when its function is first used.
"""

# public name -> module of planetinfer.api that defines it
EXPORTS = {
    "interior_posterior": "interior",
    "InteriorPosterior": "interior",
    "solve_structure": "structure",
    "StructureTable": "structure",
    "predict_mass": "mass",
    "MassPrediction": "mass",
    "escape_rate": "escape",
    "EscapeRates": "escape",
    "evolve": "escape",
    "EvolutionTracks": "escape",
    "gravity_moments": "gravity",
    "GravityMoments": "gravity",
    "characterise": "characterise",
    "Characterisation": "characterise",
}
