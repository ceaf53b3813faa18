package documents

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// DocumentInput is the input of SubmitDocument and CreateDocumentTx.
type DocumentInput struct {
	Type string `json:"type"`
	// Series is the slug of the numbering series ("" or "main": the
	// forum's own, PREFIX/n).
	Series string `json:"series"`
	// Number, when not 0, is the number to give within the series, for
	// documents issued before the forum used Plenary; only the
	// secretariat may choose it. 0 takes the next one.
	Number int64  `json:"number"`
	Title  string `json:"title"`
	Text   string `json:"text"`
	// Parties are the source parties, by id or code. A delegate submits
	// for a party it is registered for; empty means that party when it
	// has one.
	Parties    []string `json:"parties"`
	Body       string   `json:"body"` // the slug of the body it is for
	AgendaItem string   `json:"agenda_item"`
	Languages  []string `json:"languages"`
	// Visibility is public, members, delegation (the first source party's
	// delegation) or party:<id or code>; "" is the forum's default.
	Visibility string `json:"visibility"`
	// EmbargoUntil, for a restricted document, is when it becomes public:
	// 2013-05-14, 2013-05-14T09:30 (UTC) or RFC 3339.
	EmbargoUntil string `json:"embargo_until"`
	// IssuedOn is the document's date, YYYY-MM-DD; "" is today.
	IssuedOn string `json:"issued_on"`
	// Files are uploaded with the document (the HTML form); the API
	// attaches files with a request of their own.
	Files []FileInput `json:"-"`
}

// Limits of a document's fields.
const (
	MaxDocTitle  = 300
	MaxDocText   = 1 << 20
	maxAgenda    = 200
	maxDocNumber = 1_000_000
)

// docPlan is a validated DocumentInput with its references resolved.
type docPlan struct {
	in       DocumentInput
	seriesID string // "" for the main series, created on first use
	bodyID   string
	parties  []SourceParty
	vis      string
	embargo  *time.Time
	issued   string
}

// parseWhen reads a date and time given as RFC 3339, as YYYY-MM-DDTHH:MM
// (an HTML datetime-local field, taken as UTC) or as YYYY-MM-DD (midnight
// UTC).
func parseWhen(field, s string) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC().Truncate(time.Millisecond)
			return &t, nil
		}
	}
	return nil, plenary.Invalid(field, "must be a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM, UTC)")
}

// prepareDocument validates in and resolves its series, body and parties
// in forum f, reading through q. Visibility and embargo are checked here;
// whether the actor may use them is the caller's business.
func (s *Service) prepareDocument(ctx context.Context, q store.Querier, f forum.Forum, in DocumentInput) (docPlan, error) {
	p := docPlan{in: in}
	var errs plenary.Errors
	add := func(err error) {
		if err != nil {
			errs = append(errs, plenary.AsError(err))
		}
	}
	in.Type = strings.TrimSpace(in.Type)
	if !forum.Valid(DocumentTypes, in.Type) {
		add(plenary.Invalid("type", "must be one of report, contribution, proposal, draft_text, temporary, information, administrative, statement, minutes, final_acts"))
	}
	var err error
	in.Title, err = forum.CheckName("title", in.Title, MaxDocTitle)
	add(err)
	in.Text, err = forum.CheckText("text", in.Text, MaxDocText)
	add(err)
	in.AgendaItem = strings.TrimSpace(in.AgendaItem)
	if in.AgendaItem != "" {
		in.AgendaItem, err = forum.CheckName("agenda_item", in.AgendaItem, maxAgenda)
		add(err)
	}
	if in.Number < 0 || in.Number > maxDocNumber {
		add(plenary.Invalid("number", "must be between 1 and %d, or 0 for the next number", maxDocNumber))
	}
	var langs []string
	for _, l := range in.Languages {
		l = strings.ToLower(strings.TrimSpace(l))
		if l == "" {
			continue
		}
		if !forum.LangRE.MatchString(l) {
			add(plenary.Invalid("languages", "%q is not a language code such as en, fr or ar", l))
			break
		}
		langs = append(langs, l)
	}
	langs = forum.Dedupe(langs)
	if len(langs) == 0 && len(f.Languages) > 0 {
		langs = []string{f.Languages[0]}
	}
	in.Languages = langs
	p.issued = strings.TrimSpace(in.IssuedOn)
	if p.issued == "" {
		p.issued = forum.NowUTC().Format("2006-01-02")
	}
	add(forum.CheckDate("issued_on", p.issued))
	p.embargo, err = parseWhen("embargo_until", in.EmbargoUntil)
	add(err)

	switch in.Series = strings.TrimSpace(in.Series); in.Series {
	case "", SeriesMain:
		in.Series = SeriesMain
	default:
		ser, err := seriesBySlug(ctx, q, f.ID, in.Series)
		if err != nil {
			add(plenary.Invalid("series", "no numbering series %q in this forum", in.Series))
		} else {
			p.seriesID = ser.ID
			p.bodyID = ser.BodyID
		}
	}
	if b := strings.TrimSpace(in.Body); b != "" {
		id, err := bodyID(ctx, q, f, b)
		add(err)
		p.bodyID = id
	}
	seen := map[string]bool{}
	for _, ref := range in.Parties {
		ref = strings.TrimSpace(ref)
		if ref == "" {
			continue
		}
		sp, err := lookupParty(ctx, q, f, ref)
		if err != nil {
			add(plenary.Invalid("parties", "no party %q in this forum", ref))
			continue
		}
		if sp.mergedInto != "" {
			add(plenary.Invalid("parties", "%s was merged into %s: name %s", sp.Code, sp.mergedInto, sp.mergedInto))
			continue
		}
		if !seen[sp.ID] {
			seen[sp.ID] = true
			p.parties = append(p.parties, sp)
		}
	}
	if len(errs) > 0 {
		return p, errs
	}
	vis, err := s.resolveVisibility(ctx, q, f, in.Visibility, p.parties)
	if err != nil {
		return p, err
	}
	p.vis = vis
	if p.embargo != nil && vis == ledger.VisPublic {
		return p, plenary.Invalid("embargo_until", "only a restricted document can have an embargo; a public one is already public")
	}
	p.in = in
	return p, nil
}

// resolveVisibility turns a visibility as given in input into the stored
// form: public, members or party:<id>. "" is the forum's default.
func (s *Service) resolveVisibility(ctx context.Context, q store.Querier, f forum.Forum, v string, parties []SourceParty) (string, error) {
	switch v = strings.TrimSpace(v); v {
	case "":
		if f.DefaultPublic {
			return ledger.VisPublic, nil
		}
		return ledger.VisMembers, nil
	case ledger.VisPublic, ledger.VisMembers:
		return v, nil
	case VisibilityDelegation:
		if len(parties) == 0 {
			// The party may come from the submitter's capacity
			// (authorizeSubmit); insertDocument refuses it otherwise.
			return VisibilityDelegation, nil
		}
		return ledger.VisParty(parties[0].ID), nil
	}
	if ref, ok := strings.CutPrefix(v, "party:"); ok {
		sp, err := lookupParty(ctx, q, f, ref)
		if err != nil {
			return "", plenary.Invalid("visibility", "no party %q in this forum", ref)
		}
		return ledger.VisParty(sp.ID), nil
	}
	return "", plenary.Invalid("visibility", "must be public, members, delegation or party:<code>")
}

// lookupParty finds a party of forum f by id or code.
func lookupParty(ctx context.Context, q store.Querier, f forum.Forum, ref string) (SourceParty, error) {
	var sp SourceParty
	if !forum.IsRef(ref) {
		return sp, plenary.NotFound("no party %q in %s", ref, f.Title)
	}
	err := q.QueryRowContext(ctx, `SELECT p.id, p.code, p.name, COALESCE(m.code, '') FROM parties p
		LEFT JOIN parties m ON m.id = p.merged_into AND p.merged_into <> ''
		WHERE p.forum_id = ? AND (p.id = ? OR p.code = ?)`,
		f.ID, ref, strings.ToUpper(ref)).Scan(&sp.ID, &sp.Code, &sp.Name, &sp.mergedInto)
	if errors.Is(err, sql.ErrNoRows) {
		return sp, plenary.NotFound("no party %q in %s", ref, f.Title)
	}
	return sp, err
}

// SubmitDocument files a new document in a forum and gives it the next
// number of its series. Contributions, proposals and statements need the
// right to contribute, for the source party the actor acts for; draft texts
// and temporary documents the right to edit the draft; reports,
// information and administrative documents, minutes and final acts are
// issued by the secretariat, which may also file any document for any
// party and choose its number. Files sent with it are checked (type from
// their bytes, size) before anything is stored.
func (s *Service) SubmitDocument(ctx context.Context, sc *forum.Scope, in DocumentInput) (Document, error) {
	a := sc.Actor
	if err := forum.RequireLogin(a); err != nil {
		return Document{}, err
	}
	f := sc.Forum
	p, err := s.prepareDocument(ctx, s.store, f, in)
	if err != nil {
		return Document{}, err
	}
	if err := s.authorizeSubmit(ctx, sc, &p); err != nil {
		return Document{}, err
	}
	if kind := deadlineOf(p.in.Type); kind != "" {
		if err := sc.CheckDeadline(ctx, kind); err != nil {
			return Document{}, err
		}
	}
	ups, err := s.acceptFiles(ctx, in.Files)
	if err != nil {
		return Document{}, err
	}
	defer closeAll(ups)
	var d Document
	err = s.kernel.Command(ctx, sc, "documents.SubmitDocument", func(tx *store.Tx, sc *forum.Scope) error {
		d, err = s.insertDocument(ctx, tx, a, f, p, ups)
		return err
	})
	if err != nil {
		return Document{}, err
	}
	return s.LoadDocument(ctx, s.store, f, d.ID, true)
}

// authorizeSubmit checks that a may submit the planned document: the
// secretariat may file anything; others need the type's right for each
// source party (or for the party they act for, which becomes the source),
// may not choose numbers, and may only restrict a document to a
// delegation they belong to.
func (s *Service) authorizeSubmit(ctx context.Context, sc *forum.Scope, p *docPlan) error {
	f := sc.Forum
	v, err := sc.Viewer(ctx)
	if err != nil {
		return err
	}
	if v.Secretariat {
		return nil
	}
	action, err := typeRight(f, v, p.in.Type)
	if err != nil {
		return err
	}
	if p.in.Number != 0 {
		return plenary.Invalid("number", "only the secretariat chooses document numbers; leave it empty for the next number")
	}
	if len(p.parties) == 0 {
		c, err := sc.Authorize(ctx, action, "")
		if err != nil {
			return err
		}
		if c.PartyID != "" {
			p.parties = []SourceParty{{ID: c.PartyID, Code: c.PartyCode, Name: c.PartyName}}
			if p.vis == VisibilityDelegation {
				p.vis = ledger.VisParty(c.PartyID)
			}
		}
	}
	if p.vis == VisibilityDelegation {
		return errNoDelegation
	}
	for _, sp := range p.parties {
		if _, err := sc.Authorize(ctx, action, sp.ID); err != nil {
			return err
		}
	}
	if !v.CanSee(p.vis) {
		return plenary.Invalid("visibility", "you may only restrict a document to a delegation you belong to")
	}
	return nil
}

// typeRight is the right that filing a document of type t takes of a
// viewer, the first rule of authorizeSubmit: none for the secretariat
// (""), which files anything; for others the type's action, or a refusal
// for the types only the secretariat issues.
func typeRight(f forum.Forum, v forum.Viewer, t string) (rules.Action, error) {
	if v.Secretariat {
		return "", nil
	}
	action := documentAction(t)
	if action == "" {
		return "", plenary.Forbidden("only the secretariat of %s issues documents of the type %s", forum.ShortName(f), strings.ToLower(forum.Label(DocumentTypes, t)))
	}
	return action, nil
}

// SubmittableTypes lists the document types whoever asks may file, for
// the form that offers them: the types SubmitDocument would not refuse
// them for their type (typeRight, then the type's right in one of their
// registrations, as a submission without a source party checks it).
func (s *Service) SubmittableTypes(ctx context.Context, sc *forum.Scope) ([]forum.Choice, error) {
	if !sc.Actor.LoggedIn() {
		return []forum.Choice{}, nil
	}
	v, err := sc.Viewer(ctx)
	if err != nil {
		return nil, err
	}
	out := []forum.Choice{}
	for _, c := range DocumentTypes {
		action, err := typeRight(sc.Forum, v, c.Value)
		ok, err := forum.Allowed(err)
		if err != nil {
			return nil, err
		}
		if ok && action != "" {
			ok, err = sc.May(ctx, action, "")
			if err != nil {
				return nil, err
			}
		}
		if ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// CreateDocumentTx validates in and files it as a new document inside the
// caller's transaction, with its number, search entry and
// document.submitted event. It does not authorize: commands of this
// package that create documents of their own (a draft text with its
// provisions) call Authorize first and then this, so that the document and
// what they add to it commit together. Files in in are not allowed here.
func (s *Service) CreateDocumentTx(ctx context.Context, tx *store.Tx, a forum.Actor, f forum.Forum, in DocumentInput) (Document, error) {
	if len(in.Files) > 0 {
		return Document{}, errors.New("forum: CreateDocumentTx does not take files; use AttachFile after it")
	}
	p, err := s.prepareDocument(ctx, tx, f, in)
	if err != nil {
		return Document{}, err
	}
	d, err := s.insertDocument(ctx, tx, a, f, p, nil)
	if err != nil {
		return Document{}, err
	}
	return s.LoadDocument(ctx, tx, f, d.ID, true)
}

// allocateNumber takes the next number of a series (or checks the one
// asked for), with the series' counter row locked until the transaction
// ends; the UNIQUE constraints on documents are the last guard.
func allocateNumber(ctx context.Context, tx *store.Tx, f forum.Forum, seriesID string, want int64) (Series, int64, error) {
	if seriesID == "" {
		id, err := ensureMainSeries(ctx, tx, f)
		if err != nil {
			return Series{}, 0, err
		}
		seriesID = id
	}
	ser, err := scanSeries(tx.QueryRowContext(ctx, "SELECT "+seriesColumns+" FROM doc_series WHERE id = ?"+tx.ForUpdate(), seriesID))
	if err != nil {
		return Series{}, 0, err
	}
	seq := ser.LastSeq + 1
	if want != 0 {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM documents WHERE series_id = ? AND seq = ?", ser.ID, want).Scan(&n); err != nil {
			return Series{}, 0, err
		}
		if n > 0 {
			return Series{}, 0, plenary.Invalid("number", "%s is already taken", ser.numberOf(f, want))
		}
		seq = want
	}
	if seq > ser.LastSeq {
		if _, err := tx.ExecContext(ctx, "UPDATE doc_series SET last_seq = ? WHERE id = ?", seq, ser.ID); err != nil {
			return Series{}, 0, err
		}
	}
	return ser, seq, nil
}

var errNoDelegation = plenary.Invalid("visibility", "a document for one delegation needs a source party")

// insertDocument numbers and stores a prepared document, its original
// version, files and search entry, and records the event.
func (s *Service) insertDocument(ctx context.Context, tx *store.Tx, a forum.Actor, f forum.Forum, p docPlan, ups []*upload) (Document, error) {
	if p.vis == VisibilityDelegation {
		return Document{}, errNoDelegation
	}
	ser, seq, err := allocateNumber(ctx, tx, f, p.seriesID, p.in.Number)
	if err != nil {
		return Document{}, err
	}
	now := forum.NowUTC()
	d := Document{ID: plenary.NewID(), ForumID: f.ID, Series: ser.Slug, Seq: seq, Number: ser.numberOf(f, seq), Type: p.in.Type,
		Title: p.in.Title, Text: p.in.Text, BodyID: p.bodyID, AgendaItem: p.in.AgendaItem, Languages: p.in.Languages,
		Parties: p.parties, Visibility: p.vis, EmbargoUntil: p.embargo, Status: DocCurrent, IssuedOn: p.issued,
		SubmittedBy: a.LedgerID(), CreatedAt: now, UpdatedAt: now}
	if d.Parties == nil {
		d.Parties = []SourceParty{}
	}
	d.Current = d.Number
	_, err = tx.ExecContext(ctx, `INSERT INTO documents (id, forum_id, series_id, seq, number, type, title, body, body_id, agenda_item,
		languages, visibility, embargo_until, status, issued_on, submitted_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.ForumID, ser.ID, d.Seq, d.Number, d.Type, d.Title, d.Text, NullStr(d.BodyID), d.AgendaItem,
		strings.Join(d.Languages, ","), d.Visibility, nullMillis(d.EmbargoUntil), d.Status, d.IssuedOn, d.SubmittedBy, now.UnixMilli(), now.UnixMilli())
	if errors.Is(store.MapErr(err), plenary.ErrConflict) {
		return Document{}, plenary.Invalid("number", "%s is already taken", d.Number)
	}
	if err != nil {
		return Document{}, err
	}
	for i, sp := range d.Parties {
		if _, err := tx.ExecContext(ctx, "INSERT INTO document_parties (document_id, party_id, code, name, position) VALUES (?, ?, ?, ?, ?)",
			d.ID, sp.ID, sp.Code, sp.Name, i); err != nil {
			return Document{}, err
		}
	}
	v := Version{ID: plenary.NewID(), DocumentID: d.ID, Kind: VersionOriginal, Label: d.Number, Title: d.Title, Text: d.Text, CreatedAt: now}
	if err := insertVersion(ctx, tx, v, a); err != nil {
		return Document{}, err
	}
	fs, err := insertFiles(ctx, tx, a, d, v, ups, now)
	if err != nil {
		return Document{}, err
	}
	if err := s.reindexDocument(ctx, tx, f, d.ID); err != nil {
		return Document{}, err
	}
	_, err = tx.Emit(ctx, f.ID, a.LedgerID(), "document.submitted", d.Visibility, documentSubmitted{
		DocumentID: d.ID, Number: d.Number, Series: d.Series, Type: d.Type, Title: d.Title, Parties: d.Parties, BodyID: d.BodyID,
		AgendaItem: d.AgendaItem, Languages: d.Languages, Visibility: d.Visibility, EmbargoUntil: d.EmbargoUntil,
		IssuedOn: d.IssuedOn, TextSHA256: TextHash(d.Text), Files: fileRefs(fs)})
	return d, err
}

// documentSubmitted is the payload of document.submitted.
type documentSubmitted struct {
	DocumentID   string        `json:"document_id"`
	Number       string        `json:"number"`
	Series       string        `json:"series"`
	Type         string        `json:"type"`
	Title        string        `json:"title"`
	Parties      []SourceParty `json:"parties"`
	BodyID       string        `json:"body_id,omitempty"`
	AgendaItem   string        `json:"agenda_item,omitempty"`
	Languages    []string      `json:"languages"`
	Visibility   string        `json:"visibility"`
	EmbargoUntil *time.Time    `json:"embargo_until,omitempty"`
	IssuedOn     string        `json:"issued_on"`
	// TextSHA256 lets anyone holding the text check it is the one filed.
	TextSHA256 string    `json:"text_sha256"`
	Files      []fileRef `json:"files,omitempty"`
}

func TextHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func NullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullMillis(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}

func insertVersion(ctx context.Context, tx *store.Tx, v Version, a forum.Actor) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO document_versions (id, document_id, kind, n, label, title, body, note, submitted_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, v.ID, v.DocumentID, v.Kind, v.N, v.Label, v.Title, v.Text, v.Note, a.LedgerID(), v.CreatedAt.UnixMilli())
	return err
}
