package drafting

import (
	"context"
	"strconv"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/text/render"
)

// The editor (whoever holds the right to edit the draft) makes the next
// revision of a draft text from decisions on the pending proposals, the
// open brackets and the provisions (text.Revise). Proposals left without a
// decision carry over to the new revision when their provision did not
// change, and are superseded otherwise. The new revision is issued as the
// next Rev. of the draft's document.

// CollisionBracket turns one collision of the current compilation into a
// bracket, each colliding proposal's version an alternative supported by
// its proponents: the editor's one-step decision.
type CollisionBracket struct {
	// Collision is the collision's id in the compilation (c1, c2...).
	Collision string `json:"collision"`
	// IncludeCurrent keeps the current text (for additions: no text) as
	// one of the alternatives.
	IncludeCurrent bool `json:"include_current,omitempty"`
}

// RevisionInput is the input of IssueRevision.
type RevisionInput struct {
	// Revision is the revision the decisions were taken on; 0 means the
	// current one. It guards against deciding on a text that changed.
	Revision int `json:"revision,omitempty"`
	// Decisions are the editor's decisions (text.Decision): accept,
	// accept_modified, reject, merge, supersede a proposal; bracket
	// proposals; clear, keep or agree_ad_referendum a bracket;
	// compromise text for a provision.
	Decisions []text.Decision `json:"decisions"`
	// Brackets are collisions of the current compilation to turn into
	// brackets, each in one step.
	Brackets []CollisionBracket `json:"brackets,omitempty"`
	// Title is the new revision's title; "" keeps the title.
	Title string `json:"title,omitempty"`
	// Note says what the revision does, for the document's version.
	Note string `json:"note,omitempty"`
	// Series, when set, is the slug of a numbering series (dt) in which
	// the new revision's text is also issued as a numbered document (the
	// chair's package DT/55); "main" is the forum's own series.
	Series string `json:"series,omitempty"`
}

// RevisionOutcome is what IssueRevision did.
type RevisionOutcome struct {
	Info     RevisionInfo        `json:"info"`
	Log      []text.LogEntry     `json:"log"`
	Statuses []text.StatusChange `json:"statuses"`
	// CarriedOver are the proposals without a decision that now stand
	// against the new revision; Superseded those that could not, because
	// their provision changed.
	CarriedOver []string `json:"carried_over"`
	Superseded  []string `json:"superseded"`
	// DocumentID and DocumentNumber are those of the numbered document
	// the revision was issued as, when a series was asked for.
	DocumentID     string `json:"document_id,omitempty"`
	DocumentNumber string `json:"document_number,omitempty"`
}

const maxDecisions = 20000

func (in *RevisionInput) validate() error {
	var errs plenary.Errors
	if len(in.Decisions)+len(in.Brackets) == 0 {
		errs = append(errs, plenary.Invalid("decisions", "take at least one decision: accept, reject, bracket, clear a bracket or write a compromise"))
	}
	if len(in.Decisions)+len(in.Brackets) > maxDecisions {
		errs = append(errs, plenary.Invalid("decisions", "at most %d decisions in one revision", maxDecisions))
	}
	var err error
	if strings.TrimSpace(in.Title) != "" {
		if in.Title, err = forum.CheckName("title", in.Title, documents.MaxDocTitle); err != nil {
			errs = append(errs, plenary.AsError(err))
		}
	}
	if in.Note, err = forum.CheckText("note", in.Note, 2000); err != nil {
		errs = append(errs, plenary.AsError(err))
	}
	in.Series = strings.TrimSpace(in.Series)
	for i := range in.Decisions {
		dc := &in.Decisions[i]
		// The proposals a decision names are a set (see forum.Dedupe).
		dc.AmendmentIDs, dc.SourceIDs = forum.Dedupe(dc.AmendmentIDs), forum.Dedupe(dc.SourceIDs)
		if dc.Text, err = checkProvisionText("decisions["+strconv.Itoa(i)+"].text", dc.Text); err != nil {
			errs = append(errs, plenary.AsError(err))
		}
		if dc.Note, err = forum.CheckText("decisions["+strconv.Itoa(i)+"].note", dc.Note, 2000); err != nil {
			errs = append(errs, plenary.AsError(err))
		}
	}
	return errs.Err()
}

// IssueRevision makes and issues the next revision of a draft text from
// the editor's decisions. Only those with the right to edit the draft may;
// every decision is checked before anything is stored, and a wrong one
// changes nothing.
func (s *Service) IssueRevision(ctx context.Context, sc *forum.Scope, draftID string, in RevisionInput) (RevisionOutcome, error) {
	a := sc.Actor
	f, dt, err := s.draftCommand(ctx, sc, draftID)
	if err != nil {
		return RevisionOutcome{}, err
	}
	if err := checkBase(dt, "revision", in.Revision, "decide on the current text"); err != nil {
		return RevisionOutcome{}, err
	}
	if err := in.validate(); err != nil {
		return RevisionOutcome{}, err
	}
	if _, err := s.AuthorizeRevision(ctx, sc); err != nil {
		return RevisionOutcome{}, err
	}
	var out RevisionOutcome
	err = s.kernel.Command(ctx, sc, "drafting.IssueRevision", func(tx *store.Tx, sc *forum.Scope) error {
		dt, err := s.lockDraft(ctx, tx, f, draftID)
		if err != nil {
			return err
		}
		if err := checkBase(dt, "revision", in.Revision, "decide on the current text"); err != nil {
			return err
		}
		old, _, err := s.loadRevision(ctx, tx, dt, 0)
		if err != nil {
			return err
		}
		pend, err := pendingAmendments(ctx, tx, dt.ID, dt.Revision)
		if err != nil {
			return err
		}
		tams := textAmendments(pend)
		decisions := append([]text.Decision(nil), in.Decisions...)
		if len(in.Brackets) > 0 {
			comp, err := text.Compile(old, tams)
			if err != nil {
				return err
			}
			for i, cb := range in.Brackets {
				col, ok := findCollision(comp, cb.Collision)
				if !ok {
					return plenary.Invalid("brackets["+strconv.Itoa(i)+"].collision", "no collision %q in the compilation of revision %d", cb.Collision, dt.Revision)
				}
				decisions = append(decisions, col.BracketDecision(cb.IncludeCurrent))
			}
		}
		res, err := text.Revise(old, tams, decisions)
		if err != nil {
			return err
		}
		nd := res.Draft
		if in.Title != "" {
			nd.Title = in.Title
		}
		byID := make(map[string]*Amendment, len(pend))
		for i := range pend {
			byID[pend[i].ID] = &pend[i]
		}
		for _, sc := range res.Statuses {
			am := byID[sc.AmendmentID]
			am.Status, am.MergedInto, am.DecidedIn = sc.To, sc.MergedInto, nd.Revision
			if sc.Note != "" {
				am.Note = sc.Note
			}
			if err := saveAmendment(ctx, tx, *am); err != nil {
				return err
			}
		}
		out = RevisionOutcome{Log: res.Log, Statuses: res.Statuses, CarriedOver: []string{}, Superseded: []string{}}
		for _, id := range res.Undecided {
			am := byID[id]
			moved, err := text.CarryOver(am.Amendment, old, nd)
			if err == nil {
				am.Amendment = moved
				out.CarriedOver = append(out.CarriedOver, id)
			} else {
				am.Status, am.DecidedIn, am.Note = text.StatusSuperseded, nd.Revision, plenary.AsError(err).Message
				out.Superseded = append(out.Superseded, id)
				out.Statuses = append(out.Statuses, text.StatusChange{AmendmentID: id, Label: am.Label, From: text.StatusSubmitted, To: text.StatusSuperseded})
			}
			if err := saveAmendment(ctx, tx, *am); err != nil {
				return err
			}
		}
		md := string(render.Markdown(nd))
		v, err := s.documents.AddVersionTx(ctx, tx, a, f, dt.ID, documents.VersionInput{Kind: documents.VersionRev, Title: nd.Title, Text: md, Note: in.Note})
		if err != nil {
			return err
		}
		if err := insertRevision(ctx, tx, dt.ID, v, nd, res.Log, in.Note, a); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE drafts SET current_rev = ?, updated_at = ? WHERE id = ?", nd.Revision, forum.NowUTC().UnixMilli(), dt.ID); err != nil {
			return err
		}
		doc, err := s.documents.LoadDocument(ctx, tx, f, dt.ID, false)
		if err != nil {
			return err
		}
		if err := s.indexProvisions(ctx, tx, f, doc, nd, old); err != nil {
			return err
		}
		out.Info = RevisionInfo{Revision: nd.Revision, Label: v.Label, Title: nd.Title, Provisions: len(nd.Provisions),
			OpenBrackets: nd.OpenBrackets(), Note: in.Note, CreatedAt: v.CreatedAt}
		if in.Series != "" {
			rd, err := s.documents.CreateDocumentTx(ctx, tx, a, f, documents.DocumentInput{Type: documents.DocTemporary, Series: in.Series,
				Title: nd.Title, Text: md, Visibility: dt.Visibility})
			if err != nil {
				return err
			}
			out.DocumentID, out.DocumentNumber = rd.ID, rd.Number
		}
		counts := map[string]int{}
		for _, e := range res.Log {
			counts[string(e.Action)]++
		}
		var statuses []map[string]any
		for _, sc := range out.Statuses {
			statuses = append(statuses, map[string]any{"amendment_id": sc.AmendmentID, "label": sc.Label, "to": string(sc.To), "merged_into": sc.MergedInto})
		}
		seq, err := emitDraftingEvent(ctx, tx, f, a, "draft.revised", dt.Visibility, map[string]any{
			"draft_id": dt.ID, "number": dt.Number, "label": v.Label, "revision": nd.Revision, "from": old.Revision,
			"title": nd.Title, "provisions": len(nd.Provisions), "open_brackets": nd.OpenBrackets(), "decisions": counts,
			"carried_over": len(out.CarriedOver), "superseded": len(out.Superseded), "note": in.Note, "text_sha256": documents.TextHash(md),
			"document_id": out.DocumentID, "document_number": out.DocumentNumber},
			map[string]any{"statuses": statuses})
		if err != nil || out.DocumentID == "" {
			return err
		}
		return recordDraftDocument(ctx, tx, out.DocumentID, dt.ID, DraftDocRevision, nd.Revision, 0, seq)
	})
	if err != nil {
		return RevisionOutcome{}, err
	}
	return out, nil
}

func findCollision(c *text.Compilation, id string) (text.Collision, bool) {
	for _, col := range c.Collisions {
		if col.ID == strings.TrimSpace(id) {
			return col, true
		}
	}
	return text.Collision{}, false
}

// CompilationView is the compilation of a draft text's current revision as
// a viewer may see it.
type CompilationView struct {
	Draft       DraftText         `json:"draft_text"`
	Compilation *text.Compilation `json:"compilation"`
	// Attributed is false when the viewer sees the anonymised
	// compilation.
	Attributed bool `json:"attributed"`
	// Contributions maps the ids of the source contributions named in
	// the compilation to their numbers.
	Contributions map[string]string `json:"contributions,omitempty"`
}

// Compilation returns the synoptic view of the current revision of a
// draft text: every pending proposal per provision with its proponents,
// and the collisions. Viewers other than the secretariat and the editors
// get the anonymised compilation when the forum publishes those.
func (s *Service) Compilation(ctx context.Context, sc *forum.Scope, draftID string) (CompilationView, error) {
	dt, err := s.DraftText(ctx, sc, draftID)
	if err != nil {
		return CompilationView{}, err
	}
	d, _, err := s.loadRevision(ctx, s.store, dt, 0)
	if err != nil {
		return CompilationView{}, err
	}
	pend, err := pendingAmendments(ctx, s.store, dt.ID, dt.Revision)
	if err != nil {
		return CompilationView{}, err
	}
	c, err := text.Compile(d, textAmendments(pend))
	if err != nil {
		return CompilationView{}, err
	}
	an, err := s.Anonymiser(ctx, sc)
	if err != nil {
		return CompilationView{}, err
	}
	cv := CompilationView{Draft: dt, Compilation: an.Compilation(c), Attributed: an.Attributed()}
	if !cv.Attributed {
		return cv, nil
	}
	cv.Contributions = map[string]string{}
	for _, am := range pend {
		if am.Contribution != "" {
			cv.Contributions[am.Contribution] = am.ContributionNumber
		}
	}
	return cv, nil
}

// Consolidated returns the text of the current revision as it would read
// if every pending proposal were accepted, collisions shown as brackets.
func (s *Service) Consolidated(ctx context.Context, sc *forum.Scope, draftID string) (*text.Consolidation, bool, error) {
	dt, err := s.DraftText(ctx, sc, draftID)
	if err != nil {
		return nil, false, err
	}
	d, _, err := s.loadRevision(ctx, s.store, dt, 0)
	if err != nil {
		return nil, false, err
	}
	pend, err := pendingAmendments(ctx, s.store, dt.ID, dt.Revision)
	if err != nil {
		return nil, false, err
	}
	c, err := text.Consolidate(d, textAmendments(pend))
	if err != nil {
		return nil, false, err
	}
	an, err := s.Anonymiser(ctx, sc)
	if err != nil {
		return nil, false, err
	}
	return an.Consolidation(c), an.Attributed(), nil
}

// Redline compares two revisions of a draft text word by word.
func (s *Service) Redline(ctx context.Context, sc *forum.Scope, draftID string, from, to int) (*text.Redline, error) {
	dt, err := s.DraftText(ctx, sc, draftID)
	if err != nil {
		return nil, err
	}
	var errs plenary.Errors
	for _, x := range []struct {
		field string
		n     int
	}{{"from", from}, {"to", to}} {
		if err := dt.CheckRevision(x.field, x.n); err != nil {
			errs = append(errs, plenary.AsError(err))
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	od, _, err := s.loadRevision(ctx, s.store, dt, from)
	if err != nil {
		return nil, err
	}
	nd, _, err := s.loadRevision(ctx, s.store, dt, to)
	if err != nil {
		return nil, err
	}
	return text.Compare(od, nd), nil
}

// ProvisionStep is one revision in the history of a provision: its text
// then, the word changes from the revision before, the decisions of that
// revision about it, and the sources its drafting log gained then.
type ProvisionStep struct {
	Revision int                `json:"revision"`
	Label    string             `json:"label"` // the document version: WTPF-13/5(Rev.1)
	Status   text.RedlineStatus `json:"status"`
	// Provision is the provision in this revision; nil when deleted.
	Provision *text.Provision `json:"provision,omitempty"`
	Changes   []text.Change   `json:"changes"`
	Log       []text.LogEntry `json:"log,omitempty"`
	Sources   []text.Source   `json:"sources,omitempty"`
}

// ProvisionHistory is the drafting log of one provision across the
// revisions of its draft text: which proposals and contributions each
// revision's text came from.
type ProvisionHistory struct {
	Draft       DraftText       `json:"draft_text"`
	ProvisionID string          `json:"provision_id"`
	Name        string          `json:"name"`
	Steps       []ProvisionStep `json:"steps"`
	Attributed  bool            `json:"attributed"`
	// Contributions maps source contribution ids to their numbers.
	Contributions map[string]string `json:"contributions,omitempty"`
}

// ProvisionLog returns the drafting log of a provision, from the revision
// it appeared in to the current one (or the one that deleted it).
func (s *Service) ProvisionLog(ctx context.Context, sc *forum.Scope, draftID, provisionID string) (ProvisionHistory, error) {
	f := sc.Forum
	dt, err := s.DraftText(ctx, sc, draftID)
	if err != nil {
		return ProvisionHistory{}, err
	}
	h := ProvisionHistory{Draft: dt, ProvisionID: provisionID}
	an, err := s.Anonymiser(ctx, sc)
	if err != nil {
		return ProvisionHistory{}, err
	}
	var prev *text.Provision
	for _, ri := range dt.Revisions {
		d, log, err := s.loadRevision(ctx, s.store, dt, ri.Revision)
		if err != nil {
			return ProvisionHistory{}, err
		}
		p, ok := d.Provision(provisionID)
		if !ok && prev == nil {
			continue
		}
		step := ProvisionStep{Revision: ri.Revision, Label: ri.Label}
		for _, e := range log {
			if e.ProvisionID == provisionID {
				step.Log = append(step.Log, e)
			}
		}
		oldD, newD := &text.Draft{Revision: ri.Revision - 1}, &text.Draft{Revision: ri.Revision}
		if prev != nil {
			oldD.Provisions = []text.Provision{*prev}
		}
		if ok {
			pc := p.Clone()
			step.Provision = &pc
			newD.Provisions = []text.Provision{pc}
			for _, src := range p.Sources {
				if src.Revision == ri.Revision {
					step.Sources = append(step.Sources, src)
				}
			}
			h.Name = provisionName(p)
		}
		if r := text.Compare(oldD, newD); len(r.Entries) > 0 {
			step.Status, step.Changes = r.Entries[0].Status, r.Entries[0].Changes
		}
		h.Steps = append(h.Steps, step)
		if !ok {
			break
		}
		prev = step.Provision
	}
	if len(h.Steps) == 0 {
		return ProvisionHistory{}, plenary.NotFound("%s has no provision %q", dt.Number, provisionID)
	}
	an.History(&h)
	if !h.Attributed {
		return h, nil
	}
	ids := map[string]bool{}
	for _, st := range h.Steps {
		for _, src := range st.Sources {
			if src.Contribution != "" {
				ids[src.Contribution] = true
			}
		}
		for _, e := range st.Log {
			if e.Contribution != "" {
				ids[e.Contribution] = true
			}
		}
	}
	if h.Contributions, err = s.documentNumbers(ctx, f, ids); err != nil {
		return ProvisionHistory{}, err
	}
	return h, nil
}

// documentNumbers maps document ids of f to their numbers.
func (s *Service) documentNumbers(ctx context.Context, f forum.Forum, ids map[string]bool) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{f.ID}
	for id := range ids {
		args = append(args, id)
	}
	rows, err := s.store.QueryContext(ctx, "SELECT id, number FROM documents WHERE forum_id = ? AND id IN ("+store.Placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, n string
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}
