"""Views of the minutes app: the public pages (public.py) and the secretary's drafting
pages (drafting.py)."""
