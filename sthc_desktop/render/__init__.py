"""Matplotlib rendering shared by the GUI and the exports: the map, its legend, charts and page layouts."""
