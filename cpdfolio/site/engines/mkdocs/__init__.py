"""MkDocs (and ProperDocs, its maintained fork): cpdfolio's plugin generates the pages.

- `plugin`: the plugin `mkdocs build` runs (entry point `cpdfolio`);
- `options`: its options in mkdocs.yml, as a typed schema, and the settings they give;
- `search`: Material's search, fed the pages as a reader searches them;
- `dirty`: `cpdfolio serve`'s quick rebuilds, of the pages an edit changes;
- `commands`: `build` and `serve`, what `cpdfolio build` and `cpdfolio serve` run
  with this engine (the same two functions as `engines/zensical.py`).
"""
