"""The four Care Communities by name: as the strategic plan writes them, their colours, their ODS PCN
names, and the names of the ways small areas are assigned to them (:mod:`.localities` does the
assigning). Plain Python, no pandas: the command line lists these in its help before it loads
anything.
"""

from __future__ import annotations

#: Network names as the strategic plan writes them, in map-key order.
NETWORKS: tuple[str, ...] = ("Central", "Newton & Haydock", "North", "South")

#: One colour per network, used on every map, chart and table (Okabe-Ito, colour-blind safe).
NETWORK_COLOURS: dict[str, str] = {
    "Central": "#0072B2",
    "Newton & Haydock": "#E69F00",
    "North": "#009E73",
    "South": "#CC79A7",
}

#: ODS PCN names of the four networks (ePCN), mapped to the plan's names.
PCN_NAME_TO_NETWORK: dict[str, str] = {
    "ST HELENS CENTRAL PCN": "Central",
    "NEWTON AND HAYDOCK PCN": "Newton & Haydock",
    "ST HELENS NORTH PCN": "North",
    "ST HELENS SOUTH PCN": "South",
}

NEAREST_PRACTICE = "nearest practice"
SUPPLIED_LOOKUP = "supplied lookup"
ESTIMATED_REGISTRATIONS = "estimated registrations"
#: The methods a pack can give without a file from the user, in the order a chooser lists them.
PACK_METHODS = (ESTIMATED_REGISTRATIONS, NEAREST_PRACTICE)
