package store

// PreparedStatements reports how many prepared statements the writer's
// and the reader's pools keep.
func (s *Store) PreparedStatements() (write, read int) {
	return s.writeStmts.len(), s.readStmts.len()
}

const MaxCachedStatements = maxCachedStatements
