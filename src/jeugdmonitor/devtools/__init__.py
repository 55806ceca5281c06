"""Developer tools beside the pipeline: the fictitious sample data and its area table
(`make sample-data`), `environment.yml` from the lock, and the headless browser the tests and
`make screenshots` use. No stage imports them.
"""
