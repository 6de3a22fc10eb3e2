"""Views of the minutes app, one module per stage: the staff pages of a meeting (meetings.py,
items.py, approval.py, notice.py, all starting from loading.py's MeetingPage), every file handed
out (downloads.py) and the public pages (public.py)."""
