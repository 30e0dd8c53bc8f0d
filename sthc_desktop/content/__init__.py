"""What each page, table and chart says, decided before anything is drawn.

Qt-free and matplotlib-free, above ``core`` and below ``render``: the numbers as they are written
(:mod:`.numbers`), shared by the screen and every export.
"""
