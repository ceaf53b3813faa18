package forum

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// Documents are the numbered papers of a forum: the Secretary-General's
// report, contributions, proposals, draft texts, temporary documents,
// information and administrative documents, statements, minutes and final
// acts. Each has a number in one of the forum's series (WTPF-13/5, DT/55,
// WTPF-IEG/3/12) that is never given twice; revisions, addenda and
// corrigenda keep it (WTPF-13/16(Rev.1), WTPF-13/5(Add.2)). Each has a
// visibility: public, members of the forum, or one delegation, with an
// optional embargo date after which a restricted document becomes public
// by itself, as an event on the record.

// Document types.
const (
	DocReport         = "report"
	DocContribution   = "contribution"
	DocProposal       = "proposal"
	DocDraftText      = "draft_text"
	DocTemporary      = "temporary"
	DocInformation    = "information"
	DocAdministrative = "administrative"
	DocStatement      = "statement"
	DocMinutes        = "minutes"
	DocFinalActs      = "final_acts"
)

// DocumentTypes lists the document types with their labels.
var DocumentTypes = []Choice{
	{DocReport, "Report"},
	{DocContribution, "Contribution"},
	{DocProposal, "Proposal"},
	{DocDraftText, "Draft text"},
	{DocTemporary, "Temporary document"},
	{DocInformation, "Information document"},
	{DocAdministrative, "Administrative document"},
	{DocStatement, "Statement"},
	{DocMinutes, "Minutes"},
	{DocFinalActs, "Final acts"},
}

// documentAction is the right a participant needs to submit a document of
// type t: contributions, proposals and statements are a party's own;
// draft texts and temporary documents are the editor's and the chair's;
// the rest only the secretariat issues ("").
func documentAction(t string) rules.Action {
	switch t {
	case DocContribution, DocProposal, DocStatement:
		return rules.Contribute
	case DocDraftText, DocTemporary:
		return rules.EditDraft
	}
	return ""
}

// Version kinds: the original, and the revisions (Rev.n, which replace
// the text), addenda (Add.n, which add to it) and corrigenda (Corr.n,
// which correct it) that keep the document's number.
const (
	VersionOriginal = "original"
	VersionRev      = "rev"
	VersionAdd      = "add"
	VersionCorr     = "corr"
)

// VersionKinds lists the kinds of later versions with their labels.
var VersionKinds = []Choice{
	{VersionRev, "Revision (Rev.)"},
	{VersionAdd, "Addendum (Add.)"},
	{VersionCorr, "Corrigendum (Corr.)"},
}

// Document statuses.
const (
	DocCurrent   = "current"
	DocWithdrawn = "withdrawn"
)

// Visibility kinds of a document, as chosen in forms.
const (
	VisibilityDelegation = "delegation"
)

// SourceParty is a party a document comes from, with its name and code as
// the document gives them.
type SourceParty struct {
	ID   string `json:"id"`
	Code string `json:"code,omitempty"`
	Name string `json:"name"`
}

// Document is one numbered document.
type Document struct {
	ID      string `json:"id"`
	ForumID string `json:"forum_id"`
	Series  string `json:"series"` // the series' slug: "main" for the forum's own numbers
	Seq     int64  `json:"seq"`    // the number within the series
	// Number is the document's number (WTPF-13/5); Current is the label
	// of its latest original or revision (WTPF-13/5(Rev.2)).
	Number  string `json:"number"`
	Current string `json:"current"`
	Type    string `json:"type"`
	Title   string `json:"title"`
	// Text is the text of the latest original or revision; lists leave it
	// out.
	Text         string        `json:"text,omitempty"`
	BodyID       string        `json:"body_id,omitempty"`
	AgendaItem   string        `json:"agenda_item,omitempty"`
	Languages    []string      `json:"languages"`
	Parties      []SourceParty `json:"parties"`
	Visibility   string        `json:"visibility"` // public, members or party:<id>
	EmbargoUntil *time.Time    `json:"embargo_until,omitempty"`
	ReleasedAt   *time.Time    `json:"released_at,omitempty"`
	Status       string        `json:"status"`
	StatusNote   string        `json:"status_note,omitempty"`
	IssuedOn     string        `json:"issued_on"` // YYYY-MM-DD
	SubmittedBy  string        `json:"submitted_by"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
	// Versions, with their files, oldest first; only a single document
	// read has them.
	Versions []Version `json:"versions,omitempty"`
}

// TypeLabel is the type for people.
func (d Document) TypeLabel() string { return Label(DocumentTypes, d.Type) }

// Public reports whether anyone may read the document.
func (d Document) Public() bool { return d.Visibility == ledger.VisPublic }

// VisibilityLabel says in words who may read the document.
func (d Document) VisibilityLabel() string {
	switch d.Visibility {
	case ledger.VisPublic:
		return "Public"
	case ledger.VisMembers:
		return "Members only"
	}
	if p, ok := ledger.PartyOf(d.Visibility); ok {
		for _, sp := range d.Parties {
			if sp.ID == p {
				return "Delegation of " + sp.Name + " only"
			}
		}
		return "One delegation only"
	}
	return d.Visibility
}

// PartyNames lists the source parties' names.
func (d Document) PartyNames() string {
	names := make([]string, len(d.Parties))
	for i, p := range d.Parties {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

// HasParty reports whether the document comes from party id.
func (d Document) HasParty(id string) bool {
	for _, p := range d.Parties {
		if p.ID == id {
			return true
		}
	}
	return false
}

// Version is the original of a document or one of its revisions,
// addenda or corrigenda.
type Version struct {
	ID         string    `json:"id"`
	DocumentID string    `json:"document_id"`
	Kind       string    `json:"kind"` // original, rev, add, corr
	N          int       `json:"n"`    // 0 for the original
	Label      string    `json:"label"`
	Title      string    `json:"title"`
	Text       string    `json:"text"`
	Note       string    `json:"note,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	Files      []File    `json:"files"`
}

// KindLabel is the kind for people.
func (v Version) KindLabel() string {
	if v.Kind == VersionOriginal {
		return "Original"
	}
	return Label(VersionKinds, v.Kind)
}

// versionLabel is the label of version kind/n of a document numbered
// number: WTPF-13/16, WTPF-13/16(Rev.1), WTPF-13/5(Add.2), ...(Corr.1).
func versionLabel(number, kind string, n int) string {
	switch kind {
	case VersionRev:
		return fmt.Sprintf("%s(Rev.%d)", number, n)
	case VersionAdd:
		return fmt.Sprintf("%s(Add.%d)", number, n)
	case VersionCorr:
		return fmt.Sprintf("%s(Corr.%d)", number, n)
	}
	return number
}

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
	maxDocTitle  = 300
	maxDocText   = 1 << 20
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

// checkText validates a free text field: valid UTF-8, no NUL, at most max
// bytes. Line breaks are normalised to \n.
func checkText(field, s string, max int) (string, error) {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	switch {
	case !utf8.ValidString(s):
		return "", plenary.Invalid(field, "is not valid text")
	case strings.ContainsRune(s, 0):
		return "", plenary.Invalid(field, "must not contain NUL characters")
	case len(s) > max:
		return "", plenary.Invalid(field, "must be at most %d bytes", max)
	}
	return strings.TrimRight(s, " \n\t"), nil
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
func (s *Service) prepareDocument(ctx context.Context, q store.Querier, f Forum, in DocumentInput) (docPlan, error) {
	p := docPlan{in: in}
	var errs plenary.Errors
	add := func(err error) {
		if err != nil {
			errs = append(errs, plenary.AsError(err))
		}
	}
	in.Type = strings.TrimSpace(in.Type)
	if !valid(DocumentTypes, in.Type) {
		add(plenary.Invalid("type", "must be one of report, contribution, proposal, draft_text, temporary, information, administrative, statement, minutes, final_acts"))
	}
	var err error
	in.Title, err = CheckName("title", in.Title, maxDocTitle)
	add(err)
	in.Text, err = checkText("text", in.Text, maxDocText)
	add(err)
	in.AgendaItem = strings.TrimSpace(in.AgendaItem)
	if in.AgendaItem != "" {
		in.AgendaItem, err = CheckName("agenda_item", in.AgendaItem, maxAgenda)
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
		if !langRE.MatchString(l) {
			add(plenary.Invalid("languages", "%q is not a language code such as en, fr or ar", l))
			break
		}
		langs = append(langs, l)
	}
	if len(langs) == 0 && len(f.Languages) > 0 {
		langs = []string{f.Languages[0]}
	}
	in.Languages = langs
	p.issued = strings.TrimSpace(in.IssuedOn)
	if p.issued == "" {
		p.issued = nowUTC().Format("2006-01-02")
	}
	add(checkDate("issued_on", p.issued))
	p.embargo, err = parseWhen("embargo_until", in.EmbargoUntil)
	add(err)

	switch in.Series = strings.TrimSpace(in.Series); in.Series {
	case "", seriesMain:
		in.Series = seriesMain
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
func (s *Service) resolveVisibility(ctx context.Context, q store.Querier, f Forum, v string, parties []SourceParty) (string, error) {
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
func lookupParty(ctx context.Context, q store.Querier, f Forum, ref string) (SourceParty, error) {
	var sp SourceParty
	err := q.QueryRowContext(ctx, "SELECT id, code, name FROM parties WHERE forum_id = ? AND (id = ? OR code = ?)",
		f.ID, ref, strings.ToUpper(ref)).Scan(&sp.ID, &sp.Code, &sp.Name)
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
func (s *Service) SubmitDocument(ctx context.Context, a Actor, forumSlug string, in DocumentInput) (Document, error) {
	if err := requireLogin(a); err != nil {
		return Document{}, err
	}
	f, err := s.ForumBySlug(ctx, forumSlug)
	if err != nil {
		return Document{}, err
	}
	p, err := s.prepareDocument(ctx, s.store, f, in)
	if err != nil {
		return Document{}, err
	}
	if err := s.authorizeSubmit(ctx, a, f, &p); err != nil {
		return Document{}, err
	}
	ups, err := s.acceptFiles(ctx, in.Files)
	if err != nil {
		return Document{}, err
	}
	defer closeAll(ups)
	var d Document
	err = s.write(ctx, func(tx *store.Tx) error {
		d, err = s.insertDocument(ctx, tx, a, f, p, ups)
		return err
	})
	if err != nil {
		return Document{}, err
	}
	return s.loadDocument(ctx, s.store, f, d.ID, true)
}

// authorizeSubmit checks that a may submit the planned document: the
// secretariat may file anything; others need the type's right for each
// source party (or for the party they act for, which becomes the source),
// may not choose numbers, and may only restrict a document to a
// delegation they belong to.
func (s *Service) authorizeSubmit(ctx context.Context, a Actor, f Forum, p *docPlan) error {
	v, err := s.ViewerFor(ctx, a, f)
	if err != nil {
		return err
	}
	if v.Secretariat {
		return nil
	}
	action := documentAction(p.in.Type)
	if action == "" {
		return plenary.Forbidden("only the secretariat of %s issues documents of the type %s", shortName(f), strings.ToLower(Label(DocumentTypes, p.in.Type)))
	}
	if p.in.Number != 0 {
		return plenary.Invalid("number", "only the secretariat chooses document numbers; leave it empty for the next number")
	}
	if len(p.parties) == 0 {
		c, err := s.Authorize(ctx, a, f, action, "")
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
		if _, err := s.Authorize(ctx, a, f, action, sp.ID); err != nil {
			return err
		}
	}
	if !v.CanSee(p.vis) {
		return plenary.Invalid("visibility", "you may only restrict a document to a delegation you belong to")
	}
	return nil
}

// CreateDocumentTx validates in and files it as a new document inside the
// caller's transaction, with its number, search entry and
// document.submitted event. It does not authorize: commands of this
// package that create documents of their own (a draft text with its
// provisions) call Authorize first and then this, so that the document and
// what they add to it commit together. Files in in are not allowed here.
func (s *Service) CreateDocumentTx(ctx context.Context, tx *store.Tx, a Actor, f Forum, in DocumentInput) (Document, error) {
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
	return s.loadDocument(ctx, tx, f, d.ID, true)
}

// allocateNumber takes the next number of a series (or checks the one
// asked for), with the series' counter row locked until the transaction
// ends; the UNIQUE constraints on documents are the last guard.
func allocateNumber(ctx context.Context, tx *store.Tx, f Forum, seriesID string, want int64) (Series, int64, error) {
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
func (s *Service) insertDocument(ctx context.Context, tx *store.Tx, a Actor, f Forum, p docPlan, ups []*upload) (Document, error) {
	if p.vis == VisibilityDelegation {
		return Document{}, errNoDelegation
	}
	ser, seq, err := allocateNumber(ctx, tx, f, p.seriesID, p.in.Number)
	if err != nil {
		return Document{}, err
	}
	now := nowUTC()
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
		d.ID, d.ForumID, ser.ID, d.Seq, d.Number, d.Type, d.Title, d.Text, nullStr(d.BodyID), d.AgendaItem,
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
		IssuedOn: d.IssuedOn, TextSHA256: textHash(d.Text), Files: fileRefs(fs)})
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

func textHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func nullStr(s string) any {
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

func insertVersion(ctx context.Context, tx *store.Tx, v Version, a Actor) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO document_versions (id, document_id, kind, n, label, title, body, note, submitted_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, v.ID, v.DocumentID, v.Kind, v.N, v.Label, v.Title, v.Text, v.Note, a.LedgerID(), v.CreatedAt.UnixMilli())
	return err
}

// VersionInput is the input of AddVersion.
type VersionInput struct {
	Kind  string `json:"kind"`  // rev, add or corr
	Title string `json:"title"` // "" keeps the document's title
	Text  string `json:"text"`
	Note  string `json:"note"` // what the version changes
	// Files are uploaded with the version (the HTML form).
	Files []FileInput `json:"-"`
}

// AddVersion issues a revision (Rev.n: its text replaces the document's),
// an addendum (Add.n) or a corrigendum (Corr.n) of a document; the number
// stays, n is the next of its kind. Who may is who may submit such a
// document for its source party, or the secretariat.
func (s *Service) AddVersion(ctx context.Context, a Actor, forumSlug, docID string, in VersionInput) (Version, error) {
	f, d, err := s.documentForChange(ctx, a, forumSlug, docID)
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
	err = s.write(ctx, func(tx *store.Tx) error {
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
	if in.Title, err = CheckName("title", in.Title, maxDocTitle); err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	if in.Text, err = checkText("text", in.Text, maxDocText); err != nil {
		errs = append(errs, plenary.AsError(err))
	} else if in.Text == "" && len(in.Files) == 0 {
		errs = append(errs, plenary.Invalid("text", "give the text of the version, or attach a file"))
	}
	if in.Note, err = checkText("note", in.Note, 2000); err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	return errs.Err()
}

// AddVersionTx adds a version inside the caller's transaction (the
// drafting commands issue a draft text's revision with its provisions
// this way), after the caller has authorized it. Files in in are not
// allowed here.
func (s *Service) AddVersionTx(ctx context.Context, tx *store.Tx, a Actor, f Forum, docID string, in VersionInput) (Version, error) {
	if len(in.Files) > 0 {
		return Version{}, errors.New("forum: AddVersionTx does not take files; use AttachFile after it")
	}
	return s.addVersion(ctx, tx, a, f, docID, in, nil)
}

// addVersion adds a version with files already checked and stored.
func (s *Service) addVersion(ctx context.Context, tx *store.Tx, a Actor, f Forum, docID string, in VersionInput, ups []*upload) (Version, error) {
	d, err := s.loadDocument(ctx, tx, f, docID, false)
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
	if _, err := tx.ExecContext(ctx, "UPDATE documents SET updated_at = ? WHERE id = ?", nowUTC().UnixMilli(), d.ID); err != nil {
		return Version{}, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(n), 0) FROM document_versions WHERE document_id = ? AND kind = ?", d.ID, in.Kind).Scan(&n); err != nil {
		return Version{}, err
	}
	now := nowUTC()
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
		"note": v.Note, "text_sha256": textHash(v.Text), "files": fileRefs(fs)})
	return v, err
}

// WithdrawDocument marks a document withdrawn by its source (or the
// secretariat). It keeps its number and stays readable, marked as withdrawn.
func (s *Service) WithdrawDocument(ctx context.Context, a Actor, forumSlug, docID, reason string) (Document, error) {
	f, d, err := s.documentForChange(ctx, a, forumSlug, docID)
	if err != nil {
		return Document{}, err
	}
	if d.Status == DocWithdrawn {
		return Document{}, plenary.Conflict("%s has already been withdrawn", d.Number)
	}
	reason, err = checkText("reason", reason, 2000)
	if err != nil {
		return Document{}, err
	}
	err = s.write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE documents SET status = ?, status_note = ?, updated_at = ? WHERE id = ? AND status = ?",
			DocWithdrawn, reason, nowUTC().UnixMilli(), d.ID, DocCurrent); err != nil {
			return err
		}
		_, err := tx.Emit(ctx, f.ID, a.LedgerID(), "document.withdrawn", d.Visibility, map[string]any{
			"document_id": d.ID, "number": d.Number, "title": d.Title, "reason": reason})
		return err
	})
	if err != nil {
		return Document{}, err
	}
	return s.loadDocument(ctx, s.store, f, d.ID, true)
}

// documentForChange loads a document for a command that changes it and
// checks that a may: the secretariat always; otherwise whoever may submit
// such a document for its first source party (for a document without
// one, only the person who submitted it).
func (s *Service) documentForChange(ctx context.Context, a Actor, forumSlug, docID string) (Forum, Document, error) {
	if err := requireLogin(a); err != nil {
		return Forum{}, Document{}, err
	}
	f, err := s.ForumBySlug(ctx, forumSlug)
	if err != nil {
		return Forum{}, Document{}, err
	}
	d, err := s.Document(ctx, a, f, docID)
	if err != nil {
		return Forum{}, Document{}, err
	}
	if err := s.checkChange(ctx, a, f, d); err != nil {
		return Forum{}, Document{}, err
	}
	return f, d, nil
}

// MayChangeDocument reports whether a may add versions and files to d or
// withdraw it, for pages that offer those forms.
func (s *Service) MayChangeDocument(ctx context.Context, a Actor, f Forum, d Document) bool {
	return a.LoggedIn() && s.checkChange(ctx, a, f, d) == nil
}

func (s *Service) checkChange(ctx context.Context, a Actor, f Forum, d Document) error {
	v, err := s.ViewerFor(ctx, a, f)
	if err != nil {
		return err
	}
	if v.Secretariat {
		return nil
	}
	action := documentAction(d.Type)
	if action == "" {
		return plenary.Forbidden("only the secretariat of %s changes documents of the type %s", shortName(f), strings.ToLower(d.TypeLabel()))
	}
	party := ""
	if len(d.Parties) > 0 {
		party = d.Parties[0].ID
	} else if d.SubmittedBy != a.UserID {
		return plenary.Forbidden("only the secretariat and the person who submitted %s may change it", d.Number)
	}
	_, err = s.Authorize(ctx, a, f, action, party)
	return err
}

// DocumentPath is the web page of a document.
func DocumentPath(f Forum, docID string) string {
	return "/forums/" + f.Slug + "/documents/" + docID
}

// issuedAt is the time a document's date stands for: midnight UTC.
func issuedAt(day string, fallback time.Time) time.Time {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return fallback
	}
	return t
}
