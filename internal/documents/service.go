// Package documents is the documents aggregate: numbered documents and
// their series, versions (Rev., Add., Corr.), files, visibility and
// embargoes, and full-text search over what a reader may read.
package documents

import (
	"context"
	"log/slog"

	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/store"
)

// Service runs the documents' commands and queries.
type Service struct {
	kernel        *forum.Kernel
	participation *participation.Service
	store         *store.Store
	log           *slog.Logger
	docs          DocConfig // document files: storage and size limit (files.go)
	// revisedElsewhere reports whether a document's revisions are issued by
	// another aggregate (a draft text's by drafting), so that a free-text
	// Rev. must be refused. Set by that aggregate with OnRevisions.
	revisedElsewhere []func(ctx context.Context, q store.Querier, f forum.Forum, docID string) (bool, error)
}

// New returns the documents aggregate over k.
// It moves the documents of a duplicate party when participation merges it.
func New(k *forum.Kernel, p *participation.Service) *Service {
	s := &Service{kernel: k, participation: p, store: k.Store(), log: k.Logger()}
	p.OnMerge(s.mergeParty)
	return s
}
