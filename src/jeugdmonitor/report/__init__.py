"""Reporting: the values of every page (municipality report and bijlage, region overview,
index and verantwoording), the goals judged, the charts, the page templates loaded, and the
executed notebook exported to HTML (and PDF).

Reads validated tables through `jeugdmonitor.tables`, never the cleaning stage. Notebooks 03-05
call it. May import: the floor, `definitions` and the sources' contracts; not `clean`,
`quality` or `runner`.
"""
