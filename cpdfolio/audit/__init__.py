"""What an assessor would ask of the records, answered before they ask.

- `checks`: audit readiness, the framework's checks over a period's records;
- `profile`: a written profile drafted from the records and the checks;
- `benchmarking`: how each competence's self-assessed level moved.

The frameworks these read (categories, competences, checks) are `cpdfolio.frameworks`.
"""
