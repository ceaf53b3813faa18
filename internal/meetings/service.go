package meetings

import (
	"log/slog"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/store"
)

// Service runs the meetings' commands and queries.
type Service struct {
	kernel        *forum.Kernel
	participation *participation.Service
	documents     *documents.Service
	drafting      *drafting.Service
	store         *store.Store
	log           *slog.Logger
	// memo keeps the state of each meeting's queue (floor_memo.go).
	memo floorMemo
	// clock stamps queue events; nil is the server's clock (SetClock).
	clock func() time.Time
	// debateDecisions adds a meeting's decisions to its debate (OnDebate).
	debateDecisions DebateDecisions
}

// New returns the meetings aggregate over k: meetings of bodies, whose
// attendance names registrations (participation) and whose agenda items
// link to documents and draft texts.
func New(k *forum.Kernel, p *participation.Service, d *documents.Service, dr *drafting.Service) *Service {
	return &Service{kernel: k, participation: p, documents: d, drafting: dr, store: k.Store(), log: k.Logger()}
}

// SetClock sets the clock that stamps the events of the meetings' queues;
// nil restores the server's. Records entered after the fact use it: the
// demo replays its meetings' queues on a clock of its own, so that their
// turns last as long as turns do, and ends at the server's present.
// Events still come in clock order: an event is never stamped before the
// last one of its queue.
func (s *Service) SetClock(clock func() time.Time) { s.clock = clock }

func (s *Service) now() time.Time {
	if s.clock != nil {
		return s.clock()
	}
	return plenary.Now()
}
