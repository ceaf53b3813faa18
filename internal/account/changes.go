package account

import (
	"hash/fnv"
	"sync"
)

// credentialChanges wakes whatever follows a user's credentials (live
// streams) when they change in this process: a session ended, a token
// revoked. Users share a fixed number of slots, so its memory does not
// grow with them; two users in one slot only wake each other's followers
// for a check that finds nothing changed.
type credentialChanges struct {
	mu    sync.Mutex
	slots [256]chan struct{}
}

func slotOf(userID string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(userID))
	return int(h.Sum32() % 256)
}

// watch returns a channel closed at the next change of userID's
// credentials.
func (c *credentialChanges) watch(userID string) <-chan struct{} {
	i := slotOf(userID)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.slots[i] == nil {
		c.slots[i] = make(chan struct{})
	}
	return c.slots[i]
}

// changed wakes the followers of userID's credentials.
func (c *credentialChanges) changed(userID string) {
	i := slotOf(userID)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.slots[i] != nil {
		close(c.slots[i])
		c.slots[i] = nil
	}
}

// CredentialsChanged returns a channel that is closed when one of the
// user's sessions ends (EndSession) or one of their API tokens is revoked
// (RevokeToken) in this process, after the change is committed; sometimes
// for another user's change too. Changes made by other processes, and
// sessions that expire, are not announced: whoever follows credentials
// also reads them again from time to time (a live stream does every few
// seconds).
func (s *Service) CredentialsChanged(userID string) <-chan struct{} {
	return s.changes.watch(userID)
}
