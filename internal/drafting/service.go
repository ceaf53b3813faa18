// Package drafting is the drafting aggregate: draft texts, proposed
// amendments, compilations, brackets and revisions, with their exports.
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
