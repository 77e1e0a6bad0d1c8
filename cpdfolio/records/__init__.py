"""The records: a folder of Markdown files read into the portfolio as data.

- `model`: the portfolio as data (records, goals, problems); no I/O, no engine;
- `frontmatter`: front matter read with line numbers;
- `schema`: the front matter of each kind of record, as a typed schema;
- `loader`: the folder → `Portfolio`, with every problem found in one pass;
- `review`: warnings about records that load but are not ready for an assessor;
- `period`: the audit period, one meaning everywhere;
- `privacy`: which files must never reach an output;
- `markup`: user text into Markdown and HTML without becoming markup;
- `links`: where a record's rendered HTML points;
- `sanitizer`: rendered record HTML through an allowlist;
- `summary`: counts at a glance.
"""
