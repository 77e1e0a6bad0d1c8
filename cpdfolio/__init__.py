"""cpdfolio: a folder of Markdown CPD records as a portfolio site and printout."""

from .records.loader import LoadResult, load
from .records.model import Activity, Goal, Period, Portfolio, Problem, Swot

__all__ = ["Activity", "Goal", "LoadResult", "Period", "Portfolio", "Problem", "Swot", "load"]
