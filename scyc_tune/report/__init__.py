"""Reports: tables and pages built from finished studies."""
