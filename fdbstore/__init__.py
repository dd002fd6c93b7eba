"""fdbstore: the project's only storage, with FoundationDB's transaction model.

Use ``get_database()`` for the process's handle and ``@transactional`` (or
``db.transact``) for retried transactions. Backends: memory, embedded (SQLite
WAL, the default) and foundationdb (the official binding).
"""
