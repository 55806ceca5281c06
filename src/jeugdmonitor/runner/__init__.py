"""Running: the stages as notebook executions (papermill), the report runner with warm worker
kernels, build manifest and stale-only rebuild, the run lock, the derived stage dependencies
for the Makefile and one-page preview.

The last stage: it may import every other one; nothing but `cli` imports it (notebooks import
only `runner.interactive`, which says where they write).
"""
