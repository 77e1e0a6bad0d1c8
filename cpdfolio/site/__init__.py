"""The site: the portfolio's pages generated as Markdown, laid out by a site engine.

`generate` writes only what may be published (shared records, their files and
the generated pages) into a folder of its own; an engine (`engines/`) lays out
that folder and nothing else, so a private record is never where it can read it.

- `layout`: where a portfolio keeps its records, and the folder an engine reads;
- `generate`: the pages and files an engine may publish, written for one build;
- `pages/`: the Markdown of each page kind (dashboard, goals, activities, ...);
- `charts`: SVG charts, on the site and in the printout;
- `urls`: where each source file ends up in the built site;
- `pipeline`: one build on any engine: generate, lay out, seal;
- `engines/`: the adapters of MkDocs (with ProperDocs) and Zensical;
- `sealing`: a passphrase on the built site;
- `bundle`: the site and printout as one zip;
- `preview`: `cpdfolio serve`'s page of build errors.
"""
