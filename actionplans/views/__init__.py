"""The action plan pages, one module per stage: ``plans``, ``items`` (an agenda item linked to
a plan or report, and its follow-up), ``reports``, ``public``; what they share is in ``common``."""
