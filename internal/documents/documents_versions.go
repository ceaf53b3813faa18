package documents

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/store"
)

// VersionInput is the input of AddVersion.
type VersionInput struct {
	Kind  string `json:"kind"`  // rev, add or corr
	Title string `json:"title"` // "" keeps the document's title
	Text  string `json:"text"`
	Note  string `json:"note"` // what the version changes
	// Files are uploaded with the version (the HTML form).
	Files []FileInput `json:"-"`
}

// OnRevisions registers a check that says whether a document's revisions
// are issued by another aggregate (drafting, for a draft text). AddVersion
// refuses a free-text Rev. of such a document; an error of the check
// refuses it too, with the check's own words (final acts say to use their
// revise command).
func (s *Service) OnRevisions(revisedElsewhere func(ctx context.Context, q store.Querier, f forum.Forum, docID string) (bool, error)) {
	s.revisedElsewhere = append(s.revisedElsewhere, revisedElsewhere)
}

// AddVersion issues a revision (Rev.n: its text replaces the document's),
// an addendum (Add.n) or a corrigendum (Corr.n) of a document; the number
// stays, n is the next of its kind. Who may is who may submit such a
// document for its source party, or the secretariat.
func (s *Service) AddVersion(ctx context.Context, sc *forum.Scope, docID string, in VersionInput) (Version, error) {
	a := sc.Actor
	f, d, err := s.documentForChange(ctx, sc, docID)
	if err != nil {
		return Version{}, err
	}
	if err := in.validate(d); err != nil {
		return Version{}, err
	}
	ups, err := s.acceptFiles(ctx, in.Files)
	if err != nil {
		return Version{}, err
	}
	defer closeAll(ups)
	var v Version
	err = s.kernel.Command(ctx, sc, "documents.AddVersion", func(tx *store.Tx, sc *forum.Scope) error {
		if in.Kind == VersionRev {
			// A draft text's revisions come from the editor's decisions on
			// its proposals, so that every provision keeps its drafting log.
			for _, elsewhere := range s.revisedElsewhere {
				yes, err := elsewhere(ctx, tx, f, d.ID)
				if err != nil {
					return err
				}
				if yes {
					return plenary.Invalid("kind", "%s is a draft text: its revisions are issued from the proposals on its revision page, not as a free-text Rev.", d.Number)
				}
			}
		}
		v, err = s.addVersion(ctx, tx, a, f, d.ID, in, ups)
		return err
	})
	return v, err
}

func (in *VersionInput) validate(d Document) error {
	var errs plenary.Errors
	if in.Kind != VersionRev && in.Kind != VersionAdd && in.Kind != VersionCorr {
		errs = append(errs, plenary.Invalid("kind", "must be rev, add or corr"))
	}
	if strings.TrimSpace(in.Title) == "" {
		in.Title = d.Title
	}
	var err error
	if in.Title, err = forum.CheckName("title", in.Title, MaxDocTitle); err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	if in.Text, err = forum.CheckText("text", in.Text, MaxDocText); err != nil {
		errs = append(errs, plenary.AsError(err))
	} else if in.Text == "" && len(in.Files) == 0 {
		errs = append(errs, plenary.Invalid("text", "give the text of the version, or attach a file"))
	}
	if in.Note, err = forum.CheckText("note", in.Note, 2000); err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	return errs.Err()
}

// AddVersionTx adds a version inside the caller's transaction (the
// drafting commands issue a draft text's revision with its provisions
// this way), after the caller has authorized it. Files in in are not
// allowed here.
func (s *Service) AddVersionTx(ctx context.Context, tx *store.Tx, a forum.Actor, f forum.Forum, docID string, in VersionInput) (Version, error) {
	if len(in.Files) > 0 {
		return Version{}, errors.New("forum: AddVersionTx does not take files; use AttachFile after it")
	}
	return s.addVersion(ctx, tx, a, f, docID, in, nil)
}

// addVersion adds a version with files already checked and stored.
func (s *Service) addVersion(ctx context.Context, tx *store.Tx, a forum.Actor, f forum.Forum, docID string, in VersionInput, ups []*upload) (Version, error) {
	d, err := s.LoadDocument(ctx, tx, f, docID, false)
	if err != nil {
		return Version{}, err
	}
	if err := in.validate(d); err != nil {
		return Version{}, err
	}
	if d.Status == DocWithdrawn {
		return Version{}, plenary.Conflict("%s has been withdrawn", d.Number)
	}
	// Lock the document so that two versions of one kind cannot take
	// the same n; UNIQUE (document_id, kind, n) is the last guard.
	if _, err := tx.ExecContext(ctx, "UPDATE documents SET updated_at = ? WHERE id = ?", forum.NowUTC().UnixMilli(), d.ID); err != nil {
		return Version{}, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(n), 0) FROM document_versions WHERE document_id = ? AND kind = ?", d.ID, in.Kind).Scan(&n); err != nil {
		return Version{}, err
	}
	now := forum.NowUTC()
	v := Version{ID: plenary.NewID(), DocumentID: d.ID, Kind: in.Kind, N: n + 1, Title: in.Title, Text: in.Text, Note: in.Note, CreatedAt: now}
	v.Label = versionLabel(d.Number, v.Kind, v.N)
	if err := insertVersion(ctx, tx, v, a); err != nil {
		return Version{}, err
	}
	if v.Kind == VersionRev {
		if _, err := tx.ExecContext(ctx, "UPDATE documents SET title = ?, body = ?, updated_at = ? WHERE id = ?", v.Title, v.Text, now.UnixMilli(), d.ID); err != nil {
			return Version{}, err
		}
	}
	fs, err := insertFiles(ctx, tx, a, d, v, ups, now)
	if err != nil {
		return Version{}, err
	}
	v.Files = fs
	if err := s.reindexDocument(ctx, tx, f, d.ID); err != nil {
		return Version{}, err
	}
	_, err = tx.Emit(ctx, f.ID, a.LedgerID(), "document.version_added", d.Visibility, map[string]any{
		"document_id": d.ID, "number": d.Number, "label": v.Label, "kind": v.Kind, "n": v.N, "title": v.Title,
		"note": v.Note, "text_sha256": TextHash(v.Text), "files": fileRefs(fs)})
	return v, err
}

// WithdrawDocument marks a document withdrawn by its source (or the
// secretariat). It keeps its number and stays readable, marked as withdrawn.
func (s *Service) WithdrawDocument(ctx context.Context, sc *forum.Scope, docID, reason string) (Document, error) {
	a := sc.Actor
	f, d, err := s.documentForChange(ctx, sc, docID)
	if err != nil {
		return Document{}, err
	}
	if d.Status == DocWithdrawn {
		return Document{}, plenary.Conflict("%s has already been withdrawn", d.Number)
	}
	reason, err = forum.CheckText("reason", reason, 2000)
	if err != nil {
		return Document{}, err
	}
	err = s.kernel.Command(ctx, sc, "documents.WithdrawDocument", func(tx *store.Tx, sc *forum.Scope) error {
		if _, err := tx.ExecContext(ctx, "UPDATE documents SET status = ?, status_note = ?, updated_at = ? WHERE id = ? AND status = ?",
			DocWithdrawn, reason, forum.NowUTC().UnixMilli(), d.ID, DocCurrent); err != nil {
			return err
		}
		_, err := tx.Emit(ctx, f.ID, a.LedgerID(), "document.withdrawn", d.Visibility, map[string]any{
			"document_id": d.ID, "number": d.Number, "title": d.Title, "reason": reason})
		return err
	})
	if err != nil {
		return Document{}, err
	}
	return s.LoadDocument(ctx, s.store, f, d.ID, true)
}

// documentForChange loads a document for a command that changes it and
// checks that a may (mayChange).
func (s *Service) documentForChange(ctx context.Context, sc *forum.Scope, docID string) (forum.Forum, Document, error) {
	a := sc.Actor
	if err := forum.RequireLogin(a); err != nil {
		return forum.Forum{}, Document{}, err
	}
	f := sc.Forum
	d, err := s.Document(ctx, sc, docID)
	if err != nil {
		return forum.Forum{}, Document{}, err
	}
	if err := s.mayChange(ctx, sc, d); err != nil {
		return forum.Forum{}, Document{}, err
	}
	return f, d, nil
}

// MayChangeDocument reports whether a may add versions and files to d or
// withdraw it, for pages that offer those forms: what AddVersion,
// AttachFile and WithdrawDocument allow of whoever asks (each also needs
// d not to be withdrawn).
func (s *Service) MayChangeDocument(ctx context.Context, sc *forum.Scope, d Document) (bool, error) {
	return forum.Allowed(s.mayChange(ctx, sc, d))
}

// mayChange is the right to change d, which the commands that change a
// document check: the secretariat always; otherwise whoever may submit
// such a document for its first source party (for a document without
// one, only the person who submitted it).
func (s *Service) mayChange(ctx context.Context, sc *forum.Scope, d Document) error {
	a, f := sc.Actor, sc.Forum
	if err := forum.RequireLogin(a); err != nil {
		return err
	}
	v, err := sc.Viewer(ctx)
	if err != nil {
		return err
	}
	if v.Secretariat {
		return nil
	}
	action := documentAction(d.Type)
	if action == "" {
		return plenary.Forbidden("only the secretariat of %s changes documents of the type %s", forum.ShortName(f), strings.ToLower(d.TypeLabel()))
	}
	party := ""
	if len(d.Parties) > 0 {
		party = d.Parties[0].ID
	} else if d.SubmittedBy != a.UserID {
		return plenary.Forbidden("only the secretariat and the person who submitted %s may change it", d.Number)
	}
	_, err = sc.Authorize(ctx, action, party)
	return err
}

// DocumentPath is the web page of a document.
func DocumentPath(f forum.Forum, docID string) string {
	return "/forums/" + f.Slug + "/documents/" + docID
}

// issuedAt is the time a document's date stands for: midnight UTC.
func IssuedAt(day string, fallback time.Time) time.Time {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return fallback
	}
	return t
}
