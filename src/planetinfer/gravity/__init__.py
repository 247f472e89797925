"""Gravity field: theory of figures and the WMH26 agnostic density-profile sampler."""
