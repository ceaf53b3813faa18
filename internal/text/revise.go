package text

import (
	"strconv"
	"strings"

	"github.com/plenary-forum/plenary"
)

// Action is what the editor decides about a proposal, a bracket or a
// provision when making the next revision.
type Action string

// The editor's decisions.
const (
	// On a proposal (Decision.AmendmentID):
	ActAccept         Action = "accept"          // apply as proposed
	ActAcceptModified Action = "accept_modified" // apply the editor's rewording (Text): the provision's new text for MOD, the new provision's for ADD
	ActReject         Action = "reject"          // not applied
	ActNote           Action = "note"            // noted: taken into account, not applied, and not refused
	ActMerge          Action = "merge"           // merged into the proposal Into, which must be accepted in the same revision
	ActSupersede      Action = "supersede"       // overtaken, not applied
	// On several proposals (Decision.AmendmentIDs):
	ActBracket Action = "bracket" // turn colliding proposals into one bracket; each becomes an alternative
	// On a bracket (Decision.BracketID):
	ActClear Action = "clear"               // keep the chosen Alternative (1-based) or compromise Text; the bracket goes
	ActKeep  Action = "keep"                // the bracket stays open (as without a decision)
	ActAgree Action = "agree_ad_referendum" // agree the chosen Alternative or Text ad referendum; the bracket stays, marked
	// On a provision (Decision.ProvisionID):
	ActCompromise Action = "compromise" // replace the provision's text by the editor's compromise Text
)

// Decision is one decision of the editor. Which fields count depends on
// Action (see the constants). Alternative is 1-based; 0 means "use Text".
// For ActBracket, IncludeCurrent adds the current text (or, for ADDs, no
// text) as an alternative; it is implied when a NOC is among the proposals.
// For ActCompromise, SourceIDs name the proposals the compromise draws on,
// for the drafting log; they still need their own decisions.
type Decision struct {
	Action         Action   `json:"action"`
	AmendmentID    string   `json:"amendment_id,omitempty"`
	Into           string   `json:"into,omitempty"`
	AmendmentIDs   []string `json:"amendment_ids,omitempty"`
	IncludeCurrent bool     `json:"include_current,omitempty"`
	BracketID      string   `json:"bracket_id,omitempty"`
	Alternative    int      `json:"alternative,omitempty"`
	ProvisionID    string   `json:"provision_id,omitempty"`
	Text           string   `json:"text,omitempty"`
	SourceIDs      []string `json:"source_ids,omitempty"`
	Note           string   `json:"note,omitempty"`
}

// BracketDecision is the decision that turns a collision of a compilation
// into one bracket in the next revision, in one step: each colliding
// proposal's version becomes an alternative supported by its proponents,
// and, with includeCurrent, the current text (or, for additions, no text)
// is one too.
func (c Collision) BracketDecision(includeCurrent bool) Decision {
	return Decision{Action: ActBracket, AmendmentIDs: append([]string(nil), c.Amendments...), IncludeCurrent: includeCurrent}
}

// StatusChange is a proposal's new state after a revision, for the caller
// to store.
type StatusChange struct {
	AmendmentID string `json:"amendment_id"`
	Label       string `json:"label,omitempty"`
	From        Status `json:"from"`
	To          Status `json:"to"`
	MergedInto  string `json:"merged_into,omitempty"`
	Note        string `json:"note,omitempty"` // the decision's reason
}

// LogEntry is one line of the revision log: a decision and what it did.
// ProvisionID is the provision it changed, made or deleted, when there is
// one.
type LogEntry struct {
	Revision     int    `json:"revision"`
	Action       Action `json:"action"`
	AmendmentID  string `json:"amendment_id,omitempty"`
	Label        string `json:"label,omitempty"`
	Contribution string `json:"contribution_id,omitempty"`
	Into         string `json:"into,omitempty"`
	BracketID    string `json:"bracket_id,omitempty"`
	ProvisionID  string `json:"provision_id,omitempty"`
	Alternative  int    `json:"alternative,omitempty"`
	Text         string `json:"text,omitempty"`
	Note         string `json:"note,omitempty"`
}

// RevisionResult is the outcome of Revise: the new draft, the revision log
// in decision order, the proposals' new states, and the pending proposals
// that had no decision. Those stay as they are: the caller carries them
// over to the new revision (CarryOver, which refuses when their provision
// changed) or marks them superseded.
type RevisionResult struct {
	Draft     *Draft         `json:"draft"`
	Log       []LogEntry     `json:"log"`
	Statuses  []StatusChange `json:"statuses"`
	Undecided []string       `json:"undecided,omitempty"`
}

// Revise makes the next revision of d from the editor's decisions about the
// pending proposals in amendments, the brackets of d and its provisions.
//
// The new draft has revision d.Revision+1; provisions keep their ids, new
// ones get new ids, and every provision that a decision touched gets a
// Source for it appended to its drafting log (untouched ones keep theirs).
// Brackets that are not cleared carry over. Every decision is checked
// before anything is built, and nothing is returned but an error when one
// is wrong: an unknown or non-pending proposal, a proposal or bracket
// decided twice, a merge into a proposal not accepted here, rewording that
// changes a bracket, or two accepted changes to the same words.
func Revise(d *Draft, amendments []Amendment, decisions []Decision) (*RevisionResult, error) {
	an, err := analyze(d, amendments)
	if err != nil {
		return nil, err
	}
	all := make(map[string]*Amendment, len(amendments))
	for i := range amendments {
		all[amendments[i].ID] = &amendments[i]
	}
	rv := &reviser{
		an: an, all: all, pl: newPlan(d, d.Revision+1), rev: d.Revision + 1,
		decided: make(map[string]int), brackets: make(map[string]int), provs: make(map[string]int),
		accepted: make(map[string]bool), provOf: make(map[string]int),
	}
	// First pass: what each decision is about, decided once.
	for k := range decisions {
		if err := rv.claim(k, &decisions[k]); err != nil {
			return nil, err
		}
	}
	for k := range decisions {
		if err := rv.apply(k, &decisions[k]); err != nil {
			return nil, err
		}
	}
	// Merged proposals record their source where their target landed.
	for _, m := range rv.merges {
		target := rv.an.byID[m.into].a
		src := amendmentSource(SourceMerged, m.a)
		src.Note = "merged into " + target.Ref()
		if j, ok := rv.provOf[m.into]; ok && j >= 0 {
			rv.pl.source(j, src)
			continue
		}
		for slot := range rv.pl.ins {
			for x := range rv.pl.ins[slot] {
				np := &rv.pl.ins[slot][x]
				if len(np.Sources) > 0 && np.Sources[0].AmendmentID == m.into {
					np.Sources = append(np.Sources, src)
				}
			}
		}
	}
	nd, err := rv.pl.build()
	if err != nil {
		return nil, err
	}
	nd.Revision = rv.rev
	// Each text that went in was within the limit, but together (several
	// changes to one provision, a bracket of long alternatives) they may
	// not be. A provision stored longer before the limit may stay so.
	for i := range nd.Provisions {
		p := &nd.Provisions[i]
		n := len(p.Text())
		if n <= MaxProvisionText {
			continue
		}
		if old, ok := d.Provision(p.ID); ok && len(old.Text()) >= n {
			continue
		}
		return nil, provisionTooLong("decisions", "provision "+displayName(p)+": ", n)
	}
	rv.res.Draft = nd
	// Fill in the provision ids of new provisions in the log.
	for k := range rv.res.Log {
		e := &rv.res.Log[k]
		if e.ProvisionID == "" && e.AmendmentID != "" {
			e.ProvisionID = findSource(nd, e.AmendmentID)
		}
		if e.ProvisionID == "" && e.BracketID != "" && e.Action == ActBracket {
			if _, j := nd.FindBracket(e.BracketID); j >= 0 {
				e.ProvisionID = nd.Provisions[j].ID
			}
		}
	}
	for _, list := range [][]*prop{an.adds[0]} {
		rv.undecided(list)
	}
	for i := range d.Provisions {
		rv.undecided(an.onProv[i])
		rv.undecided(an.adds[i+1])
	}
	return &rv.res, nil
}

func findSource(d *Draft, amendmentID string) string {
	for i := range d.Provisions {
		for _, s := range d.Provisions[i].Sources {
			if s.AmendmentID == amendmentID {
				return d.Provisions[i].ID
			}
		}
	}
	return ""
}

type reviser struct {
	an       *analysis
	all      map[string]*Amendment
	pl       *plan
	rev      int
	res      RevisionResult
	decided  map[string]int // amendment id -> decision index
	brackets map[string]int // bracket id -> decision index
	provs    map[string]int // provision id -> compromise decision index
	accepted map[string]bool
	provOf   map[string]int // accepted amendment id -> provision index it changed (-1 for ADD and SUP)
	merges   []struct {
		a    *Amendment
		into string
	}
}

func decisionField(k int, name string) string {
	return "decisions[" + strconv.Itoa(k) + "]." + name
}

// pending returns the pending proposal with the given id.
func (rv *reviser) pending(k int, id, name string) (*prop, error) {
	p := rv.an.byID[id]
	if p == nil {
		if a := rv.all[id]; a != nil {
			return nil, plenary.Conflict("proposal %s is %s, not pending", a.Ref(), a.Status)
		}
		return nil, plenary.Invalid(decisionField(k, name), "no pending proposal %q", id)
	}
	return p, nil
}

// claim checks that a decision names existing things, each decided once.
func (rv *reviser) claim(k int, dc *Decision) error {
	take := func(id, name string) error {
		p, err := rv.pending(k, id, name)
		if err != nil {
			return err
		}
		if j, ok := rv.decided[id]; ok {
			return plenary.Invalid(decisionField(k, name), "proposal %s is already decided by decision %d", p.a.Ref(), j+1)
		}
		rv.decided[id] = k
		return nil
	}
	switch dc.Action {
	case ActAccept, ActAcceptModified, ActReject, ActNote, ActMerge, ActSupersede:
		if err := take(dc.AmendmentID, "amendment_id"); err != nil {
			return err
		}
		if dc.Action == ActAccept || dc.Action == ActAcceptModified {
			rv.accepted[dc.AmendmentID] = true
		}
	case ActBracket:
		if len(dc.AmendmentIDs) == 0 {
			return plenary.Invalid(decisionField(k, "amendment_ids"), "name the proposals to bracket")
		}
		for _, id := range dc.AmendmentIDs {
			if err := take(id, "amendment_ids"); err != nil {
				return err
			}
		}
	case ActClear, ActKeep, ActAgree:
		if b, _ := rv.an.d.FindBracket(dc.BracketID); b == nil {
			return plenary.Invalid(decisionField(k, "bracket_id"), "no bracket %q in revision %d", dc.BracketID, rv.an.d.Revision)
		}
		if j, ok := rv.brackets[dc.BracketID]; ok {
			return plenary.Invalid(decisionField(k, "bracket_id"), "bracket %s is already decided by decision %d", dc.BracketID, j+1)
		}
		rv.brackets[dc.BracketID] = k
	case ActCompromise:
		if rv.an.d.Index(dc.ProvisionID) < 0 {
			return plenary.Invalid(decisionField(k, "provision_id"), "no provision %q in revision %d", dc.ProvisionID, rv.an.d.Revision)
		}
		if j, ok := rv.provs[dc.ProvisionID]; ok {
			return plenary.Invalid(decisionField(k, "provision_id"), "provision %s already has a compromise in decision %d", dc.ProvisionID, j+1)
		}
		rv.provs[dc.ProvisionID] = k
	default:
		return plenary.Invalid(decisionField(k, "action"), "unknown action %q", dc.Action)
	}
	return nil
}

func (rv *reviser) status(a *Amendment, to Status, into, note string) {
	rv.res.Statuses = append(rv.res.Statuses, StatusChange{AmendmentID: a.ID, Label: a.Label, From: a.Status, To: to, MergedInto: into, Note: note})
}

func (rv *reviser) log(e LogEntry) {
	e.Revision = rv.rev
	rv.res.Log = append(rv.res.Log, e)
}

func logFor(dc *Decision, a *Amendment) LogEntry {
	e := LogEntry{Action: dc.Action, AmendmentID: a.ID, Label: a.Label, Contribution: a.Contribution, Note: dc.Note}
	if a.Op != OpADD {
		e.ProvisionID = a.Provision
	}
	return e
}

// apply plans one decision.
func (rv *reviser) apply(k int, dc *Decision) error {
	d := rv.an.d
	switch dc.Action {
	case ActAccept, ActAcceptModified:
		return rv.accept(k, dc)
	case ActReject, ActNote, ActSupersede:
		p := rv.an.byID[dc.AmendmentID]
		to := StatusRejected
		switch dc.Action {
		case ActSupersede:
			to = StatusSuperseded
		case ActNote:
			to = StatusNoted
		}
		rv.status(p.a, to, "", dc.Note)
		rv.log(logFor(dc, p.a))
	case ActMerge:
		p := rv.an.byID[dc.AmendmentID]
		if dc.Into == dc.AmendmentID {
			return plenary.Invalid(decisionField(k, "into"), "a proposal cannot merge into itself")
		}
		target, err := rv.pending(k, dc.Into, "into")
		if err != nil {
			return err
		}
		if !rv.accepted[dc.Into] {
			return plenary.Conflict("proposal %s merges into %s, which is not accepted in this revision", p.a.Ref(), target.a.Ref())
		}
		rv.status(p.a, StatusMerged, dc.Into, dc.Note)
		rv.merges = append(rv.merges, struct {
			a    *Amendment
			into string
		}{p.a, dc.Into})
		e := logFor(dc, p.a)
		e.Into = dc.Into
		rv.log(e)
	case ActBracket:
		return rv.bracket(k, dc)
	case ActClear, ActAgree:
		return rv.settleBracket(k, dc)
	case ActKeep:
		_, i := d.FindBracket(dc.BracketID)
		rv.log(LogEntry{Action: ActKeep, BracketID: dc.BracketID, ProvisionID: d.Provisions[i].ID, Note: dc.Note})
	case ActCompromise:
		i := d.Index(dc.ProvisionID)
		text := strings.TrimSpace(dc.Text)
		if text == "" {
			return plenary.Invalid(decisionField(k, "text"), "a compromise needs text; to delete the provision, accept a SUP")
		}
		edits, _, err := diffBody(d.Provisions[i].Body, text, decisionField(k, "text"))
		if err != nil {
			return err
		}
		origin := "the compromise on " + displayName(&d.Provisions[i])
		for _, e := range edits {
			rv.pl.per[i].edits = append(rv.pl.per[i].edits, bodyEdit{start: e.Start, end: e.End, parts: TextPart(e.New), origin: origin})
		}
		if len(dc.SourceIDs) == 0 {
			rv.pl.source(i, Source{Kind: SourceCompromise, Note: dc.Note})
		}
		for _, id := range dc.SourceIDs {
			a := rv.all[id]
			if a == nil {
				return plenary.Invalid(decisionField(k, "source_ids"), "no proposal %q", id)
			}
			s := amendmentSource(SourceCompromise, a)
			s.Note = dc.Note
			rv.pl.source(i, s)
		}
		rv.log(LogEntry{Action: ActCompromise, ProvisionID: dc.ProvisionID, Text: text, Note: dc.Note})
	}
	return nil
}

func (rv *reviser) accept(k int, dc *Decision) error {
	d := rv.an.d
	p := rv.an.byID[dc.AmendmentID]
	a := p.a
	to, kind := StatusAccepted, SourceAccepted
	text := strings.TrimSpace(dc.Text)
	if dc.Action == ActAcceptModified {
		to, kind = StatusAcceptedModified, SourceModified
		if a.Op != OpADD && a.Op != OpMOD {
			return plenary.Invalid(decisionField(k, "action"), "only ADD and MOD can be accepted as modified; %s is a %s", a.Ref(), a.Op)
		}
		if text == "" {
			return plenary.Invalid(decisionField(k, "text"), "accepting %s as modified needs the reworded text", a.Ref())
		}
	}
	e := logFor(dc, a)
	if dc.Action == ActAcceptModified {
		e.Text = text
	}
	switch a.Op {
	case OpADD:
		if text == "" {
			text = a.Text
		}
		if strings.ContainsAny(text, "[]") {
			return plenary.Invalid(decisionField(k, "text"), "square brackets are made with the bracket decision, not in text")
		}
		slot := 0
		if a.After != "" {
			slot = d.Index(a.After) + 1
		}
		np := newProvision(d, a, slot, TextPart(text))
		np.Sources = []Source{amendmentSource(kind, a)}
		rv.pl.ins[slot] = append(rv.pl.ins[slot], np)
		rv.provOf[a.ID] = -1
	case OpMOD:
		i := d.Index(a.Provision)
		edits := p.edits
		if dc.Action == ActAcceptModified {
			var err error
			edits, _, err = diffBody(d.Provisions[i].Body, text, decisionField(k, "text"))
			if err != nil {
				return err
			}
			if len(edits) == 0 {
				return plenary.Invalid(decisionField(k, "text"), "the reworded text is the current text of provision %s; reject %s instead", displayName(&d.Provisions[i]), a.Ref())
			}
		}
		for _, ed := range edits {
			rv.pl.per[i].edits = append(rv.pl.per[i].edits, bodyEdit{start: ed.Start, end: ed.End, parts: TextPart(ed.New), origin: a.Ref(), proposal: true})
		}
		rv.pl.source(i, amendmentSource(kind, a))
		rv.provOf[a.ID] = i
		e.ProvisionID = a.Provision
	case OpSUP:
		i := d.Index(a.Provision)
		if rv.pl.per[i].remove {
			// Another SUP of the same provision: agreed, nothing more to do.
		} else {
			rv.pl.per[i].remove, rv.pl.per[i].removedBy = true, a.Ref()
		}
		rv.provOf[a.ID] = -1
		e.ProvisionID = a.Provision
	case OpNOC:
		i := d.Index(a.Provision)
		rv.pl.source(i, amendmentSource(kind, a))
		rv.provOf[a.ID] = i
		e.ProvisionID = a.Provision
	}
	rv.status(a, to, "", dc.Note)
	rv.log(e)
	return nil
}

// bracket turns proposals into one bracket.
func (rv *reviser) bracket(k int, dc *Decision) error {
	d := rv.an.d
	var members []*prop
	for _, id := range dc.AmendmentIDs {
		members = append(members, rv.an.byID[id])
	}
	first := members[0].a
	isAdd := first.Op == OpADD
	for _, p := range members[1:] {
		if (p.a.Op == OpADD) != isAdd || p.a.Target() != first.Target() {
			return plenary.Invalid(decisionField(k, "amendment_ids"), "proposals %s and %s are not at the same place; a bracket joins proposals on one provision, or ADDs after the same one", first.Ref(), p.a.Ref())
		}
	}
	id := rv.pl.newBracketID()
	var b *Bracket
	if isAdd {
		slot := 0
		if first.After != "" {
			slot = d.Index(first.After) + 1
		}
		var err error
		if b, err = addAlternatives(members, dc.IncludeCurrent).bracket(id); err != nil {
			return err
		}
		np := newProvision(d, first, slot, []Part{{Bracket: b}})
		for _, p := range members {
			np.Sources = append(np.Sources, Source{Kind: SourceBracketed, AmendmentID: p.a.ID, Label: p.a.Label, Contribution: p.a.Contribution, BracketID: id})
		}
		rv.pl.ins[slot] = append(rv.pl.ins[slot], np)
	} else {
		i := d.Index(first.Provision)
		t := rv.pl.tokens(i)
		hasSUP := false
		for _, p := range members {
			if p.a.Op == OpSUP {
				hasSUP = true
			}
		}
		var as *alternatives
		var err error
		if hasSUP {
			as, err = wholeAlternatives(t, members, dc.IncludeCurrent)
		} else {
			s, e := -1, -1
			for _, p := range members {
				for _, ed := range p.edits {
					if s < 0 || ed.Start < s {
						s = ed.Start
					}
					e = max(e, ed.End)
				}
			}
			if s < 0 {
				return plenary.Invalid(decisionField(k, "amendment_ids"), "NOCs alone make no bracket")
			}
			as, err = spanAlternatives(t, s, e, members, dc.IncludeCurrent)
			if err == nil {
				b, err = as.bracket(id)
			}
			if err != nil {
				return err
			}
			rv.pl.per[i].edits = append(rv.pl.per[i].edits, bodyEdit{start: s, end: e, parts: []Part{{Bracket: b}}, origin: "bracket " + id})
		}
		if hasSUP {
			if err == nil {
				b, err = as.bracket(id)
			}
			if err != nil {
				return err
			}
			pp := &rv.pl.per[i]
			if pp.hasWhole {
				return plenary.Conflict("provision %s is already replaced by %s", displayName(&d.Provisions[i]), pp.wholeBy)
			}
			pp.whole, pp.hasWhole, pp.wholeBy = []Part{{Bracket: b}}, true, "bracket "+id
		}
		for _, p := range members {
			rv.pl.source(i, Source{Kind: SourceBracketed, AmendmentID: p.a.ID, Label: p.a.Label, Contribution: p.a.Contribution, BracketID: id})
		}
	}
	for _, p := range members {
		rv.status(p.a, StatusSuperseded, "", dc.Note)
		e := logFor(dc, p.a)
		e.BracketID = id
		if !isAdd {
			e.ProvisionID = first.Provision
		}
		rv.log(e)
	}
	return nil
}

// settleBracket clears a bracket or agrees it ad referendum.
func (rv *reviser) settleBracket(k int, dc *Decision) error {
	d := rv.an.d
	b, i := d.FindBracket(dc.BracketID)
	text := strings.TrimSpace(dc.Text)
	choice := dc.Alternative
	switch {
	case choice < 0 || choice > len(b.Alternatives):
		return plenary.Invalid(decisionField(k, "alternative"), "bracket %s has alternatives 1 to %d", b.ID, len(b.Alternatives))
	case choice > 0 && text != "":
		return plenary.Invalid(decisionField(k, "text"), "choose an alternative or write compromise text, not both")
	case choice == 0 && text == "" && dc.Action == ActClear && b.Agreed != nil:
		choice = *b.Agreed + 1
	case choice == 0 && text == "":
		return plenary.Invalid(decisionField(k, "alternative"), "choose an alternative of bracket %s or write compromise text", b.ID)
	}
	if strings.ContainsAny(text, "[]") {
		return plenary.Invalid(decisionField(k, "text"), "compromise text cannot hold square brackets")
	}
	var chosen *Alternative
	if choice > 0 {
		chosen = &b.Alternatives[choice-1]
		text = chosen.Text
	}
	prov := &d.Provisions[i]
	e := LogEntry{Action: dc.Action, BracketID: b.ID, ProvisionID: prov.ID, Alternative: choice, Text: text, Note: dc.Note}
	if dc.Action == ActAgree {
		bid := b.ID
		rv.pl.per[i].mutate = append(rv.pl.per[i].mutate, func(p *Provision) error {
			for _, pt := range p.Body {
				if nb := pt.Bracket; nb != nil && nb.ID == bid {
					nb.Status = BracketAdReferendum
					idx := choice - 1
					if choice == 0 {
						nb.Alternatives = append(nb.Alternatives, Alternative{Text: text})
						idx = len(nb.Alternatives) - 1
					}
					nb.Agreed = &idx
					return nil
				}
			}
			return plenary.Conflict("bracket %s is no longer in provision %s", bid, displayName(prov))
		})
		rv.pl.source(i, Source{Kind: SourceAdReferendum, BracketID: b.ID, Note: dc.Note})
		rv.log(e)
		return nil
	}
	// Clear: the chosen text replaces the bracket.
	if prov.WholeBracket() != nil && text == "" {
		pp := &rv.pl.per[i]
		if !pp.remove {
			pp.remove, pp.removedBy = true, "clearing bracket "+b.ID+" to no text"
		}
	} else {
		t := rv.pl.tokens(i)
		pos := -1
		for x := range t.br {
			if t.br[x] == b {
				pos = x
			}
		}
		rv.pl.per[i].edits = append(rv.pl.per[i].edits, bodyEdit{start: pos, end: pos + 1, parts: TextPart(text), tidy: true, origin: "clearing bracket " + b.ID})
	}
	if chosen != nil && len(chosen.Amendments) > 0 {
		for _, id := range chosen.Amendments {
			s := Source{Kind: SourceBracketCleared, AmendmentID: id, BracketID: b.ID, Note: dc.Note}
			if a := rv.all[id]; a != nil {
				s.Label, s.Contribution = a.Label, a.Contribution
			} else {
				// Proposals of earlier revisions: their label is in the
				// provision's drafting log.
				for _, old := range prov.Sources {
					if old.AmendmentID == id && old.Label != "" {
						s.Label, s.Contribution = old.Label, old.Contribution
					}
				}
			}
			rv.pl.source(i, s)
		}
	} else {
		rv.pl.source(i, Source{Kind: SourceBracketCleared, BracketID: b.ID, Note: dc.Note})
	}
	rv.log(e)
	return nil
}

func (rv *reviser) undecided(list []*prop) {
	for _, p := range list {
		if _, ok := rv.decided[p.a.ID]; !ok {
			rv.res.Undecided = append(rv.res.Undecided, p.a.ID)
		}
	}
}
