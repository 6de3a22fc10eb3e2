"""The errors the minutes services raise. Each message is Swedish and meant for the user."""

from __future__ import annotations


class ImportFailed(Exception):
    """The legacy minutes could not be imported; nothing was saved. The message is Swedish."""


class NotEditable(Exception):
    """The minutes are no longer a draft."""

    message = "Minnesanteckningarna är inte längre ett utkast och kan inte ändras."


class Conflict(Exception):
    """Someone saved in between; ``current`` is what is stored now."""

    def __init__(self, current: dict) -> None:
        super().__init__("conflict")
        self.current = current


class InvalidInput(Exception):
    """Input that cannot be saved; the message is Swedish and meant for the user."""


class StorageUnavailable(Exception):
    """The file storage failed (a full disk, an object store that does not answer): nothing was
    saved, and the message says so."""

    message = (
        "Filarkivet svarar inte just nu, så ingenting är sparat. Försök igen om en stund; "
        "kvarstår felet, kontakta systemförvaltaren."
    )

    def __str__(self) -> str:
        return self.message


class NotAllowed(Exception):
    """A transition that the current state or the person does not allow; Swedish message."""
