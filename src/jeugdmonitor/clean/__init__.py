"""Cleaning: raw frames to tidy tables on the report year's boundaries (mergers harmonised,
regions and the country summed, KPI values computed), staged in `data/staging/<year>/`.

Notebook `01_opschonen.ipynb` runs it. May import: the floor, `definitions` and `sources`.
"""
