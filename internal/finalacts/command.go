package finalacts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/text/render"
)

// row is a final acts' row.
type row struct {
	ID, ForumID, Number, Title, Visibility string
	Revision                               int
	Hash                                   string
	OpensAt, ClosesAt, CutoffAt, CreatedAt int64
}

const rowColumns = "id, forum_id, number, title, visibility, revision, hash, opens_at, closes_at, cutoff_at, created_at"

func scanRow(sc interface{ Scan(...any) error }) (row, error) {
	var r row
	err := sc.Scan(&r.ID, &r.ForumID, &r.Number, &r.Title, &r.Visibility, &r.Revision, &r.Hash, &r.OpensAt, &r.ClosesAt, &r.CutoffAt, &r.CreatedAt)
	return r, err
}

// row reads final acts of the forum by id or document number.
func (s *Service) row(ctx context.Context, q store.Querier, forumID, ref string) (row, error) {
	if !forum.IsRef(ref) || ref == "" {
		return row{}, plenary.NotFound("no final acts %q in this forum", ref)
	}
	r, err := scanRow(q.QueryRowContext(ctx, "SELECT "+rowColumns+" FROM final_acts WHERE forum_id = ? AND (id = ? OR number = ?)", forumID, ref, ref))
	if errors.Is(err, sql.ErrNoRows) {
		return row{}, plenary.NotFound("no final acts %q in this forum", ref)
	}
	return r, err
}

// isOpen reports whether signatures are taken at t.
func (r row) isOpen(t int64) bool {
	return r.OpensAt != 0 && t >= r.OpensAt && (r.ClosesAt == 0 || t < r.ClosesAt)
}

func fmtTime(ms int64) string { return time.UnixMilli(ms).UTC().Format("2006-01-02 15:04 UTC") }

// window says when signatures are taken, for refusals.
func (r row) window() string {
	switch {
	case r.OpensAt == 0:
		return "the secretariat has not opened them for signature"
	case r.ClosesAt == 0:
		return "open for signature from " + fmtTime(r.OpensAt)
	}
	return fmt.Sprintf("open for signature from %s until %s", fmtTime(r.OpensAt), fmtTime(r.ClosesAt))
}

// assembled is a text of the final acts ready to be written: its
// provisions in order, its hash and its document text.
type assembled struct {
	texts      []TextInput // with the revisions resolved
	provisions []Provision
	hash       string
	markdown   string
}

// assemble reads the adopted revisions of texts, in order, for title. It
// checks that each was adopted (again inside the transaction: see
// checkAdopted).
func (s *Service) assemble(ctx context.Context, sc *forum.Scope, title string, texts []TextInput) (assembled, error) {
	var a assembled
	if len(texts) == 0 {
		return a, plenary.Invalid("texts", "name at least one adopted draft text to include")
	}
	seen := map[string]bool{}
	var md strings.Builder
	md.WriteString("# " + title + "\n\n")
	for i, t := range texts {
		field := fmt.Sprintf("texts[%d]", i)
		t.Draft = strings.TrimSpace(t.Draft)
		if t.Draft == "" {
			return a, plenary.Invalid(field+".draft", "is required: the draft text to include")
		}
		dt, err := s.drafting.DraftText(ctx, sc, t.Draft)
		if err != nil {
			if plenary.ErrorCode(err) == plenary.CodeNotFound {
				return a, plenary.Invalid(field+".draft", "no draft text %q in this forum", t.Draft)
			}
			return a, err
		}
		if seen[dt.ID] {
			return a, plenary.Invalid(field+".draft", "%s is included twice", dt.Number)
		}
		seen[dt.ID] = true
		ad, ok, err := s.drafting.AdoptionOf(ctx, s.store, dt.ID)
		if err != nil {
			return a, err
		}
		if !ok {
			return a, plenary.Invalid(field+".draft", "%s has not been adopted: final acts are assembled from adopted texts", dt.Number)
		}
		if t.Revision != 0 && t.Revision != ad.Revision {
			return a, plenary.Invalid(field+".revision", "revision %d of %s was not adopted; revision %d was", t.Revision, dt.Number, ad.Revision)
		}
		t.Revision = ad.Revision
		rv, err := s.drafting.DraftRevision(ctx, sc, dt.ID, ad.Revision)
		if err != nil {
			return a, err
		}
		instrument := rv.Text.Title
		if instrument == "" {
			instrument = dt.Title
		}
		for j := range rv.Text.Provisions {
			p := &rv.Text.Provisions[j]
			a.provisions = append(a.provisions, Provision{Key: dt.ID + ":" + p.ID, DraftID: dt.ID, DraftNumber: dt.Number,
				DraftRevision: ad.Revision, Instrument: instrument, ProvisionID: p.ID, Kind: string(p.Kind), Intro: p.Intro, Label: p.DisplayLabel(),
				Name: drafting.ProvisionName(p), Text: p.Text()})
		}
		md.Write(render.Markdown(rv.Text))
		md.WriteString("\n")
		a.texts = append(a.texts, t)
	}
	if len(a.provisions) == 0 {
		return a, plenary.Invalid("texts", "the texts named have no provisions")
	}
	a.hash = TextHash(a.provisions)
	md.WriteString("---\n\nText hash (SHA-256, Plenary final acts v1): " + a.hash + "\n")
	a.markdown = md.String()
	return a, nil
}

// checkAdopted checks again, inside the transaction, that each text is
// still adopted in the revision assembled.
func (s *Service) checkAdopted(ctx context.Context, tx *store.Tx, a assembled) error {
	for i, t := range a.texts {
		ad, ok, err := s.drafting.AdoptionOf(ctx, tx, t.Draft)
		if err != nil {
			return err
		}
		if !ok || ad.Revision != t.Revision {
			return plenary.Conflict("texts[%d]: the draft text is no longer adopted in revision %d; assemble again", i, t.Revision)
		}
	}
	return nil
}

// insertText records a text of the final acts and its provisions.
func insertText(ctx context.Context, tx *store.Tx, id string, rev int, a assembled, title, note, label string, seq, at int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO final_act_texts (final_acts_id, revision, hash, title, note, version_label, seq, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, rev, a.hash, title, note, label, seq, at); err != nil {
		return err
	}
	for n, p := range a.provisions {
		if _, err := tx.ExecContext(ctx, `INSERT INTO final_act_provisions (final_acts_id, revision, n, draft_id, draft_number, draft_revision,
			instrument, provision_id, kind, intro, label, name, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, rev, n+1, p.DraftID, p.DraftNumber, p.DraftRevision, p.Instrument, p.ProvisionID, p.Kind, p.Intro, p.Label, p.Name, p.Text); err != nil {
			return err
		}
	}
	return nil
}

func textRefs(a assembled) []map[string]any {
	out := make([]map[string]any, len(a.texts))
	for i, t := range a.texts {
		out[i] = map[string]any{"draft_id": t.Draft, "revision": t.Revision}
	}
	return out
}

// Assemble files final acts as a numbered document of type final_acts,
// from the adopted revisions of the draft texts named, in that order. The
// secretariat only.
func (s *Service) Assemble(ctx context.Context, sc *forum.Scope, in AssembleInput) (FinalActs, error) {
	var err error
	if in.Title, err = forum.CheckLine("title", strings.TrimSpace(in.Title), MaxTitle); err != nil {
		return FinalActs{}, err
	}
	if in.Title == "" {
		return FinalActs{}, plenary.Invalid("title", "is required: e.g. Final Acts of the World Conference on International Telecommunications (Dubai, 2012)")
	}
	if in.Note, err = forum.CheckText("note", strings.TrimSpace(in.Note), MaxNote); err != nil {
		return FinalActs{}, err
	}
	if err := sc.RequireSecretariat(ctx); err != nil {
		return FinalActs{}, err
	}
	a, err := s.assemble(ctx, sc, in.Title, in.Texts)
	if err != nil {
		return FinalActs{}, err
	}
	var id string
	err = s.kernel.Command(ctx, sc, "finalacts.Assemble", func(tx *store.Tx, sc *forum.Scope) error {
		if err := sc.RequireSecretariat(ctx); err != nil {
			return err
		}
		if err := s.checkAdopted(ctx, tx, a); err != nil {
			return err
		}
		doc, err := s.documents.CreateDocumentTx(ctx, tx, sc.Actor, sc.Forum, documents.DocumentInput{Type: documents.DocFinalActs,
			Title: in.Title, Text: a.markdown, Visibility: in.Visibility})
		if err != nil {
			return err
		}
		id = doc.ID
		now := s.now().UnixMilli()
		if _, err := tx.ExecContext(ctx, `INSERT INTO final_acts (id, forum_id, number, title, visibility, revision, hash, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, doc.ID, sc.Forum.ID, doc.Number, in.Title, doc.Visibility, 1, a.hash, sc.Actor.UserID, now, now); err != nil {
			return err
		}
		led, err := tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "finalacts.assembled", doc.Visibility, map[string]any{
			"final_acts": doc.ID, "number": doc.Number, "title": in.Title, "revision": 1, "hash": a.hash,
			"provisions": len(a.provisions), "texts": textRefs(a), "note": in.Note})
		if err != nil {
			return err
		}
		return insertText(ctx, tx, doc.ID, 1, a, in.Title, in.Note, doc.Number, led.Seq, now)
	})
	if err != nil {
		return FinalActs{}, err
	}
	return s.FinalActs(ctx, sc, id)
}

// Revise assembles final acts again (a revision or a corrigendum) as a new
// version of their document, with a new hash; signatures already made stay
// on the text they were made on and read as superseded. The secretariat
// only.
func (s *Service) Revise(ctx context.Context, sc *forum.Scope, id string, in ReviseInput) (FinalActs, error) {
	var err error
	if in.Title, err = forum.CheckLine("title", strings.TrimSpace(in.Title), MaxTitle); err != nil {
		return FinalActs{}, err
	}
	if in.Note, err = forum.CheckText("note", strings.TrimSpace(in.Note), MaxNote); err != nil {
		return FinalActs{}, err
	}
	if in.Note == "" {
		return FinalActs{}, plenary.Invalid("note", "is required: what the revision changes")
	}
	switch in.Kind {
	case "":
		in.Kind = documents.VersionRev
	case documents.VersionRev, documents.VersionCorr:
	default:
		return FinalActs{}, plenary.Invalid("kind", "must be rev (a revision) or corr (a corrigendum)")
	}
	if err := sc.RequireSecretariat(ctx); err != nil {
		return FinalActs{}, err
	}
	old, err := s.row(ctx, s.store, sc.Forum.ID, id)
	if err != nil {
		return FinalActs{}, err
	}
	if in.Title == "" {
		in.Title = old.Title
	}
	texts := in.Texts
	if len(texts) == 0 {
		if texts, err = s.textsOf(ctx, s.store, old); err != nil {
			return FinalActs{}, err
		}
	}
	a, err := s.assemble(ctx, sc, in.Title, texts)
	if err != nil {
		return FinalActs{}, err
	}
	if a.hash == old.Hash && in.Title == old.Title {
		return FinalActs{}, plenary.Invalid("texts", "the text assembled is the current one (hash %s): nothing to revise", short(a.hash))
	}
	err = s.kernel.Command(ctx, sc, "finalacts.Revise", func(tx *store.Tx, sc *forum.Scope) error {
		if err := sc.RequireSecretariat(ctx); err != nil {
			return err
		}
		if err := s.checkAdopted(ctx, tx, a); err != nil {
			return err
		}
		r, err := s.row(ctx, tx, sc.Forum.ID, old.ID)
		if err != nil {
			return err
		}
		if r.Revision != old.Revision {
			return plenary.Conflict("%s was revised meanwhile (revision %d): read it again", r.Number, r.Revision)
		}
		v, err := s.documents.AddVersionTx(ctx, tx, sc.Actor, sc.Forum, r.ID, documents.VersionInput{Kind: in.Kind, Title: in.Title, Text: a.markdown, Note: in.Note})
		if err != nil {
			return err
		}
		now, rev := s.now().UnixMilli(), r.Revision+1
		if _, err := tx.ExecContext(ctx, "UPDATE final_acts SET title = ?, revision = ?, hash = ?, updated_at = ? WHERE id = ?", in.Title, rev, a.hash, now, r.ID); err != nil {
			return err
		}
		led, err := tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "finalacts.revised", r.Visibility, map[string]any{
			"final_acts": r.ID, "number": r.Number, "title": in.Title, "revision": rev, "hash": a.hash, "previous_hash": r.Hash,
			"version": v.Label, "provisions": len(a.provisions), "texts": textRefs(a), "note": in.Note})
		if err != nil {
			return err
		}
		return insertText(ctx, tx, r.ID, rev, a, in.Title, in.Note, v.Label, led.Seq, now)
	})
	if err != nil {
		return FinalActs{}, err
	}
	return s.FinalActs(ctx, sc, old.ID)
}

// textsOf lists the draft texts the current text of r includes, in order.
func (s *Service) textsOf(ctx context.Context, q store.Querier, r row) ([]TextInput, error) {
	ps, err := s.provisions(ctx, q, r.ID, r.Revision)
	if err != nil {
		return nil, err
	}
	var out []TextInput
	seen := map[string]bool{}
	for _, p := range ps {
		if !seen[p.DraftID] {
			seen[p.DraftID] = true
			out = append(out, TextInput{Draft: p.DraftID})
		}
	}
	return out, nil
}

// schedule sets one of the final acts' times, by the secretariat.
func (s *Service) schedule(ctx context.Context, sc *forum.Scope, id, name, typ, column string, in TimeInput,
	check func(r row, at int64) error) (FinalActs, error) {
	at := s.now()
	if in.At != nil {
		at = in.At.UTC().Truncate(time.Millisecond)
	}
	if at.Year() < 1900 || at.Year() > 9999 {
		return FinalActs{}, plenary.Invalid("at", "is not a plausible time")
	}
	if err := sc.RequireSecretariat(ctx); err != nil {
		return FinalActs{}, err
	}
	old, err := s.row(ctx, s.store, sc.Forum.ID, id)
	if err != nil {
		return FinalActs{}, err
	}
	err = s.kernel.Command(ctx, sc, name, func(tx *store.Tx, sc *forum.Scope) error {
		if err := sc.RequireSecretariat(ctx); err != nil {
			return err
		}
		r, err := s.row(ctx, tx, sc.Forum.ID, old.ID)
		if err != nil {
			return err
		}
		if err := check(r, at.UnixMilli()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE final_acts SET "+column+" = ?, updated_at = ? WHERE id = ?", at.UnixMilli(), s.now().UnixMilli(), r.ID); err != nil {
			return err
		}
		_, err = tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), typ, r.Visibility, map[string]any{
			"final_acts": r.ID, "number": r.Number, "title": r.Title, "at": at.UnixMilli(), "hash": r.Hash})
		return err
	})
	if err != nil {
		return FinalActs{}, err
	}
	return s.FinalActs(ctx, sc, old.ID)
}

// OpenForSignature states when the final acts open for signature (nil:
// now). It may be set again, before they close. The secretariat only.
func (s *Service) OpenForSignature(ctx context.Context, sc *forum.Scope, id string, in TimeInput) (FinalActs, error) {
	return s.schedule(ctx, sc, id, "finalacts.OpenForSignature", "finalacts.signature_opened", "opens_at", in, func(r row, at int64) error {
		if r.ClosesAt != 0 && at >= r.ClosesAt {
			return plenary.Invalid("at", "must be before the close of signature (%s)", fmtTime(r.ClosesAt))
		}
		return nil
	})
}

// CloseForSignature states when the final acts close for signature (nil:
// now): no signature is taken from then on. The secretariat only.
func (s *Service) CloseForSignature(ctx context.Context, sc *forum.Scope, id string, in TimeInput) (FinalActs, error) {
	return s.schedule(ctx, sc, id, "finalacts.CloseForSignature", "finalacts.signature_closed", "closes_at", in, func(r row, at int64) error {
		if r.OpensAt == 0 {
			return plenary.Conflict("%s have not been opened for signature: open them first", r.Number)
		}
		if at <= r.OpensAt {
			return plenary.Invalid("at", "must be after the opening for signature (%s)", fmtTime(r.OpensAt))
		}
		return nil
	})
}

// SetCutoff states until when declarations and reservations are deposited
// (nil: now). The secretariat only.
func (s *Service) SetCutoff(ctx context.Context, sc *forum.Scope, id string, in TimeInput) (FinalActs, error) {
	return s.schedule(ctx, sc, id, "finalacts.SetCutoff", "finalacts.cutoff_set", "cutoff_at", in, func(row, int64) error { return nil })
}
