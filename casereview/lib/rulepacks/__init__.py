"""Rule pack data files, one TOML file per regime; loaded by casereview.lib.clocks."""
