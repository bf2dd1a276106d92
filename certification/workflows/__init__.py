"""The declared state machines of registrations, dossiers and decisions (see workflows.base)."""
