"""Definitions: the versioned config in `config/*.yaml` (register of municipalities and regions,
mergers, KPIs, goals, sources), checked against the JSON schemas in `schemas/` and loaded.

Every stage reads its definitions here. May import: the floor (`paths`, `errors`, `vocabulary`).
"""
