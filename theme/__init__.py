"""Templates and stylesheets cpdfolio adds to mkdocs-material (package data)."""
