"""Sources: the raw files in `data/raw/` under their contracts (checksum against the sidecar,
encoding, columns, codes, numbers) and read into frames per source: CBS tables, Iv3 spending,
the regions' exports and CBS's area table.

The first stage of the pipeline; fetch, cleaning and the quality gate read raw files through it.
May import: the floor and `definitions`.
"""
