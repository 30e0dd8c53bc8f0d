"""Help texts of the options several commands share."""

#: ``--overwrite`` of every command that writes files.
OVERWRITE_HELP = "replace output files that already exist (without it, an existing file is kept and nothing is written)"
SCENARIO_HELP = ("what-if scenario JSON file ({\"name\": …, \"move_practices\": {ODS code: network}, "
                 "\"move_lsoas\": {LSOA code: locality}}); every output names it")
METHOD_HELP = "locality method (default: the pack's best-validated one)"
