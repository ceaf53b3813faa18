package drafting

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/text"
)

// Proposals (amendments) are made against the current revision of a draft
// text, for a party: the party the proposer's registration speaks for (its
// code names the proposal, USA/6/1), or, when the secretariat records a
// proposal from a party's contribution as the WCIT DT/1 compilation did,
// that party, provided the forum's rules let its delegates propose. Other
// parties join as co-sponsors while the proposal is pending; the proposer
// may withdraw it; the editor decides it in the next revision.

// Amendment is a proposal with what the forum knows about it.
type Amendment struct {
	text.Amendment
	DraftID string `json:"draft_id"`
	// MadeIn is the revision it was made against; Revision (of the
	// embedded text.Amendment) is the one it now stands against.
	MadeIn    int    `json:"made_in"`
	PartyID   string `json:"party_id,omitempty"`
	PartyName string `json:"party_name,omitempty"`
	// ContributionNumber is the number of the source contribution.
	ContributionNumber string `json:"contribution_number,omitempty"`
	// DecidedIn is the revision that decided it (0 while pending, or
	// when it was withdrawn).
	DecidedIn int `json:"decided_in,omitempty"`
	// Note says why it was withdrawn or superseded, or the reason the editor
	// gave for deciding it.
	Note string `json:"note,omitempty"`
	// EnteredAs is the capacity it was filed in: delegate, chair,
	// secretariat...
	EnteredAs string    `json:"entered_as"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Anonymous is set when party names are hidden from the viewer.
	Anonymous bool `json:"anonymous,omitempty"`
}

// StatusLabel is the state for people.
func (am Amendment) StatusLabel() string { return am.Status.Label() }

// ProposalInput is the input of ProposeAmendment.
type ProposalInput struct {
	// Op is ADD, MOD, SUP or NOC.
	Op string `json:"op"`
	// Provision is the id of the provision a MOD, SUP or NOC is about.
	Provision string `json:"provision,omitempty"`
	// After is the id of the provision an ADD follows; "" for the start.
	After string `json:"after,omitempty"`
	// Text is, for MOD, the provision's whole new text as the proposer
	// wants it to read (the word changes are computed from it); for ADD,
	// the new provision's text.
	Text string `json:"text,omitempty"`
	// Kind, Intro and NewLabel describe an ADD's provision; by default
	// those of its neighbour and an automatic number.
	Kind     string `json:"kind,omitempty"`
	Intro    string `json:"intro,omitempty"`
	NewLabel string `json:"new_label,omitempty"`
	// Party is the proposing party (id or code); "" is the party the
	// proposer is registered for.
	Party string `json:"party,omitempty"`
	// CoSponsors are parties (ids or codes) that join at once; each must
	// be one the proposer may co-sponsor for.
	CoSponsors []string `json:"co_sponsors,omitempty"`
	Rationale  string   `json:"rationale,omitempty"`
	// Contribution is the party's contribution the proposal comes from
	// (id or number), if any; its number goes into the label.
	Contribution string `json:"contribution,omitempty"`
	// Revision is the revision the proposal was written against; 0 means
	// the current one. A proposal written against an older revision is
	// refused, so that nobody amends a text that has changed.
	Revision int `json:"revision,omitempty"`
}

// Limits of a proposal's fields; its text is one provision's, at most
// text.MaxProvisionText.
const (
	maxRationale     = 4000
	maxCoSponsorsNew = 50
)

// checkProvisionText applies the rules of text and the limit of one
// provision to s, the whole text of a provision as someone wrote it.
func checkProvisionText(field, s string) (string, error) {
	s, err := forum.CheckText(field, s, documents.MaxDocText)
	if err == nil {
		err = text.CheckProvisionText(field, s)
	}
	return s, err
}

func (in *ProposalInput) validate() error {
	var errs plenary.Errors
	add := func(err error) {
		if err != nil {
			errs = append(errs, plenary.AsError(err))
		}
	}
	in.Op = strings.ToUpper(strings.TrimSpace(in.Op))
	if !text.AmendOp(in.Op).Valid() {
		add(plenary.Invalid("op", "must be ADD, MOD, SUP or NOC"))
	}
	var err error
	in.Text, err = checkProvisionText("text", in.Text)
	add(err)
	in.Rationale, err = forum.CheckText("rationale", in.Rationale, maxRationale)
	add(err)
	in.Provision, in.After = strings.TrimSpace(in.Provision), strings.TrimSpace(in.After)
	switch text.AmendOp(in.Op) {
	case text.OpMOD, text.OpSUP, text.OpNOC:
		if in.Provision == "" {
			add(plenary.Invalid("provision", "name the provision the %s is about", in.Op))
		}
	}
	if in.Kind != "" && !text.Kind(in.Kind).Valid() {
		add(plenary.Invalid("kind", "must be heading, preamble, operative, article or paragraph"))
	}
	in.Intro, err = forum.CheckLine("intro", in.Intro, 200)
	add(err)
	in.NewLabel, err = forum.CheckLine("new_label", in.NewLabel, 40)
	add(err)
	if len(in.CoSponsors) > maxCoSponsorsNew {
		add(plenary.Invalid("co_sponsors", "at most %d at once", maxCoSponsorsNew))
	}
	if in.Revision < 0 {
		add(plenary.Invalid("revision", "must be a revision number"))
	}
	return errs.Err()
}

// proposer is the party a proposal is made for, and in what capacity.
type proposer struct {
	partyID, code, name, as string
}

// authorizeProposal decides for which party a may propose in f: through
// Authorize (the party's code comes from the capacity), or, for the
// secretariat recording a party's contribution, that party if the rules
// let its delegates propose amendments.
func (s *Service) authorizeProposal(ctx context.Context, sc *forum.Scope, party string, contrib *documents.Document) (proposer, error) {
	f := sc.Forum
	c, err := s.proposeAs(ctx, sc, party)
	if err == nil {
		p := proposer{partyID: c.PartyID, code: c.PartyCode, name: c.PartyName, as: c.Role}
		if p.code == "" {
			// An office without a party (a chair tabling a compromise).
			p.code = strings.ToUpper(c.Role[:1]) + c.Role[1:]
			p.name = p.code
		}
		return p, nil
	}
	if plenary.ErrorCode(err) == plenary.CodeInternal || party == "" {
		return proposer{}, err
	}
	v, verr := sc.Viewer(ctx)
	if verr != nil {
		return proposer{}, verr
	}
	if !v.Secretariat {
		return proposer{}, err
	}
	pt, perr := s.participation.Party(ctx, s.store, f, party)
	if perr != nil {
		return proposer{}, plenary.Invalid("party", "no party %q in this forum", party)
	}
	if !pt.Active() {
		return proposer{}, plenary.Invalid("party", "%s is %s: it no longer proposes", pt.Code, strings.ToLower(pt.StatusLabel()))
	}
	if contrib == nil {
		return proposer{}, plenary.Invalid("contribution", "the secretariat records a party's proposal from its contribution: name the contribution")
	}
	st, serr := sc.Settings(ctx)
	if serr != nil {
		return proposer{}, serr
	}
	groups, gerr := sc.Groups(ctx)
	if gerr != nil {
		return proposer{}, gerr
	}
	sub := rules.Subject{Forum: forum.ShortName(f), Group: groups.Lookup(pt.Group), Role: rules.RoleDelegate, Mode: rules.InRoom}
	if err := st.Matrix.Check(sub, rules.ProposeAmendment); err != nil {
		return proposer{}, err
	}
	return proposer{partyID: pt.ID, code: pt.Code, name: pt.Name, as: string(rules.RoleSecretariat)}, nil
}

// proposeAs is the right to propose amendments for a party (its id or
// code; "" the party the actor's registration speaks for) through the
// actor's own registration: the capacity, or the refusal naming the
// missing right.
func (s *Service) proposeAs(ctx context.Context, sc *forum.Scope, party string) (forum.Capacity, error) {
	return sc.Authorize(ctx, rules.ProposeAmendment, party)
}

// contributionFor finds the source contribution of a proposal: a
// contribution or proposal document of f that a may read.
func (s *Service) contributionFor(ctx context.Context, sc *forum.Scope, ref string) (*documents.Document, error) {
	f := sc.Forum
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, nil
	}
	var id string
	err := s.store.QueryRowContext(ctx, "SELECT id FROM documents WHERE forum_id = ? AND (id = ? OR number = ?)", f.ID, ref, ref).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, plenary.Invalid("contribution", "no document %q in this forum", ref)
	}
	if err != nil {
		return nil, err
	}
	d, err := s.documents.Document(ctx, sc, id)
	if err != nil {
		if c := plenary.ErrorCode(err); c == plenary.CodeForbidden || c == plenary.CodeUnauthorized || c == plenary.CodeNotFound {
			return nil, plenary.Invalid("contribution", "you may not read %s", ref)
		}
		return nil, err
	}
	if d.Type != documents.DocContribution && d.Type != documents.DocProposal {
		return nil, plenary.Invalid("contribution", "%s is a %s, not a contribution or proposal", d.Number, strings.ToLower(d.TypeLabel()))
	}
	return &d, nil
}

// labelDoc is N in a proposal's label PARTY/N/S, the one rule for every
// proposal (see the package comment): the number of the document that
// carries the proposal within that document's own numbering.
//
//   - A document of the forum's main series gives its number in the series:
//     6 for the contribution WTPF-13/6, and 1 for a proposal made in the
//     room on the draft WCIT-12/1 itself.
//   - A document of another series gives the series' designation, its
//     slashes dropped, a dash and its number: DT-1 for DT/1, IEG3-12 for
//     WTPF-IEG/3/12. A designation that begins with the first word of the
//     forum's own prefix (WTPF in WTPF-13) loses that word and its dash,
//     which every document of the forum shares.
//
// Revision marks are not part of the number: a proposal in WTPF-13/6(Rev.1)
// is numbered after 6, as the proposals of the original were.
func labelDoc(d documents.Document, forumPrefix string) string {
	number := d.Number
	if i := strings.IndexAny(number, "( "); i > 0 {
		number = number[:i]
	}
	i := strings.LastIndexByte(number, '/')
	if i < 0 {
		return number
	}
	n := number[i+1:]
	if d.Series == documents.SeriesMain {
		return n
	}
	designation := number[:i]
	if w, _, ok := strings.Cut(forumPrefix, "-"); ok && w != "" {
		if rest, ok := strings.CutPrefix(designation, w+"-"); ok && rest != "" {
			designation = rest
		}
	}
	designation = strings.ReplaceAll(designation, "/", "")
	return designation + "-" + n
}

// lockDraft locks a draft's row for a command that changes it and returns
// it, checking that its document is current.
func (s *Service) lockDraft(ctx context.Context, tx *store.Tx, f forum.Forum, id string) (DraftText, error) {
	if _, err := tx.ExecContext(ctx, "UPDATE drafts SET updated_at = ? WHERE id = ? AND forum_id = ?", forum.NowUTC().UnixMilli(), id, f.ID); err != nil {
		return DraftText{}, err
	}
	// The row alone: a command needs the current revision, not the list of
	// revisions or the count of pending proposals.
	dt, err := scanDraft(tx.QueryRowContext(ctx, "SELECT "+draftColumns+draftFrom+" WHERE dr.id = ? AND dr.forum_id = ?", id, f.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return DraftText{}, plenary.NotFound("no such draft text in %s", forum.ShortName(f))
	}
	if err != nil {
		return DraftText{}, err
	}
	if dt.Status == documents.DocWithdrawn {
		return DraftText{}, plenary.Conflict("%s has been withdrawn", dt.Number)
	}
	return dt, nil
}

// checkReadInCommand refuses a command on a draft text whose document the
// actor may not read, as the transaction sees it. An embargo that has
// passed counts as released, as it will be at the next sweep.
func (s *Service) checkReadInCommand(ctx context.Context, sc *forum.Scope, dt DraftText) error {
	vis := dt.Visibility
	if dt.embargoUntil != nil && !dt.embargoUntil.After(forum.NowUTC()) {
		vis = ledger.VisPublic
	}
	return s.documents.CheckReadable(ctx, sc, dt.Number, vis)
}

// ProposeAmendment files a proposal against the current revision of a
// draft text. The proposer needs the right to propose amendments for the
// party (and to co-sponsor, for co-sponsors named at once); a MOD gives
// the provision's whole new text and its word changes are computed. The
// proposal gets an ITU-style label: the party's code, the number of its
// contribution (or of the draft text, for a proposal made in the room),
// and its sequence: USA/6/1.
func (s *Service) ProposeAmendment(ctx context.Context, sc *forum.Scope, draftID string, in ProposalInput) (Amendment, error) {
	a, f := sc.Actor, sc.Forum
	if err := forum.RequireLogin(a); err != nil {
		return Amendment{}, err
	}
	if err := in.validate(); err != nil {
		return Amendment{}, err
	}
	contrib, err := s.contributionFor(ctx, sc, in.Contribution)
	if err != nil {
		return Amendment{}, err
	}
	pr, err := s.authorizeProposal(ctx, sc, in.Party, contrib)
	if err != nil {
		return Amendment{}, err
	}
	if contrib != nil && !contrib.HasParty(pr.partyID) {
		return Amendment{}, plenary.Invalid("contribution", "%s is not a contribution of %s", contrib.Number, pr.name)
	}
	if err := sc.CheckDeadline(ctx, forum.DeadlineProposals); err != nil {
		return Amendment{}, err
	}
	var co []proposer
	seenCo := map[string]bool{}
	for _, ref := range in.CoSponsors {
		if strings.TrimSpace(ref) == "" {
			continue
		}
		c, err := sc.Authorize(ctx, rules.Cosponsor, ref)
		if err != nil {
			if plenary.ErrorCode(err) == plenary.CodeNotFound {
				return Amendment{}, plenary.Invalid("co_sponsors", "no party %q in this forum", ref)
			}
			return Amendment{}, err
		}
		if c.PartyID != "" && !seenCo[c.PartyID] && c.PartyID != pr.partyID {
			seenCo[c.PartyID] = true
			co = append(co, proposer{partyID: c.PartyID, code: c.PartyCode, name: c.PartyName})
		}
	}
	var out Amendment
	err = s.kernel.Command(ctx, sc, "drafting.ProposeAmendment", func(tx *store.Tx, sc *forum.Scope) error {
		dt, err := s.lockDraft(ctx, tx, f, draftID)
		if err != nil {
			return err
		}
		if err := s.checkReadInCommand(ctx, sc, dt); err != nil {
			return err
		}
		if err := s.checkNotAdopted(ctx, tx, dt); err != nil {
			return err
		}
		if err := checkBase(dt, "revision", in.Revision, "propose against the current text"); err != nil {
			return err
		}
		d, _, err := s.loadRevision(ctx, tx, dt, 0)
		if err != nil {
			return err
		}
		doc := documents.Document{Number: dt.Number, Series: dt.series}
		if contrib != nil {
			doc = *contrib
		}
		ldoc := labelDoc(doc, f.DocPrefix)
		var seq int
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(label_seq), 0) FROM amendments WHERE forum_id = ? AND party_code = ? AND label_doc = ?",
			f.ID, pr.code, ldoc).Scan(&seq); err != nil {
			return err
		}
		seq++
		am := text.Amendment{ID: plenary.NewID(), Label: text.FormatLabel(pr.code, ldoc, seq), Op: text.AmendOp(in.Op),
			Provision: in.Provision, After: in.After, Text: in.Text, Kind: text.Kind(in.Kind), Intro: in.Intro,
			NewLabel: in.NewLabel, Proposer: pr.code, Rationale: in.Rationale}
		for _, c := range co {
			am.CoSponsors = append(am.CoSponsors, c.code)
		}
		if contrib != nil {
			am.Contribution = contrib.ID
		}
		am, err = text.Propose(d, am)
		if err != nil {
			return err
		}
		now := forum.NowUTC().Truncate(time.Millisecond)
		out = Amendment{Amendment: am, DraftID: dt.ID, MadeIn: d.Revision, PartyID: pr.partyID, PartyName: pr.name, EnteredAs: pr.as,
			CreatedAt: now, UpdatedAt: now}
		if contrib != nil {
			out.ContributionNumber = contrib.Number
		}
		if err := insertAmendment(ctx, tx, f, a, out, ldoc, seq); err != nil {
			return err
		}
		for _, c := range co {
			if _, err := tx.ExecContext(ctx, `INSERT INTO amendment_cosponsors (amendment_id, party_id, party_code, party_name, joined_by, created_at)
				VALUES (?, ?, ?, ?, ?, ?)`, am.ID, c.partyID, c.code, c.name, a.LedgerID(), forum.NowUTC().UnixMilli()); err != nil {
				return err
			}
		}
		pub := map[string]any{"amendment_id": am.ID, "draft_id": dt.ID, "number": dt.Number, "revision": d.Revision,
			"op": string(am.Op), "provision_id": am.Provision, "after": am.After, "text": am.Text}
		if p, ok := d.Provision(am.Target()); ok {
			pub["provision"] = provisionName(p)
		}
		attr := map[string]any{"label": am.Label, "proposer": am.Proposer, "party_id": pr.partyID, "co_sponsors": am.CoSponsors,
			"contribution_id": am.Contribution, "contribution_number": out.ContributionNumber, "rationale": am.Rationale, "entered_as": pr.as}
		return emitDrafting(ctx, tx, f, a, "amendment.submitted", dt.Visibility, pub, attr)
	})
	if err != nil {
		return Amendment{}, err
	}
	return out, nil
}

func insertAmendment(ctx context.Context, tx *store.Tx, f forum.Forum, a forum.Actor, am Amendment, ldoc string, seq int) error {
	data, err := json.Marshal(am.Amendment)
	if err != nil {
		return err
	}
	now := am.CreatedAt.UnixMilli()
	_, err = tx.ExecContext(ctx, `INSERT INTO amendments (id, forum_id, draft_id, revision, made_in, label, label_doc, label_seq, op,
		provision_id, party_id, party_code, party_name, contribution_id, status, data, entered_by, entered_as, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		am.ID, f.ID, am.DraftID, am.Revision, am.MadeIn, am.Label, ldoc, seq, string(am.Op), am.Target(), am.PartyID,
		am.Proposer, am.PartyName, documents.NullStr(am.Contribution), string(am.Status), string(data), a.LedgerID(), am.EnteredAs, now, now)
	if errors.Is(store.MapErr(err), plenary.ErrConflict) {
		return plenary.Conflict("the label %s was just taken by another proposal; send it again", am.Label)
	}
	return err
}

// saveAmendment writes a proposal's changed state.
func saveAmendment(ctx context.Context, tx *store.Tx, am Amendment) error {
	data, err := json.Marshal(am.Amendment)
	if err != nil {
		return err
	}
	var decided any
	if am.DecidedIn > 0 {
		decided = am.DecidedIn
	}
	_, err = tx.ExecContext(ctx, `UPDATE amendments SET revision = ?, status = ?, decided_in = ?, note = ?, data = ?, updated_at = ? WHERE id = ?`,
		am.Revision, string(am.Status), decided, am.Note, string(data), forum.NowUTC().UnixMilli(), am.ID)
	return err
}

const amendmentColumns = `a.id, a.draft_id, a.made_in, a.party_id, a.party_name, COALESCE(c.number, ''), a.decided_in, a.note,
	a.entered_as, a.data, a.created_at, a.updated_at`

const amendmentFrom = " FROM amendments a LEFT JOIN documents c ON c.id = a.contribution_id"

func scanAmendment(sc interface{ Scan(...any) error }) (Amendment, error) {
	var am Amendment
	var decided sql.NullInt64
	var data string
	var created, updated int64
	err := sc.Scan(&am.ID, &am.DraftID, &am.MadeIn, &am.PartyID, &am.PartyName, &am.ContributionNumber, &decided, &am.Note,
		&am.EnteredAs, &data, &created, &updated)
	if err != nil {
		return am, err
	}
	id := am.ID
	if err := json.Unmarshal([]byte(data), &am.Amendment); err != nil {
		return am, err
	}
	am.ID = id
	am.DecidedIn = int(decided.Int64)
	am.CreatedAt, am.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	return am, nil
}

func (s *Service) loadAmendment(ctx context.Context, q store.Querier, f forum.Forum, draftID, id string) (Amendment, error) {
	am, err := scanAmendment(q.QueryRowContext(ctx, "SELECT "+amendmentColumns+amendmentFrom+" WHERE a.id = ? AND a.draft_id = ? AND a.forum_id = ?",
		id, draftID, f.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return Amendment{}, plenary.NotFound("no such proposal on this draft text")
	}
	return am, err
}

// pendingAmendments returns the pending proposals on revision rev of a
// draft, in the order they were made.
func pendingAmendments(ctx context.Context, q store.Querier, draftID string, rev int) ([]Amendment, error) {
	return queryAmendments(ctx, q, " WHERE a.draft_id = ? AND a.revision = ? AND a.status = ? ORDER BY a.created_at, a.id",
		draftID, rev, string(text.StatusSubmitted))
}

func queryAmendments(ctx context.Context, q store.Querier, where string, args ...any) ([]Amendment, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+amendmentColumns+amendmentFrom+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Amendment{}
	for rows.Next() {
		am, err := scanAmendment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, am)
	}
	return out, rows.Err()
}

// textAmendments returns the text package's proposals of ams.
func textAmendments(ams []Amendment) []text.Amendment {
	out := make([]text.Amendment, len(ams))
	for i := range ams {
		out[i] = ams[i].Amendment
	}
	return out
}

// AmendmentFilter narrows a list of proposals.
type AmendmentFilter struct {
	Status   string // a text.Status; "" any
	Revision int    // proposals standing against this revision; 0 any
	Party    string // proposed or co-sponsored by this party (id or code)
}

// Amendments lists the proposals on a draft text that a may read, oldest
// first, without party names when the forum anonymises them for a (except
// the parties a is registered for).
func (s *Service) Amendments(ctx context.Context, sc *forum.Scope, draftID string, flt AmendmentFilter) ([]Amendment, error) {
	f := sc.Forum
	dt, err := s.DraftText(ctx, sc, draftID)
	if err != nil {
		return nil, err
	}
	where := " WHERE a.draft_id = ?"
	args := []any{draftID}
	if flt.Status != "" {
		if !text.Status(flt.Status).Valid() {
			return nil, plenary.Invalid("status", "must be submitted, withdrawn, accepted, accepted_modified, merged, rejected or superseded")
		}
		where += " AND a.status = ?"
		args = append(args, flt.Status)
	}
	if flt.Revision != 0 {
		if err := dt.CheckRevision("revision", flt.Revision); err != nil {
			return nil, err
		}
		where += " AND a.revision = ?"
		args = append(args, flt.Revision)
	}
	an, err := s.Anonymiser(ctx, sc)
	if err != nil {
		return nil, err
	}
	if flt.Party != "" {
		if !an.Attributed() {
			return nil, plenary.Invalid("party", "%s publishes anonymised compilations: proposals cannot be listed by party", forum.ShortName(f))
		}
		pt, err := s.participation.Party(ctx, s.store, f, flt.Party)
		if err != nil {
			return nil, plenary.Invalid("party", "no party %q in this forum", flt.Party)
		}
		where += " AND (a.party_id = ? OR a.id IN (SELECT amendment_id FROM amendment_cosponsors WHERE party_id = ?))"
		args = append(args, pt.ID, pt.ID)
	}
	ams, err := queryAmendments(ctx, s.store, where+" ORDER BY a.made_in, a.created_at, a.id", args...)
	if err != nil {
		return nil, err
	}
	an.Amendments(ams)
	return ams, nil
}

// AmendmentByID returns one proposal on a draft text, as Amendments would
// show it to a.
func (s *Service) AmendmentByID(ctx context.Context, sc *forum.Scope, draftID, id string) (Amendment, error) {
	f := sc.Forum
	if _, err := s.DraftText(ctx, sc, draftID); err != nil {
		return Amendment{}, err
	}
	am, err := s.loadAmendment(ctx, s.store, f, draftID, id)
	if err != nil {
		return Amendment{}, err
	}
	an, err := s.Anonymiser(ctx, sc)
	if err != nil {
		return Amendment{}, err
	}
	if !an.ShowsProposalOf(am.PartyID) {
		am = am.anonymised()
	}
	return am, nil
}

// amendmentForChange loads a pending proposal inside a command's
// transaction, with its draft locked.
func (s *Service) amendmentForChange(ctx context.Context, tx *store.Tx, f forum.Forum, draftID, id string) (DraftText, Amendment, error) {
	dt, err := s.lockDraft(ctx, tx, f, draftID)
	if err != nil {
		return DraftText{}, Amendment{}, err
	}
	am, err := s.loadAmendment(ctx, tx, f, draftID, id)
	return dt, am, err
}

// WithdrawAmendment withdraws a pending proposal. Its party's delegates
// who may propose amendments for it may, and so may the secretariat.
func (s *Service) WithdrawAmendment(ctx context.Context, sc *forum.Scope, draftID, id, reason string) (Amendment, error) {
	a := sc.Actor
	f, _, err := s.draftCommand(ctx, sc, draftID)
	if err != nil {
		return Amendment{}, err
	}
	am, err := s.AmendmentByID(ctx, sc, draftID, id)
	if err != nil {
		return Amendment{}, err
	}
	if reason, err = forum.CheckText("reason", reason, 2000); err != nil {
		return Amendment{}, err
	}
	if err := s.mayWithdraw(ctx, sc, am); err != nil {
		return Amendment{}, err
	}
	err = s.kernel.Command(ctx, sc, "drafting.WithdrawAmendment", func(tx *store.Tx, sc *forum.Scope) error {
		dt, am, err := s.amendmentForChange(ctx, tx, f, draftID, id)
		if err != nil {
			return err
		}
		changed, err := text.SetStatus(am.Amendment, text.StatusWithdrawn, "")
		if err != nil {
			return err
		}
		am.Amendment, am.Note = changed, reason
		if err := saveAmendment(ctx, tx, am); err != nil {
			return err
		}
		return emitDrafting(ctx, tx, f, a, "amendment.withdrawn", dt.Visibility,
			map[string]any{"amendment_id": am.ID, "draft_id": dt.ID, "number": dt.Number, "op": string(am.Op), "reason": reason},
			map[string]any{"label": am.Label, "proposer": am.Proposer})
	})
	if err != nil {
		return Amendment{}, err
	}
	return s.loadAmendment(ctx, s.store, f, draftID, id)
}

// mayWithdraw is the right to withdraw am, which WithdrawAmendment
// checks: the secretariat may withdraw any pending proposal; otherwise
// whoever may propose amendments for the party that made it. A proposal
// that is no longer pending is refused as a conflict.
func (s *Service) mayWithdraw(ctx context.Context, sc *forum.Scope, am Amendment) error {
	v, err := sc.Viewer(ctx)
	if err != nil {
		return err
	}
	if !v.Secretariat {
		if am.PartyID == "" {
			return plenary.Forbidden("only the secretariat may withdraw a proposal made by an office")
		}
		if _, err := s.proposeAs(ctx, sc, am.PartyID); err != nil {
			return err
		}
	}
	return text.Transition(am.Status, text.StatusWithdrawn)
}

// MayWithdraw reports whether the actor may withdraw am (as Amendments or
// AmendmentByID show it), for pages that offer the button: what
// WithdrawAmendment allows.
func (s *Service) MayWithdraw(ctx context.Context, sc *forum.Scope, am Amendment) (bool, error) {
	return forum.Allowed(s.mayWithdraw(ctx, sc, am))
}

// CosponsorAmendment adds a party as co-sponsor of a pending proposal. The
// actor needs the right to co-sponsor for that party (party "" is the
// party it is registered for).
func (s *Service) CosponsorAmendment(ctx context.Context, sc *forum.Scope, draftID, id, party string) (Amendment, error) {
	a := sc.Actor
	f, _, err := s.draftCommand(ctx, sc, draftID)
	if err != nil {
		return Amendment{}, err
	}
	am, err := s.AmendmentByID(ctx, sc, draftID, id)
	if err != nil {
		return Amendment{}, err
	}
	c, err := s.mayCosponsor(ctx, sc, am, party)
	if err != nil {
		return Amendment{}, err
	}
	err = s.kernel.Command(ctx, sc, "drafting.CosponsorAmendment", func(tx *store.Tx, sc *forum.Scope) error {
		dt, am, err := s.amendmentForChange(ctx, tx, f, draftID, id)
		if err != nil {
			return err
		}
		changed, err := joinAsCosponsor(am, c)
		if err != nil {
			return err
		}
		am.Amendment = changed
		if err := saveAmendment(ctx, tx, am); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO amendment_cosponsors (amendment_id, party_id, party_code, party_name, joined_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, am.ID, c.PartyID, c.PartyCode, c.PartyName, a.LedgerID(), forum.NowUTC().UnixMilli()); err != nil {
			if errors.Is(store.MapErr(err), plenary.ErrConflict) {
				return plenary.Conflict("%s already co-sponsors %s", c.PartyName, am.Label)
			}
			return err
		}
		return emitDrafting(ctx, tx, f, a, "amendment.cosponsored", dt.Visibility,
			map[string]any{"amendment_id": am.ID, "draft_id": dt.ID, "number": dt.Number},
			map[string]any{"label": am.Label, "party": c.PartyCode, "party_id": c.PartyID, "co_sponsors": am.CoSponsors})
	})
	if err != nil {
		return Amendment{}, err
	}
	return s.loadAmendment(ctx, s.store, f, draftID, id)
}

// cosponsorAs is the right to co-sponsor proposals for a party (its id or
// code; "" the party the actor's registration speaks for): the capacity,
// which names a party, or the refusal.
func (s *Service) cosponsorAs(ctx context.Context, sc *forum.Scope, party string) (forum.Capacity, error) {
	c, err := sc.Authorize(ctx, rules.Cosponsor, strings.TrimSpace(party))
	if err != nil {
		if plenary.ErrorCode(err) == plenary.CodeNotFound {
			return forum.Capacity{}, plenary.Invalid("party", "no party %q in this forum", party)
		}
		return forum.Capacity{}, err
	}
	if c.PartyID == "" {
		return forum.Capacity{}, plenary.Invalid("party", "co-sponsors are parties; you act for none")
	}
	return c, nil
}

// mayCosponsor is the right to co-sponsor am for a party ("" the party the
// actor's registration speaks for), which CosponsorAmendment checks: the
// right to co-sponsor for the party, on a proposal whose parties the actor
// is shown, that is pending and that the party neither made nor already
// co-sponsors. It returns the capacity the actor would co-sponsor in.
func (s *Service) mayCosponsor(ctx context.Context, sc *forum.Scope, am Amendment, party string) (forum.Capacity, error) {
	c, err := s.cosponsorAs(ctx, sc, party)
	if err != nil {
		return forum.Capacity{}, err
	}
	if am.Anonymous {
		return forum.Capacity{}, plenary.Forbidden("%s publishes anonymised compilations: you may co-sponsor only proposals whose parties you are shown", forum.ShortName(sc.Forum))
	}
	if _, err := joinAsCosponsor(am, c); err != nil {
		return forum.Capacity{}, err
	}
	return c, nil
}

// MayCosponsor reports whether the actor may co-sponsor am (as Amendments
// or AmendmentByID show it) for the party its registration speaks for,
// for pages that offer the button: what CosponsorAmendment allows.
func (s *Service) MayCosponsor(ctx context.Context, sc *forum.Scope, am Amendment) (bool, error) {
	_, err := s.mayCosponsor(ctx, sc, am, "")
	return forum.Allowed(err)
}

// joinAsCosponsor returns am's text with the party of c among its
// co-sponsors, or the conflict that prevents it: the party made it, already
// co-sponsors it, or it is no longer pending.
func joinAsCosponsor(am Amendment, c forum.Capacity) (text.Amendment, error) {
	if am.PartyID == c.PartyID {
		return text.Amendment{}, plenary.Conflict("%s is the proposer of %s", c.PartyName, am.Label)
	}
	return text.AddCoSponsor(am.Amendment, c.PartyCode)
}

// AmendmentPath is the web page of a proposal: its entry in the list of
// proposals of its draft text.
func AmendmentPath(f forum.Forum, draftID, id string) string {
	return DraftPath(f, draftID) + "/amendments#am-" + id
}
