"""Site engines: each lays out the pages cpdfolio generated, and nothing else."""
