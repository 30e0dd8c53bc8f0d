"""What each page, table and chart says, decided before anything is drawn.

Qt-free and matplotlib-free, above ``core`` and below ``render``: the locality pack's content
(:mod:`.pack`), the practices a page names (:mod:`.practices`), the area a map shows (:mod:`.maps`),
the obesity trend's points (:mod:`.charts`) and how numbers are written (:mod:`.numbers`), shared by
the screen and every export. The renderer receives these finished and only draws them.
"""
