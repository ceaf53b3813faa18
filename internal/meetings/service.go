package meetings

import (
	"log/slog"

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
}

// New returns the meetings aggregate over k: meetings of bodies, whose
// attendance names registrations (participation) and whose agenda items
// link to documents and draft texts.
func New(k *forum.Kernel, p *participation.Service, d *documents.Service, dr *drafting.Service) *Service {
	return &Service{kernel: k, participation: p, documents: d, drafting: dr, store: k.Store(), log: k.Logger()}
}
