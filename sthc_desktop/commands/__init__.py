"""Command-line commands beyond opening the app; each module registers its own parser."""
