"""The interactive map: a matplotlib canvas showing :class:`MapFigure`, with pan and zoom
(wheel, drag, keyboard), a hover tooltip and click-to-select. It draws what the view
model says and asks the planner what lies under the pointer; it computes nothing itself.

The layers below and above the areas' fill are kept as images (:class:`CachedLayers`), so
an indicator switch draws the fill alone."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QToolTip

from sthc_desktop.content.numbers import format_value
from sthc_desktop.core.comparison import SUPPRESSED_TEXT
from sthc_desktop.render.mapfigure import FILL_Z, NO_DATA_Z, MapFigure

from .document import Document

ZOOM_STEP = 1.25


class CachedLayers(Artist):
    """The map's layers on one side of the areas' fill, drawn once into an image that each redraw
    pastes for as long as none of them changes.

    An indicator switch restyles the fill only: the boundaries, Care Community names and practice
    keys above it (laying out and rasterising their text was half of every redraw) and the
    neighbouring boroughs below it are pasted instead of drawn again. The image is drawn afresh
    when one of its layers is restyled (matplotlib marks it stale), added or removed, or when the
    map's extent or the canvas's size changes."""

    def __init__(self, ax, holds, zorder: float):
        super().__init__()
        self.ax = ax
        self.holds = holds  # zorder -> whether a layer drawn at that depth is in this image
        self.set_zorder(zorder)
        self.renders = 0    # how often the image was drawn afresh
        self._key = None
        self._image = None
        self._offscreen = None

    def layers(self) -> list[Artist]:
        ax = self.ax
        drawn = {*ax.collections, *ax.patches, *ax.texts, *ax.lines}
        return [a for a in ax.get_children() if a in drawn and self.holds(a.get_zorder())]

    def claim(self) -> None:
        """Take these layers out of the canvas's own drawing (matplotlib skips animated artists on screen)."""
        for layer in self.layers():
            layer.set_animated(True)

    def draw(self, renderer) -> None:
        layers = self.layers()
        key = (layers, renderer.width, renderer.height, renderer.dpi, self.ax.bbox.bounds, self.ax.viewLim.bounds)
        if key != self._key or any(layer.stale for layer in layers):
            image = self._offscreen
            if image is None or (image.width, image.height, image.dpi) != (renderer.width, renderer.height,
                                                                           renderer.dpi):
                image = self._offscreen = RendererAgg(renderer.width, renderer.height, renderer.dpi)
            else:
                image.clear()  # kept: matplotlib caches text measurements by renderer
            for layer in sorted(layers, key=lambda a: a.get_zorder()):  # stable: the axes' order within a depth
                layer.draw(image)
            for layer in layers:
                layer.stale = False  # hidden ones too: showing one again marks it stale
            self._image = np.ascontiguousarray(np.asarray(image.buffer_rgba())[::-1])  # bottom row first
            self._key = key
            self.renders += 1
        gc = renderer.new_gc()
        renderer.draw_image(gc, 0, 0, self._image)
        gc.restore()
        self.stale = False


class MapCanvas(FigureCanvasQTAgg):
    def __init__(self, model: Document, parent=None):
        self.figure = Figure(figsize=(8, 7), facecolor="white")
        super().__init__(self.figure)
        self.setParent(parent)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumSize(420, 360)
        self.model = model
        self.ax = self.figure.add_axes([0, 0, 1, 1])
        self.map = MapFigure(self.ax, model.planner)
        self._cache_layers()
        self.legend = self.map.restyle(model.view)
        self._resized = True  # laid out at the first draw, at the size the window gives the map
        self._drag_from = None
        model.viewChanged.connect(self._redraw)
        model.plannerChanged.connect(self._rebuild)
        self.mpl_connect("scroll_event", self._on_scroll)
        self.mpl_connect("button_press_event", self._on_press)
        self.mpl_connect("button_release_event", self._on_release)
        self.mpl_connect("motion_notify_event", self._on_motion)
        self.mpl_connect("resize_event", self._on_resize)

    # -- drawing --------------------------------------------------------------------------
    def _cache_layers(self) -> None:
        self.cached = (CachedLayers(self.ax, lambda z: z < FILL_Z, FILL_Z - 0.5),
                       CachedLayers(self.ax, lambda z: z > NO_DATA_Z, NO_DATA_Z + 0.5))
        for layer in self.cached:
            self.ax.add_artist(layer)

    def draw(self) -> None:
        if self._resized:  # laid out for the new size once, however many resizes came before this draw
            self._resized = False
            self.map.place(self.model.view)
        for layer in self.cached:
            layer.claim()
        super().draw()

    def _on_resize(self, _event) -> None:
        self._resized = True  # matplotlib asks for a draw after each resize

    def _redraw(self, view) -> None:
        self.legend = self.map.update(view)
        self.draw_idle()

    def _rebuild(self, planner) -> None:
        self.ax.clear()
        self.map = MapFigure(self.ax, planner)
        self._cache_layers()
        self._redraw(self.model.view)

    @property
    def extent(self):
        return self.map.extent

    # -- navigation -------------------------------------------------------------------------
    def zoom(self, factor: float, centre: tuple[float, float] | None = None) -> None:
        x0, y0, x1, y1 = self.extent
        cx, cy = centre or ((x0 + x1) / 2, (y0 + y1) / 2)
        self.model.update(extent=(cx - (cx - x0) / factor, cy - (cy - y0) / factor,
                                  cx + (x1 - cx) / factor, cy + (y1 - cy) / factor))

    def pan(self, dx: float, dy: float) -> None:
        x0, y0, x1, y1 = self.extent
        self.model.update(extent=(x0 + dx, y0 + dy, x1 + dx, y1 + dy))

    def _on_scroll(self, event) -> None:
        if event.xdata is None:
            return
        self.zoom(ZOOM_STEP if event.step > 0 else 1 / ZOOM_STEP, (event.xdata, event.ydata))

    def _on_press(self, event) -> None:
        if event.xdata is None or event.button != 1:
            return
        self._drag_from = (event.x, event.y, event.xdata, event.ydata)

    def _on_release(self, event) -> None:
        start, self._drag_from = self._drag_from, None
        if start is None or event.button != 1:
            return
        if abs(event.x - start[0]) < 4 and abs(event.y - start[1]) < 4:
            self.select_at(start[2], start[3])

    def _on_motion(self, event) -> None:
        if self._drag_from is not None and event.xdata is not None:
            # Pan so the point grabbed stays under the pointer.
            x0, y0, x1, y1 = self.extent
            scale = (x1 - x0) / max(self.ax.bbox.width, 1)
            dx = (self._drag_from[0] - event.x) * scale
            dy = (self._drag_from[1] - event.y) * scale
            self._drag_from = (event.x, event.y, self._drag_from[2], self._drag_from[3])
            self.pan(dx, dy)
            return
        if event.xdata is None:
            QToolTip.hideText()
            return
        text = self.tooltip_at(event.xdata, event.ydata)
        if text:
            pos = self.mapToGlobal(QPoint(int(event.x), int(self.height() - event.y)))
            QToolTip.showText(pos, text, self)
        else:
            QToolTip.hideText()

    def keyPressEvent(self, event) -> None:
        x0, y0, x1, y1 = self.extent
        step = (x1 - x0) * 0.15
        key = event.key()
        if key in (Qt.Key_Plus, Qt.Key_Equal):
            self.zoom(ZOOM_STEP)
        elif key == Qt.Key_Minus:
            self.zoom(1 / ZOOM_STEP)
        elif key == Qt.Key_Left:
            self.pan(-step, 0)
        elif key == Qt.Key_Right:
            self.pan(step, 0)
        elif key == Qt.Key_Up:
            self.pan(0, step)
        elif key == Qt.Key_Down:
            self.pan(0, -step)
        elif key == Qt.Key_Home:
            self.model.update(extent=None)
        else:
            super().keyPressEvent(event)

    # -- what is under the pointer ----------------------------------------------------------
    def _hit(self, x: float, y: float) -> dict | None:
        """The practice symbol under the pointer if there is one, else the area."""
        tolerance = 8 * self.map.metres_per_point()
        code = self.map.practice_at(x, y, tolerance)
        if code is not None:
            return self.model.planner.practice_details(code, self.model.view)
        return self.model.planner.area_at(self.model.view, x, y)

    def tooltip_at(self, x: float, y: float) -> str:
        hit = self._hit(x, y)
        if hit is None:
            return ""
        layer = self.model.planner.layer_for(self.model.view)
        meta = layer.meta
        if hit["geography"] == "practice":
            key = "" if pd.isna(hit.get("map_key")) else f"{int(hit['map_key'])}. "
            text = (f"<b>{key}{hit['name']}</b> ({hit['code']})<br>{hit.get('locality')} · "
                    f"{hit.get('status_text')}<br>Registered patients: "
                    f"{format_value(hit.get('list_size'), 'patients')} ({hit.get('list_size_date') or '–'})")
            if layer.is_area:
                return text
        else:
            text = (f"<b>{hit['name']}</b> ({hit['code']})<br>Ward: {hit.get('ward_name') or '–'}"
                    f" · Care Community: {hit.get('locality_shares_text') or hit.get('locality') or '–'}")
            if not layer.is_area:
                return text
        value = (SUPPRESSED_TEXT if hit.get("suppressed") in (True, 1)  # disclosure control: a count of 1 to 4
                 else format_value(hit.get("value"), meta.unit))
        interval = ""
        if pd.notna(hit.get("lower_ci")) and pd.notna(hit.get("upper_ci")):
            interval = f" (95% CI {format_value(hit['lower_ci'])}–{format_value(hit['upper_ci'])})"
        unit = meta.unit[1:].strip() if meta.unit.startswith("%") else meta.unit
        return f"{text}<br>{meta.short_name}: <b>{value}</b> {unit}{interval}<br>Period: {layer.period}"

    def select_at(self, x: float, y: float) -> None:
        self.model.select(self._hit(x, y))
