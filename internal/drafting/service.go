// Package drafting is the drafting aggregate: draft texts, proposed
// amendments, compilations, brackets and revisions, with their exports.
//
// Every proposal is labelled PARTY/N/S, as at the ITU. N is the number of
// the contribution that carries the proposal within its document's own
// numbering (6 for WTPF-13/6), or, for a proposal made in the room without
// a contribution, the draft's own number (1 for WCIT-12/1); a document of
// another series than the forum's own is written with its series'
// designation and its number (DT-1 for DT/1, IEG3-12 for WTPF-IEG/3/12).
// S counts the party's proposals with that N, from 1. labelDoc gives N.
package drafting

import (
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/store"
)

// Service runs drafting's commands and queries.
type Service struct {
	kernel        *forum.Kernel
	participation *participation.Service
	documents     *documents.Service
	store         *store.Store
}

// New returns the drafting aggregate over k; it tells documents that draft
// texts are revised here, and moves the proposals of a duplicate party
// when participation merges it.
func New(k *forum.Kernel, p *participation.Service, d *documents.Service) *Service {
	s := &Service{kernel: k, participation: p, documents: d, store: k.Store()}
	d.OnRevisions(s.isDraft)
	p.OnMerge(s.mergeParty)
	return s
}
