"""Reference tables shipped with nucmed (CSV), each row with its source; see README.md here."""

__all__: list[str] = []
