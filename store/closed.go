package store

// Closed reports whether Close has been called.
func (db *DB) Closed() bool { return db.closed.Load() }
