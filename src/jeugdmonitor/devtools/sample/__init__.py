"""The fictitious sample data in data/raw/, in the exact shapes of the real sources: seeded and
deterministic, every file's sidecar saying the data are fictitious. `shape` holds the sample's
parameters, `figures` draws the numbers, `cbs_files` and `region_files` write them, `generator`
puts it together and `national` makes the national-size copy for the benchmark.
"""
