"""Demo data of this module, loaded by lienhiep.core.demo after the registry (Unions, people, agencies, users)."""


def load() -> None:
    """Add this module's demo records to the demo Unions (slug "kontum", and "quangngai" for isolation)."""
