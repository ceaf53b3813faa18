package drafting

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/cache"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/search"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/text/parse"
	"github.com/plenary-forum/plenary/internal/text/render"
)

// Draft texts are documents of type draft_text whose body is a sequence of
// provisions with stable ids (the text package's Draft). Revision 1 is the
// document's original (WTPF-13/5); revision n+1 is its Rev.n
// (WTPF-13/5(Rev.1)), issued by the editor from decisions on the proposals
// made against revision n (amend.go, revision.go). Each revision is kept
// whole, as JSON, with the log of the decisions that made it; provisions
// are indexed for search with the document's visibility.

// DraftText is a draft text and the list of its revisions.
type DraftText struct {
	ID      string `json:"id"` // the id of its document
	ForumID string `json:"forum_id"`
	// Number is the document's number (WTPF-13/5); Label that of the
	// current revision (WTPF-13/5(Rev.1)).
	Number     string         `json:"number"`
	Label      string         `json:"label"`
	Title      string         `json:"title"`
	Visibility string         `json:"visibility"`
	Status     string         `json:"status"`    // the document's: current or withdrawn
	IssuedOn   string         `json:"issued_on"` // the document's date, YYYY-MM-DD
	Revision   int            `json:"revision"`
	Revisions  []RevisionInfo `json:"revisions"`
	// Pending counts the proposals waiting for a decision on the current
	// revision.
	Pending   int       `json:"pending"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`

	series       string     // the slug of its document's series
	embargoUntil *time.Time // its document's embargo, if any
}

// Current returns the current revision's summary.
func (d DraftText) Current() RevisionInfo {
	for _, r := range d.Revisions {
		if r.Revision == d.Revision {
			return r
		}
	}
	return RevisionInfo{Revision: d.Revision, Label: d.Label}
}

// RevisionInfo summarises one revision of a draft text.
type RevisionInfo struct {
	Revision     int       `json:"revision"`
	Label        string    `json:"label"` // the document version: WTPF-13/5, WTPF-13/5(Rev.1)
	Title        string    `json:"title"`
	Provisions   int       `json:"provisions"`
	OpenBrackets int       `json:"open_brackets"`
	Note         string    `json:"note,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

// Draft text formats of DraftInput.
const (
	FormatMarkdown = "markdown"
	FormatPlain    = "plain"
)

// DraftInput is the input of CreateDraft: the text to import and the
// document that will carry it.
type DraftInput struct {
	// Title is the draft's title; "" takes the text's own title (its
	// first "# " heading in Markdown, its first line in plain text).
	Title string `json:"title"`
	// Format is markdown (the convention of parse.Markdown) or plain
	// (numbered paragraphs, parse.Plain); "" is markdown.
	Format string `json:"format"`
	Text   string `json:"text"`
	// LiteralBrackets reads square brackets as ordinary characters
	// instead of brackets with alternatives.
	LiteralBrackets bool `json:"literal_brackets,omitempty"`
	// The document's numbering and metadata, as for SubmitDocument.
	Series     string   `json:"series,omitempty"`
	Number     int64    `json:"number,omitempty"`
	Body       string   `json:"body,omitempty"`
	AgendaItem string   `json:"agenda_item,omitempty"`
	Languages  []string `json:"languages,omitempty"`
	Visibility string   `json:"visibility,omitempty"`
	IssuedOn   string   `json:"issued_on,omitempty"`
	// Note says where the text comes from, for revision 1.
	Note string `json:"note,omitempty"`
}

// maxProvisions bounds a draft text: more than a 100-page treaty.
const maxProvisions = 20000

// parse imports the text of a DraftInput.
func (in *DraftInput) parse() (*text.Draft, error) {
	src, err := forum.CheckText("text", in.Text, documents.MaxDocText)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(src) == "" {
		return nil, plenary.Invalid("text", "give the text of the draft")
	}
	opts := parse.Options{LiteralBrackets: in.LiteralBrackets}
	var d *text.Draft
	switch in.Format {
	case "", FormatMarkdown:
		d, err = parse.Markdown(src, opts)
	case FormatPlain:
		d, err = parse.Plain(src, opts)
	default:
		return nil, plenary.Invalid("format", "must be markdown or plain")
	}
	if err != nil {
		pe := plenary.AsError(err)
		if pe.Code == plenary.CodeInternal {
			return nil, err
		}
		return nil, plenary.Invalid("text", "%s", pe.Message)
	}
	switch {
	case len(d.Provisions) == 0:
		return nil, plenary.Invalid("text", "holds no provision: write one clause or paragraph per line or list item")
	case len(d.Provisions) > maxProvisions:
		return nil, plenary.Invalid("text", "has %d provisions; at most %d are allowed", len(d.Provisions), maxProvisions)
	}
	if t := strings.TrimSpace(in.Title); t != "" {
		d.Title = t
	}
	if in.Note, err = forum.CheckText("note", in.Note, 2000); err != nil {
		return nil, err
	}
	if d.Title, err = forum.CheckName("title", d.Title, documents.MaxDocTitle); err != nil {
		return nil, err
	}
	d.Revision = 1
	return d, nil
}

// CreateDraft imports a draft text and files it as a new document of type
// draft_text, revision 1, with its provisions indexed for search. It needs
// the right to edit the draft, or the secretariat.
func (s *Service) CreateDraft(ctx context.Context, sc *forum.Scope, in DraftInput) (DraftText, error) {
	a := sc.Actor
	if err := forum.RequireLogin(a); err != nil {
		return DraftText{}, err
	}
	f := sc.Forum
	d, err := in.parse()
	if err != nil {
		return DraftText{}, err
	}
	c, err := s.authorizeEditor(ctx, sc, true)
	if err != nil {
		return DraftText{}, err
	}
	if in.Number != 0 && c.Role != string(rules.RoleSecretariat) {
		return DraftText{}, plenary.Invalid("number", "only the secretariat chooses document numbers; leave it empty for the next number")
	}
	var id string
	err = s.kernel.Command(ctx, sc, "drafting.CreateDraft", func(tx *store.Tx, sc *forum.Scope) error {
		doc, err := s.documents.CreateDocumentTx(ctx, tx, a, f, documents.DocumentInput{Type: documents.DocDraftText, Series: in.Series, Number: in.Number,
			Title: d.Title, Text: string(render.Markdown(d)), Body: in.Body, AgendaItem: in.AgendaItem, Languages: in.Languages,
			Visibility: in.Visibility, IssuedOn: in.IssuedOn})
		if err != nil {
			return err
		}
		id = doc.ID
		now := forum.NowUTC().UnixMilli()
		if _, err := tx.ExecContext(ctx, `INSERT INTO drafts (id, forum_id, current_rev, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, doc.ID, f.ID, 1, a.LedgerID(), now, now); err != nil {
			return err
		}
		if err := insertRevision(ctx, tx, doc.ID, doc.Versions[0], d, nil, in.Note, a); err != nil {
			return err
		}
		if err := s.indexProvisions(ctx, tx, f, doc, d, nil); err != nil {
			return err
		}
		_, err = tx.Emit(ctx, f.ID, a.LedgerID(), "draft.created", doc.Visibility, map[string]any{
			"draft_id": doc.ID, "number": doc.Number, "title": d.Title, "revision": 1, "provisions": len(d.Provisions),
			"open_brackets": d.OpenBrackets(), "text_sha256": documents.TextHash(string(render.Markdown(d)))})
		return err
	})
	if err != nil {
		return DraftText{}, err
	}
	return s.loadDraft(ctx, s.store, f, id)
}

// authorizeEditor checks that a may edit draft texts in f: the right to
// edit the draft, or, when secretariatToo, the secretariat's standing.
func (s *Service) authorizeEditor(ctx context.Context, sc *forum.Scope, secretariatToo bool) (forum.Capacity, error) {
	c, err := sc.Authorize(ctx, rules.EditDraft, "")
	if err == nil || !secretariatToo || plenary.ErrorCode(err) == plenary.CodeInternal {
		return c, err
	}
	v, verr := sc.Viewer(ctx)
	if verr != nil {
		return forum.Capacity{}, verr
	}
	if v.Secretariat {
		return forum.Capacity{Group: rules.GroupSecretariat, Role: string(rules.RoleSecretariat)}, nil
	}
	return forum.Capacity{}, err
}

// AuthorizeRevision is the right to issue revisions of f's draft texts
// (the editor's), as IssueRevision checks it: the capacity, or the
// refusal naming the missing right.
func (s *Service) AuthorizeRevision(ctx context.Context, sc *forum.Scope) (forum.Capacity, error) {
	return s.authorizeEditor(ctx, sc, false)
}

// MayEditDraft reports whether a may issue revisions of draft texts in f,
// for pages that offer the editor's forms: what AuthorizeRevision allows.
func (s *Service) MayEditDraft(ctx context.Context, sc *forum.Scope) (bool, error) {
	_, err := s.AuthorizeRevision(ctx, sc)
	return forum.Allowed(err)
}

// MayCreateDraft reports whether a may file a new draft text in f: what
// CreateDraft allows (the editor or the secretariat).
func (s *Service) MayCreateDraft(ctx context.Context, sc *forum.Scope) (bool, error) {
	_, err := s.authorizeEditor(ctx, sc, true)
	return forum.Allowed(err)
}

// insertRevision stores one revision of a draft.
func insertRevision(ctx context.Context, tx *store.Tx, draftID string, v documents.Version, d *text.Draft, log []text.LogEntry, note string, a forum.Actor) error {
	body, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if log == nil {
		log = []text.LogEntry{}
	}
	lg, err := json.Marshal(log)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO draft_revisions (draft_id, revision, version_id, label, title, body, log, provisions,
		open_brackets, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		draftID, d.Revision, v.ID, v.Label, d.Title, string(body), string(lg), len(d.Provisions), d.OpenBrackets(), note,
		a.LedgerID(), v.CreatedAt.UnixMilli())
	return err
}

// provisionRef is the search entry id of a provision: unique in the site.
func provisionRef(draftID, provisionID string) string { return draftID + ":" + provisionID }

// DraftPath is the web page of a draft text.
func DraftPath(f forum.Forum, draftID string) string {
	return "/forums/" + f.Slug + "/drafts/" + draftID
}

// indexProvisions writes the search entries of every provision of d, and
// removes those of the provisions of old that d no longer has.
func (s *Service) indexProvisions(ctx context.Context, tx *store.Tx, f forum.Forum, doc documents.Document, d, old *text.Draft) error {
	if old != nil {
		for i := range old.Provisions {
			if d.Index(old.Provisions[i].ID) < 0 {
				if err := search.Remove(ctx, tx, search.KindProvision, provisionRef(doc.ID, old.Provisions[i].ID)); err != nil {
					return err
				}
			}
		}
	}
	parties := make([]string, len(doc.Parties))
	for i, p := range doc.Parties {
		parties[i] = p.ID
	}
	at := forum.NowUTC()
	for i := range d.Provisions {
		p := &d.Provisions[i]
		if old != nil {
			if op, ok := old.Provision(p.ID); ok && op.Text() == p.Text() && op.Label == p.Label && op.Intro == p.Intro {
				continue
			}
		}
		name := provisionName(p)
		err := search.Index(ctx, tx, search.Entry{Kind: search.KindProvision, RefID: provisionRef(doc.ID, p.ID), DocumentID: doc.ID,
			ForumID: f.ID, Visibility: doc.Visibility, Type: documents.DocDraftText, BodyID: doc.BodyID, Parties: parties, At: at,
			Number: strings.TrimSpace(doc.Number + " " + name), Title: d.Title, Text: p.Text(),
			Path: DraftPath(f, doc.ID) + "#" + text.ProvisionAnchor(p.ID)})
		if err != nil {
			return err
		}
	}
	return nil
}

// provisionName is how a provision is named in lists: its intro and label
// ("is of the view 1."), its label, or its text for a heading.
func provisionName(p *text.Provision) string {
	switch p.Kind {
	case text.KindHeading:
		return p.Text()
	case text.KindArticle:
		return p.Label
	}
	name := p.DisplayLabel()
	if p.Intro != "" {
		name = strings.TrimSpace(p.Intro + " " + name)
	}
	if name == "" {
		return "provision " + p.ID
	}
	return name
}

// ProvisionName is how a provision is named in lists and messages.
func ProvisionName(p *text.Provision) string { return provisionName(p) }

const draftColumns = `dr.id, dr.forum_id, d.number, d.title, d.visibility, d.status, d.issued_on, dr.current_rev, dr.created_at, dr.updated_at,
	s.slug, d.embargo_until`

const draftFrom = " FROM drafts dr JOIN documents d ON d.id = dr.id JOIN doc_series s ON s.id = d.series_id"

func scanDraft(sc interface{ Scan(...any) error }) (DraftText, error) {
	var dt DraftText
	var created, updated int64
	var embargo sql.NullInt64
	err := sc.Scan(&dt.ID, &dt.ForumID, &dt.Number, &dt.Title, &dt.Visibility, &dt.Status, &dt.IssuedOn, &dt.Revision, &created, &updated,
		&dt.series, &embargo)
	dt.CreatedAt, dt.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	if embargo.Valid {
		t := time.UnixMilli(embargo.Int64).UTC()
		dt.embargoUntil = &t
	}
	return dt, err
}

// loadDraft reads a draft text with its revisions and pending count. It
// does not check access.
func (s *Service) loadDraft(ctx context.Context, q store.Querier, f forum.Forum, id string) (DraftText, error) {
	dt, err := scanDraft(q.QueryRowContext(ctx, "SELECT "+draftColumns+draftFrom+" WHERE dr.id = ? AND dr.forum_id = ?", id, f.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return DraftText{}, plenary.NotFound("no such draft text in %s", forum.ShortName(f))
	}
	if err != nil {
		return DraftText{}, err
	}
	rows, err := q.QueryContext(ctx, `SELECT revision, label, title, provisions, open_brackets, note, created_at
		FROM draft_revisions WHERE draft_id = ? ORDER BY revision`, id)
	if err != nil {
		return DraftText{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var r RevisionInfo
		var at int64
		if err := rows.Scan(&r.Revision, &r.Label, &r.Title, &r.Provisions, &r.OpenBrackets, &r.Note, &at); err != nil {
			return DraftText{}, err
		}
		r.CreatedAt = time.UnixMilli(at).UTC()
		dt.Revisions = append(dt.Revisions, r)
	}
	if err := rows.Err(); err != nil {
		return DraftText{}, err
	}
	rows.Close()
	dt.Label = dt.Current().Label
	err = q.QueryRowContext(ctx, "SELECT COUNT(*) FROM amendments WHERE draft_id = ? AND revision = ? AND status = ?",
		id, dt.Revision, string(text.StatusSubmitted)).Scan(&dt.Pending)
	return dt, err
}

// DraftText returns a draft text, if a may read its document.
func (s *Service) DraftText(ctx context.Context, sc *forum.Scope, id string) (DraftText, error) {
	// Read once per request: a page's header and its body ask for it.
	return forum.Keep(sc, "draft|"+id, func() (DraftText, error) {
		f := sc.Forum
		dt, err := s.loadDraft(ctx, s.store, f, id)
		if err != nil {
			return DraftText{}, err
		}
		if err := s.checkRead(ctx, sc, dt); err != nil {
			return DraftText{}, err
		}
		if dt.Visibility != ledger.VisPublic && dt.embargoUntil != nil && !dt.embargoUntil.After(forum.NowUTC()) {
			return s.loadDraft(ctx, s.store, f, id) // released by the read check
		}
		return dt, nil
	})
}

// checkRead refuses a draft text to whoever may not read its document. A
// draft whose embargo has passed is released first, through its document.
func (s *Service) checkRead(ctx context.Context, sc *forum.Scope, dt DraftText) error {
	if dt.Visibility != ledger.VisPublic && dt.embargoUntil != nil && !dt.embargoUntil.After(forum.NowUTC()) {
		_, err := s.documents.Document(ctx, sc, dt.ID)
		return err
	}
	return s.documents.CheckReadable(ctx, sc, dt.Number, dt.Visibility)
}

// draftCommand starts a command on a draft text: the actor is logged in
// and may read the draft; it returns the forum and the draft.
func (s *Service) draftCommand(ctx context.Context, sc *forum.Scope, draftID string) (forum.Forum, DraftText, error) {
	a := sc.Actor
	if err := forum.RequireLogin(a); err != nil {
		return forum.Forum{}, DraftText{}, err
	}
	f := sc.Forum
	dt, err := s.DraftText(ctx, sc, draftID)
	return f, dt, err
}

// errStale refuses a command decided on a revision that is no longer the
// current one.
func errStale(dt DraftText, what string) error {
	return plenary.Conflict("revision %d of %s has been issued since; %s", dt.Revision, dt.Number, what)
}

// CheckRevision refuses n, a revision number given as input (a query
// parameter, a field of a form or of a command), unless it names a
// revision of the draft text: 1 to dt.Revision. A number out of range is
// bad input, refused naming its field (422); a revision named by a path
// segment that does not exist is not found instead (ExportRevision), as
// any other thing a path names.
func (dt DraftText) CheckRevision(field string, n int) error {
	if n < 1 || n > dt.Revision {
		return plenary.Invalid(field, "must be a revision of %s, from 1 to %d", dt.Number, dt.Revision)
	}
	return nil
}

// checkBase checks the revision a command was decided on: n, given in
// field, is 0 for the current one, or must name a revision of dt; an
// earlier one than the current is stale (409), what the editor or the
// proposer must do again.
func checkBase(dt DraftText, field string, n int, what string) error {
	if n == 0 {
		return nil
	}
	if err := dt.CheckRevision(field, n); err != nil {
		return err
	}
	if n != dt.Revision {
		return errStale(dt, what)
	}
	return nil
}

// HasDraft reports whether document id of forum f carries a draft text
// (with provisions), for pages that link to it. It does not check access.
func (s *Service) HasDraft(ctx context.Context, sc *forum.Scope, id string) (bool, error) {
	f := sc.Forum
	return s.isDraft(ctx, s.store, f, id)
}

func (s *Service) isDraft(ctx context.Context, q store.Querier, f forum.Forum, id string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM drafts WHERE id = ? AND forum_id = ?", id, f.ID).Scan(&n)
	return n > 0, err
}

// DraftTexts lists the draft texts of f that a may read, by number.
func (s *Service) DraftTexts(ctx context.Context, sc *forum.Scope) ([]DraftText, error) {
	f := sc.Forum
	v, denied, err := s.documents.ReadAccess(ctx, sc)
	if err != nil {
		return nil, err
	}
	q := "SELECT " + draftColumns + draftFrom + " WHERE dr.forum_id = ?"
	args := []any{f.ID}
	if !v.Secretariat {
		vis := []string{ledger.VisPublic}
		if denied == nil {
			vis = v.Visibilities()
		}
		q += " AND d.visibility IN (" + store.Placeholders(len(vis)) + ")"
		for _, x := range vis {
			args = append(args, x)
		}
	}
	rows, err := s.store.QueryContext(ctx, q+" ORDER BY d.series_id, d.seq", args...)
	if err != nil {
		return nil, err
	}
	var ids []string
	for rows.Next() {
		dt, err := scanDraft(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, dt.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]DraftText, 0, len(ids))
	for _, id := range ids {
		dt, err := s.loadDraft(ctx, s.store, f, id)
		if err != nil {
			return nil, err
		}
		out = append(out, dt)
	}
	return out, nil
}

// loadRevision reads revision n of a draft (0: the current one) and its log.
func (s *Service) loadRevision(ctx context.Context, q store.Querier, dt DraftText, n int) (*text.Draft, []text.LogEntry, error) {
	if n == 0 {
		n = dt.Revision
	}
	// An issued revision never changes, so a decoded copy is kept forever
	// (until the cache needs the room); each caller gets its own clone.
	// Only reads outside a transaction fill the cache, so an uncommitted
	// revision is never remembered; any reader may use what it holds.
	key := "revision|" + dt.ID + "|" + strconv.Itoa(n)
	c := s.kernel.Cache()
	if v, ok := c.Lookup(cache.Forever, key); ok {
		r := v.(decodedRevision)
		return r.draft.Clone(), append([]text.LogEntry(nil), r.log...), nil
	}
	var body, lg string
	err := q.QueryRowContext(ctx, "SELECT body, log FROM draft_revisions WHERE draft_id = ? AND revision = ?", dt.ID, n).Scan(&body, &lg)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, plenary.NotFound("%s has no revision %d", dt.Number, n)
	}
	if err != nil {
		return nil, nil, err
	}
	var d text.Draft
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		return nil, nil, err
	}
	var log []text.LogEntry
	if err := json.Unmarshal([]byte(lg), &log); err != nil {
		return nil, nil, err
	}
	if _, committed := q.(*store.Store); committed {
		// Decoded, a revision takes a few times its stored size.
		c.Put(cache.Forever, key, 0, decodedRevision{draft: d.Clone(), log: append([]text.LogEntry(nil), log...)}, 3*(len(body)+len(lg)))
	}
	return &d, log, nil
}

type decodedRevision struct {
	draft *text.Draft
	log   []text.LogEntry
}

// RevisionView is one revision of a draft text as a viewer may see it.
type RevisionView struct {
	Draft DraftText       `json:"draft_text"`
	Info  RevisionInfo    `json:"info"`
	Text  *text.Draft     `json:"text"`
	Log   []text.LogEntry `json:"log"`
	// Attributed is false when party names are hidden from this viewer
	// (the forum publishes anonymised compilations): the drafting log and
	// the supporters of brackets are then left out.
	Attributed bool `json:"attributed"`
}

// DraftRevision returns revision n (0: the current one) of a draft text,
// if a may read it, without party names when the forum anonymises them
// for a.
func (s *Service) DraftRevision(ctx context.Context, sc *forum.Scope, id string, n int) (RevisionView, error) {
	dt, err := s.DraftText(ctx, sc, id)
	if err != nil {
		return RevisionView{}, err
	}
	if n != 0 {
		if err := dt.CheckRevision("revision", n); err != nil {
			return RevisionView{}, err
		}
	}
	d, log, err := s.loadRevision(ctx, s.store, dt, n)
	if err != nil {
		return RevisionView{}, err
	}
	rv := RevisionView{Draft: dt, Text: d, Log: log}
	for _, r := range dt.Revisions {
		if r.Revision == d.Revision {
			rv.Info = r
		}
	}
	an, err := s.Anonymiser(ctx, sc)
	if err != nil {
		return RevisionView{}, err
	}
	rv.Attributed, rv.Text, rv.Log = an.Attributed(), an.Draft(d), an.Log(log)
	return rv, nil
}

// CompilationsAnonymised reports whether f publishes anonymised
// compilations: whether people other than the secretariat and the editors
// see proposals, brackets and drafting logs without party names.
func (s *Service) CompilationsAnonymised(ctx context.Context, sc *forum.Scope) (bool, error) {
	f := sc.Forum
	return compilationsAnonymised(ctx, s.store, f)
}

func compilationsAnonymised(ctx context.Context, q store.Querier, f forum.Forum) (bool, error) {
	var anon bool
	err := q.QueryRowContext(ctx, "SELECT anonymised_compilations FROM forums WHERE id = ?", f.ID).Scan(&anon)
	return anon, err
}

// SetCompilationsAnonymised chooses whether f publishes anonymised
// compilations. Only the secretariat may; the change is on the public
// record. The attributed data is kept either way.
func (s *Service) SetCompilationsAnonymised(ctx context.Context, sc *forum.Scope, anonymised bool) (forum.Forum, error) {
	a := sc.Actor
	f := sc.Forum
	var err error
	if err := sc.RequireSecretariat(ctx); err != nil {
		return forum.Forum{}, err
	}
	err = s.kernel.Command(ctx, sc, "drafting.SetCompilationsAnonymised", func(tx *store.Tx, sc *forum.Scope) error {
		was, err := compilationsAnonymised(ctx, tx, f)
		if err != nil {
			return err
		}
		if was == anonymised {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE forums SET anonymised_compilations = ?, updated_at = ? WHERE id = ?",
			anonymised, forum.NowUTC().UnixMilli(), f.ID); err != nil {
			return err
		}
		_, err = tx.Emit(ctx, f.ID, a.LedgerID(), "forum.compilations_setting_changed", ledger.VisPublic,
			map[string]any{"forum_id": f.ID, "anonymised": anonymised})
		return err
	})
	sc.Forget(anonymiserKey{})
	return f, err
}

// emitDrafting records a drafting event. pub is what the event's audience
// (the draft's visibility) may read; attr is who did it: parties, labels,
// contributions. When the forum publishes attributed compilations it is
// one event carrying both. When it anonymises them, the event carries pub
// alone, with the system as its actor, and the attribution goes into a
// drafting.attribution event that only the secretariat reads.
func emitDrafting(ctx context.Context, tx *store.Tx, f forum.Forum, a forum.Actor, typ, visibility string, pub, attr map[string]any) error {
	_, err := emitDraftingEvent(ctx, tx, f, a, typ, visibility, pub, attr)
	return err
}

// emitDraftingEvent is emitDrafting, returning the sequence number of the
// event of type typ (not that of its attribution).
func emitDraftingEvent(ctx context.Context, tx *store.Tx, f forum.Forum, a forum.Actor, typ, visibility string, pub, attr map[string]any) (int64, error) {
	anon, err := compilationsAnonymised(ctx, tx, f)
	if err != nil {
		return 0, err
	}
	if !anon {
		for k, v := range attr {
			pub[k] = v
		}
		ev, err := tx.Emit(ctx, f.ID, a.LedgerID(), typ, visibility, pub)
		return ev.Seq, err
	}
	ev, err := tx.Emit(ctx, f.ID, ledger.SystemActor, typ, visibility, pub)
	if err != nil || len(attr) == 0 {
		return ev.Seq, err
	}
	attr["event"], attr["event_seq"] = typ, ev.Seq
	_, err = tx.Emit(ctx, f.ID, a.LedgerID(), "drafting.attribution", ledger.VisSecretariat, attr)
	return ev.Seq, err
}

// DraftingRights is what an actor may do on the draft texts of a forum,
// for pages that offer the forms. Each right is the one the command
// checks, read by the same function.
type DraftingRights struct {
	// Propose: the actor may propose amendments, for ProposeFor (its
	// party; empty for an office without one). ProposeAny: it may propose
	// in some capacity, for its party or, the secretariat, recording a
	// party's proposal from its contribution (ProposeAmendment's two ways).
	Propose    bool
	ProposeFor documents.SourceParty
	ProposeAny bool
	// Cosponsor: the actor may co-sponsor proposals, for CosponsorFor.
	Cosponsor    bool
	CosponsorFor documents.SourceParty
	// Edit: the actor may issue revisions (the editor). Create: may file
	// a new draft text (the editor or the secretariat).
	Edit, Create bool
	// Secretariat: the forum's secretariat, which records parties'
	// proposals from their contributions and may withdraw any proposal.
	Secretariat bool
}

// DraftingRightsOf works out what a may do on f's draft texts. An error
// reading the rights is returned, never taken for a refusal.
func (s *Service) DraftingRightsOf(ctx context.Context, sc *forum.Scope) (DraftingRights, error) {
	a := sc.Actor
	var r DraftingRights
	if !a.LoggedIn() {
		return r, nil
	}
	v, err := sc.Viewer(ctx)
	if err != nil {
		return r, err
	}
	r.Secretariat = v.Secretariat
	c, err := s.proposeAs(ctx, sc, "")
	if r.Propose, err = forum.Allowed(err); err != nil {
		return r, err
	}
	r.ProposeFor = documents.SourceParty{ID: c.PartyID, Code: c.PartyCode, Name: c.PartyName}
	r.ProposeAny = r.Propose || r.Secretariat
	c, err = s.cosponsorAs(ctx, sc, "")
	if r.Cosponsor, err = forum.Allowed(err); err != nil {
		return r, err
	}
	r.CosponsorFor = documents.SourceParty{ID: c.PartyID, Code: c.PartyCode, Name: c.PartyName}
	if r.Edit, err = s.MayEditDraft(ctx, sc); err != nil {
		return r, err
	}
	if r.Create, err = s.MayCreateDraft(ctx, sc); err != nil {
		return r, err
	}
	return r, nil
}

// Reindex writes the search entries of the provisions of every draft
// text of forum f again, from its current revision, one draft a
// transaction, and says how many drafts. The index is derived from the
// rows: rebuilding it changes nothing on the record.
func (s *Service) Reindex(ctx context.Context, f forum.Forum) (int, error) {
	ids, err := store.Strings(ctx, s.store, "SELECT id FROM drafts WHERE forum_id = ? ORDER BY id", f.ID)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if _, err := s.store.Write(ctx, func(tx *store.Tx) error {
			dt, err := scanDraft(tx.QueryRowContext(ctx, "SELECT "+draftColumns+draftFrom+" WHERE dr.id = ? AND dr.forum_id = ?", id, f.ID))
			if err != nil {
				return err
			}
			d, _, err := s.loadRevision(ctx, tx, dt, 0)
			if err != nil {
				return err
			}
			doc, err := s.documents.LoadDocument(ctx, tx, f, dt.ID, false)
			if err != nil {
				return err
			}
			return s.indexProvisions(ctx, tx, f, doc, d, nil)
		}); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}
