package documents

import (
	"context"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/search"
	"github.com/plenary-forum/plenary/internal/store"
)

// SearchInput is a full-text search: the query and its filters.
type SearchInput struct {
	Q     string `json:"q"`
	Forum string `json:"forum"` // a forum's slug; "" searches every forum
	Kind  string `json:"kind"`  // document or provision; "" both
	Type  string `json:"type"`  // a document type
	Party string `json:"party"` // a source party's id (or, with a forum, its code)
	Body  string `json:"body"`  // a body's slug (with a forum)
	From  string `json:"from"`  // dated on or after, YYYY-MM-DD
	To    string `json:"to"`    // dated on or before, YYYY-MM-DD
	Page  int    `json:"page"`  // 1, 2...
}

// SearchPageSize is the number of hits per page.
const SearchPageSize = 20

// Search finds documents (and provisions) a may read: public entries for
// anyone; in each forum, what a's standing there opens (as the register
// shows); everything for the site secretariat. What a may not read is
// filtered out by the database, so neither it nor its snippet is ever
// returned. Embargoes that have passed are released first.
func (s *Service) Search(ctx context.Context, a forum.Actor, in SearchInput) (search.Result, error) {
	q := search.Query{Text: strings.TrimSpace(in.Q), Kind: in.Kind, Type: in.Type, Limit: SearchPageSize}
	var errs plenary.Errors
	if in.Kind != "" && in.Kind != search.KindDocument && in.Kind != search.KindProvision {
		errs = append(errs, plenary.Invalid("kind", "must be document or provision"))
	}
	if in.Type != "" && !forum.Valid(DocumentTypes, in.Type) {
		errs = append(errs, plenary.Invalid("type", "is not a document type"))
	}
	for _, d := range []struct {
		field, v string
		t        *time.Time
		add      int
	}{{"from", in.From, &q.From, 0}, {"to", in.To, &q.To, 1}} {
		if d.v == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", d.v)
		if err != nil {
			errs = append(errs, plenary.Invalid(d.field, "must be a date written YYYY-MM-DD"))
			continue
		}
		*d.t = t.AddDate(0, 0, d.add)
	}
	if in.Page < 0 || in.Page > 500 {
		errs = append(errs, plenary.Invalid("page", "must be between 1 and 500"))
	}
	if in.Page > 1 {
		q.Offset = (in.Page - 1) * SearchPageSize
	}
	var forums []forum.Forum
	if in.Forum != "" {
		f, err := s.kernel.ForumBySlug(ctx, in.Forum)
		if err != nil {
			errs = append(errs, plenary.Invalid("forum", "no forum %q", in.Forum))
		} else {
			forums = []forum.Forum{f}
			q.ForumID = f.ID
			if in.Body != "" {
				b, err := s.kernel.RequestScopeOf(ctx, a, f).Body(ctx, in.Body)
				if err != nil {
					errs = append(errs, plenary.Invalid("body", "no body %q in this forum", in.Body))
				}
				q.BodyID = b.ID
			}
			if in.Party != "" {
				sp, err := lookupParty(ctx, s.store, f, in.Party)
				if err != nil {
					errs = append(errs, plenary.Invalid("party", "no party %q in this forum", in.Party))
				}
				q.PartyID = sp.ID
			}
		}
	} else {
		if in.Body != "" {
			errs = append(errs, plenary.Invalid("body", "choose a forum to filter by body"))
		}
		q.PartyID = in.Party
	}
	if len(errs) > 0 {
		return search.Result{}, errs
	}
	var err error
	if q.ForumID != "" {
		err = s.releaseDue(ctx, q.ForumID)
	} else if _, err = s.ReleaseEmbargoed(ctx); err == nil {
		// A search across forums leaves out the discarded ones, as the
		// lists of forums do.
		q.Exclude, err = s.kernel.DiscardedForumIDs(ctx)
	}
	if err != nil {
		return search.Result{}, err
	}
	if q.Access, err = s.searchAccess(ctx, a, forums); err != nil {
		return search.Result{}, err
	}
	return search.Search(ctx, s.store, q)
}

// searchAccess works out what a may read in forums (every forum when nil).
func (s *Service) searchAccess(ctx context.Context, a forum.Actor, forums []forum.Forum) (search.Access, error) {
	if a.Admin {
		return search.Access{All: true}, nil
	}
	acc := search.Access{Restricted: map[string][]string{}}
	if !a.LoggedIn() {
		return acc, nil
	}
	if forums == nil {
		var err error
		if forums, err = s.kernel.Forums(ctx); err != nil {
			return acc, err
		}
	}
	for _, f := range forums {
		v, _, err := s.ReadAccess(ctx, s.kernel.RequestScopeOf(ctx, a, f))
		if err != nil {
			return acc, err
		}
		if v.Secretariat {
			acc.AllIn = append(acc.AllIn, f.ID)
			continue
		}
		var vs []string
		for _, x := range v.Visibilities() {
			if x != ledger.VisPublic {
				vs = append(vs, x)
			}
		}
		if len(vs) > 0 {
			acc.Restricted[f.ID] = vs
		}
	}
	return acc, nil
}

// reindexBatch is how many entries one transaction of a reindex writes.
const reindexBatch = 500

// Reindex writes the search entry of every document of forum f again
// from its rows (its text, versions and files' text), a few hundred to a
// transaction, and says how many. The index is derived from the rows,
// never the other way: rebuilding it changes nothing on the record.
func (s *Service) Reindex(ctx context.Context, f forum.Forum) (int, error) {
	ids, err := store.Strings(ctx, s.store, "SELECT id FROM documents WHERE forum_id = ? ORDER BY id", f.ID)
	if err != nil {
		return 0, err
	}
	n := len(ids)
	for len(ids) > 0 {
		part := ids[:min(len(ids), reindexBatch)]
		ids = ids[len(part):]
		if _, err := s.store.Write(ctx, func(tx *store.Tx) error {
			for _, id := range part {
				if err := s.reindexDocument(ctx, tx, f, id); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return 0, err
		}
	}
	return n, nil
}
