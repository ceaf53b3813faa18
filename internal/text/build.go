package text

import (
	"sort"
	"strings"

	"github.com/plenary-forum/plenary"
)

// plan collects what happens to each provision of a revision, then builds
// the new draft in one pass. Consolidate and Revise both use it.
type plan struct {
	d           *Draft
	toks        []bodyTokens
	tokenized   []bool
	per         []provPlan
	ins         [][]Provision // per slot: 0 = start, i+1 = after provision i
	nextBracket int
	revision    int // the revision number written in sources
}

type provPlan struct {
	edits     []bodyEdit
	whole     []Part
	hasWhole  bool
	wholeBy   string
	remove    bool
	removedBy string
	sources   []Source
	mutate    []func(*Provision) error
}

func newPlan(d *Draft, revision int) *plan {
	n := len(d.Provisions)
	return &plan{
		d: d, toks: make([]bodyTokens, n), tokenized: make([]bool, n),
		per: make([]provPlan, n), ins: make([][]Provision, n+1),
		nextBracket: max(d.NextBracket, 1), revision: revision,
	}
}

func (pl *plan) tokens(i int) bodyTokens {
	if !pl.tokenized[i] {
		pl.toks[i] = tokenizeBody(pl.d.Provisions[i].Body)
		pl.tokenized[i] = true
	}
	return pl.toks[i]
}

func (pl *plan) newBracketID() string {
	id := "b" + itoa(pl.nextBracket)
	pl.nextBracket++
	return id
}

func (pl *plan) source(i int, s Source) {
	s.Revision = pl.revision
	pl.per[i].sources = append(pl.per[i].sources, s)
}

func amendmentSource(kind SourceKind, a *Amendment) Source {
	return Source{Kind: kind, AmendmentID: a.ID, Label: a.Label, Contribution: a.Contribution}
}

// newProvision makes the provision an ADD proposes, without an id.
func newProvision(d *Draft, a *Amendment, slot int, body []Part) Provision {
	k, intro := a.Kind, a.Intro
	if k == "" {
		k, intro = neighbourKind(d, slot)
	}
	p := Provision{Kind: k, Intro: intro, Body: body}
	if a.NewLabel != "" {
		p.Label, p.LabelFixed = a.NewLabel, true
	}
	return p
}

// build makes the new draft. It fails when two changes touch the same words
// of a provision, or when a provision is both deleted and changed.
func (pl *plan) build() (*Draft, error) {
	d := pl.d
	nd := &Draft{Title: d.Title, Revision: d.Revision, NextProvision: max(d.NextProvision, 1), NextBracket: pl.nextBracket}
	nd.Provisions = make([]Provision, 0, len(d.Provisions)+len(pl.ins[0]))
	insert := func(slot int) {
		for _, p := range pl.ins[slot] {
			p.ID = nd.newProvisionID()
			p.Body = normalizeBody(p.Body)
			for k := range p.Sources {
				p.Sources[k].Revision = pl.revision
			}
			nd.Provisions = append(nd.Provisions, p)
		}
	}
	insert(0)
	for i := range d.Provisions {
		old := &d.Provisions[i]
		pp := &pl.per[i]
		if pp.remove {
			if len(pp.edits) > 0 || pp.hasWhole || len(pp.mutate) > 0 {
				by := pp.wholeBy
				if len(pp.edits) > 0 {
					by = pp.edits[0].origin
				}
				if by == "" {
					by = "a bracket decision"
				}
				return nil, plenary.Conflict("provision %s is deleted by %s and changed by %s", displayName(old), pp.removedBy, by)
			}
			insert(i + 1)
			continue
		}
		p := *old
		p.Sources = append(append([]Source(nil), old.Sources...), pp.sources...)
		switch {
		case pp.hasWhole && len(pp.edits) > 0:
			return nil, plenary.Conflict("provision %s is replaced by %s and changed by %s", displayName(old), pp.wholeBy, pp.edits[0].origin)
		case pp.hasWhole:
			p.Body = pp.whole
		case len(pp.edits) > 0:
			edits := pp.edits
			sort.SliceStable(edits, func(x, y int) bool {
				if edits[x].start != edits[y].start {
					return edits[x].start < edits[y].start
				}
				return edits[x].end < edits[y].end
			})
			// The same change asked twice (two proposals agreeing) is made once.
			uniq := edits[:1]
			for _, e := range edits[1:] {
				if last := uniq[len(uniq)-1]; sameTextEdit(last, e) {
					continue
				}
				uniq = append(uniq, e)
			}
			edits = uniq
			for k := 1; k < len(edits); k++ {
				a, b := edits[k-1], edits[k]
				clash := overlapsStrictly(a.start, a.end, b.start, b.end)
				if a.proposal && b.proposal {
					// Proposals that collide in the compilation may not be
					// accepted together.
					clash = overlaps(a.start, a.end, b.start, b.end)
				}
				if clash {
					return nil, plenary.Conflict("%s and %s change the same words of provision %s; accept one of them, reword one with accept_modified, or make a bracket", a.origin, b.origin, displayName(old))
				}
			}
			p.Body = applyBody(pl.tokens(i), edits)
		default:
			p.Body = cloneBody(old.Body)
		}
		for _, f := range pp.mutate {
			if err := f(&p); err != nil {
				return nil, err
			}
		}
		if len(p.Body) == 0 && p.Kind != KindArticle {
			insert(i + 1)
			continue
		}
		nd.Provisions = append(nd.Provisions, p)
		insert(i + 1)
	}
	nd.Renumber()
	return nd, nil
}

// overlapsStrictly is overlaps without the margin: an insertion at either
// end of a replaced range is applied beside it. The editor's own changes
// (compromise text, cleared brackets) need only not contradict others.
func overlapsStrictly(s1, e1, s2, e2 int) bool {
	switch {
	case s1 < e1 && s2 < e2:
		return s1 < e2 && s2 < e1
	case s1 == e1 && s2 == e2:
		return s1 == s2
	case s1 == e1:
		return s2 < s1 && s1 < e2
	default:
		return s1 < s2 && s2 < e1
	}
}

// sameTextEdit reports whether two edits replace the same tokens by the
// same text.
func sameTextEdit(a, b bodyEdit) bool {
	if a.start != b.start || a.end != b.end || len(a.parts) != len(b.parts) {
		return false
	}
	for k := range a.parts {
		if a.parts[k].Bracket != nil || b.parts[k].Bracket != nil || a.parts[k].Text != b.parts[k].Text {
			return false
		}
	}
	return true
}

// alternatives collects bracket alternatives, merging equal texts.
type alternatives struct {
	list []Alternative
}

func (as *alternatives) add(text string, current bool, supporters []string, amendment string) {
	for k := range as.list {
		if as.list[k].Text == text {
			as.list[k].Supporters = appendUnique(as.list[k].Supporters, supporters...)
			as.list[k].Amendments = appendUnique(as.list[k].Amendments, amendment)
			as.list[k].Current = as.list[k].Current || current
			return
		}
	}
	alt := Alternative{Text: text, Current: current, Supporters: appendUnique(nil, supporters...)}
	if amendment != "" {
		alt.Amendments = []string{amendment}
	}
	as.list = append(as.list, alt)
}

func (as *alternatives) bracket(id string) (*Bracket, error) {
	if len(as.list) < 2 {
		return nil, plenary.Conflict("the proposals give only one text; there is nothing to bracket")
	}
	for _, a := range as.list {
		if strings.ContainsAny(a.Text, "[]") {
			return nil, plenary.Conflict("an alternative holds a square bracket; brackets do not nest")
		}
	}
	return &Bracket{ID: id, Status: BracketOpen, Alternatives: as.list}, nil
}

// spanAlternatives builds the alternatives for tokens s..e-1 of a body: the
// current words (when current) and each MOD's version of them. NOC
// supporters support the current words. It fails when the span holds a
// bracket.
func spanAlternatives(t bodyTokens, s, e int, members []*prop, current bool) (*alternatives, error) {
	for k := s; k < e; k++ {
		if t.br[k] != nil {
			return nil, plenary.Conflict("the colliding proposals surround bracket %s; clear it first", t.br[k].ID)
		}
	}
	as := &alternatives{}
	var nocs []string
	for _, p := range members {
		if p.a.Op == OpNOC {
			nocs = appendUnique(nocs, p.a.Proponents()...)
			current = true
		}
	}
	if current {
		as.add(strings.Join(t.text[s:e], ""), true, nocs, "")
		for _, p := range members {
			if p.a.Op == OpNOC {
				as.list[0].Amendments = appendUnique(as.list[0].Amendments, p.a.ID)
			}
		}
	}
	for _, p := range members {
		if p.a.Op != OpMOD {
			continue
		}
		var sb strings.Builder
		pos := s
		for _, ed := range p.edits {
			if ed.Start < s || ed.End > e {
				return nil, plenary.Conflict("proposal %s reaches outside the bracketed words", p.a.Ref())
			}
			sb.WriteString(strings.Join(t.text[pos:ed.Start], ""))
			sb.WriteString(ed.New)
			pos = ed.End
		}
		sb.WriteString(strings.Join(t.text[pos:e], ""))
		as.add(strings.TrimSpace(sb.String()), false, p.a.Proponents(), p.a.ID)
	}
	return as, nil
}

// wholeAlternatives builds the alternatives for a whole provision: the
// current text (when current, or when a NOC supports it), each MOD's text,
// and no text for SUP. It fails when the provision holds a bracket.
func wholeAlternatives(t bodyTokens, members []*prop, current bool) (*alternatives, error) {
	as, err := spanAlternatives(t, 0, len(t.text), members, current)
	if err != nil {
		return nil, err
	}
	for _, p := range members {
		if p.a.Op == OpSUP {
			as.add("", false, p.a.Proponents(), p.a.ID)
		}
	}
	return as, nil
}

// addAlternatives builds the alternatives for colliding ADDs: each text,
// and no text when current.
func addAlternatives(members []*prop, current bool) *alternatives {
	as := &alternatives{}
	if current {
		as.add("", true, nil, "")
	}
	for _, p := range members {
		as.add(p.a.Text, false, p.a.Proponents(), p.a.ID)
	}
	return as
}
