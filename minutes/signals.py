"""What the minutes tell the apps above them. Minutes know nothing of action plans or reports
(STYLE.md: apps depend one way); those apps listen here instead."""

from django.dispatch import Signal

# Sent inside the approval's transaction, after the approved revision is stored (online
# approval and minutes archived as approved alike), with ``minutes`` and ``revision``. A
# receiver that raises makes the approval fail as a whole.
minutes_approved = Signal()

# Sent inside ``correction_start``'s transaction once the correction's draft holds copies of the
# approved minutes' items, with ``source`` (the approved minutes), ``minutes`` (the draft) and
# ``items`` (the id of each approved item → its copy). What the apps above keep per item (an
# action plan's link, its follow-ups) goes with the copy.
minutes_corrected = Signal()

# Sent inside the transaction that puts an announcement up on the anslagstavla (a justerat
# protokoll, a § justerad at once, a kungörelse), with ``announcement``.
announcement_posted = Signal()
