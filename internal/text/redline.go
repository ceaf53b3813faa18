package text

import (
	"sort"
	"strings"

	"github.com/plenary-forum/plenary/internal/text/worddiff"
)

// RedlineStatus says what happened to a provision between two revisions.
type RedlineStatus string

// The states of a provision in a redline.
const (
	RedlineUnchanged RedlineStatus = "unchanged"
	RedlineChanged   RedlineStatus = "changed"
	RedlineAdded     RedlineStatus = "added"
	RedlineDeleted   RedlineStatus = "deleted"
)

// Redline compares two revisions of a draft provision by provision.
type Redline struct {
	Title   string         `json:"title"`
	From    int            `json:"from"`
	To      int            `json:"to"`
	Entries []RedlineEntry `json:"entries"`
	Added   int            `json:"added"`
	Deleted int            `json:"deleted"`
	Changed int            `json:"changed"`
	Moved   int            `json:"moved"`
}

// RedlineEntry is one provision in a redline, in the order of the newer
// revision, deleted provisions standing after the provision that preceded
// them. Changes are word-level: for a changed provision the inline changes,
// for an added one its text inserted, for a deleted one deleted, for an
// unchanged one its text. Moved marks a provision whose place among the
// others changed; Relabelled one whose display number changed.
type RedlineEntry struct {
	ID         string        `json:"id"`
	OldID      string        `json:"old_id,omitempty"`
	Status     RedlineStatus `json:"status"`
	Moved      bool          `json:"moved,omitempty"`
	Relabelled bool          `json:"relabelled,omitempty"`
	Kind       Kind          `json:"kind"`
	Level      int           `json:"level,omitempty"`
	Intro      string        `json:"intro,omitempty"`
	OldLabel   string        `json:"old_label,omitempty"`
	Label      string        `json:"label,omitempty"`
	Changes    []Change      `json:"changes"`
}

// Compare makes the redline between two revisions of one draft, aligning
// provisions by their stable ids.
func Compare(oldDraft, newDraft *Draft) *Redline {
	oldIdx := oldDraft.index()
	newIdx := newDraft.index()
	r := &Redline{Title: newDraft.Title, From: oldDraft.Revision, To: newDraft.Revision}
	// Moved: common provisions outside the longest run kept in order.
	var common []int // old positions, in new order
	for i := range newDraft.Provisions {
		if j, ok := oldIdx[newDraft.Provisions[i].ID]; ok {
			common = append(common, j)
		}
	}
	inOrder := lisMembers(common)
	// Deleted provisions go after the nearest earlier old provision that
	// survives (or first).
	after := make(map[string][]int) // new id of the anchor ("" = start) -> deleted old positions
	anchor := ""
	for j := range oldDraft.Provisions {
		id := oldDraft.Provisions[j].ID
		if _, ok := newIdx[id]; ok {
			anchor = id
			continue
		}
		after[anchor] = append(after[anchor], j)
	}
	emitDeleted := func(anchor string) {
		for _, j := range after[anchor] {
			p := &oldDraft.Provisions[j]
			r.Entries = append(r.Entries, RedlineEntry{
				ID: p.ID, OldID: p.ID, Status: RedlineDeleted, Kind: p.Kind, Level: p.Level, Intro: p.Intro, OldLabel: p.Label,
				Changes: tokenChangesAll(OpDelete, tokenizeBody(p.Body)),
			})
			r.Deleted++
		}
	}
	emitDeleted("")
	k := 0
	for i := range newDraft.Provisions {
		np := &newDraft.Provisions[i]
		j, ok := oldIdx[np.ID]
		if !ok {
			r.Entries = append(r.Entries, RedlineEntry{
				ID: np.ID, Status: RedlineAdded, Kind: np.Kind, Level: np.Level, Intro: np.Intro, Label: np.Label,
				Changes: tokenChangesAll(OpInsert, tokenizeBody(np.Body)),
			})
			r.Added++
			continue
		}
		e := compareProvisions(&oldDraft.Provisions[j], np)
		e.Moved = !inOrder[k]
		k++
		r.count(&e)
		r.Entries = append(r.Entries, e)
		emitDeleted(np.ID)
	}
	return r
}

func (r *Redline) count(e *RedlineEntry) {
	if e.Status == RedlineChanged {
		r.Changed++
	}
	if e.Moved {
		r.Moved++
	}
}

// CompareByText makes a redline between two drafts whose provisions do not
// share ids (two imports of related texts): provisions are aligned by a
// line diff of their kinds, intros and texts, and the unmatched ones in each
// changed region are paired in order as changed provisions.
func CompareByText(oldDraft, newDraft *Draft) *Redline {
	key := func(p *Provision) string {
		return string(p.Kind) + "\x00" + p.Intro + "\x00" + bodyKey(p.Body)
	}
	a := make([]string, len(oldDraft.Provisions))
	for i := range oldDraft.Provisions {
		a[i] = key(&oldDraft.Provisions[i])
	}
	b := make([]string, len(newDraft.Provisions))
	for i := range newDraft.Provisions {
		b[i] = key(&newDraft.Provisions[i])
	}
	r := &Redline{Title: newDraft.Title, From: oldDraft.Revision, To: newDraft.Revision}
	pa, pb := 0, 0
	same := func(n int) {
		for x := range n {
			e := compareProvisions(&oldDraft.Provisions[pa+x], &newDraft.Provisions[pb+x])
			r.count(&e)
			r.Entries = append(r.Entries, e)
		}
		pa, pb = pa+n, pb+n
	}
	for _, h := range worddiff.Hunks(a, b) {
		same(h.A0 - pa)
		n := min(h.A1-h.A0, h.B1-h.B0)
		for x := range n {
			e := compareProvisions(&oldDraft.Provisions[h.A0+x], &newDraft.Provisions[h.B0+x])
			r.count(&e)
			r.Entries = append(r.Entries, e)
		}
		for x := h.A0 + n; x < h.A1; x++ {
			p := &oldDraft.Provisions[x]
			r.Entries = append(r.Entries, RedlineEntry{ID: p.ID, OldID: p.ID, Status: RedlineDeleted, Kind: p.Kind, Level: p.Level, Intro: p.Intro, OldLabel: p.Label, Changes: tokenChangesAll(OpDelete, tokenizeBody(p.Body))})
			r.Deleted++
		}
		for x := h.B0 + n; x < h.B1; x++ {
			p := &newDraft.Provisions[x]
			r.Entries = append(r.Entries, RedlineEntry{ID: p.ID, Status: RedlineAdded, Kind: p.Kind, Level: p.Level, Intro: p.Intro, Label: p.Label, Changes: tokenChangesAll(OpInsert, tokenizeBody(p.Body))})
			r.Added++
		}
		pa, pb = h.A1, h.B1
	}
	same(len(a) - pa)
	return r
}

// bodyKey is a body's text with each bracket's id and state, so that a
// bracket that changed state compares unequal.
func bodyKey(body []Part) string {
	var sb strings.Builder
	for _, pt := range body {
		if pt.Bracket != nil {
			sb.WriteString("\x00" + bracketKey(pt.Bracket))
		} else {
			sb.WriteString(pt.Text)
		}
	}
	return sb.String()
}

func bracketKey(b *Bracket) string {
	k := b.ID + "\x00" + string(b.Status) + "\x00" + b.Plain()
	if b.Agreed != nil {
		k += "\x00" + itoa(*b.Agreed)
	}
	return k
}

// compareProvisions compares two versions of a provision word by word.
func compareProvisions(o, n *Provision) RedlineEntry {
	e := RedlineEntry{
		ID: n.ID, OldID: o.ID, Status: RedlineUnchanged, Kind: n.Kind, Level: n.Level, Intro: n.Intro,
		OldLabel: o.Label, Label: n.Label, Relabelled: o.Label != n.Label,
	}
	if o.ID == n.ID {
		e.OldID = ""
	}
	ot, nt := tokenizeBody(o.Body), tokenizeBody(n.Body)
	for k, b := range ot.br {
		if b != nil {
			ot.key[k] = "\x00" + bracketKey(b)
		}
	}
	for k, b := range nt.br {
		if b != nil {
			nt.key[k] = "\x00" + bracketKey(b)
		}
	}
	hs := worddiff.MergeHunks(worddiff.Hunks(ot.key, nt.key), func(i int) bool {
		return ot.br[i] == nil && !worddiff.IsWord(ot.text[i])
	})
	if len(hs) > 0 || o.Kind != n.Kind || o.Intro != n.Intro {
		e.Status = RedlineChanged
	}
	var out []Change
	add := func(op Op, t bodyTokens, i, j int) {
		for k := i; k < j; k++ {
			if b := t.br[k]; b != nil {
				out = append(out, Change{Op: op, Text: t.text[k], Bracket: b.ID})
				continue
			}
			if m := len(out); m > 0 && out[m-1].Op == op && out[m-1].Bracket == "" {
				out[m-1].Text += t.text[k]
				continue
			}
			out = append(out, Change{Op: op, Text: t.text[k]})
		}
	}
	pa := 0
	for _, h := range hs {
		add(OpEqual, ot, pa, h.A0)
		add(OpDelete, ot, h.A0, h.A1)
		add(OpInsert, nt, h.B0, h.B1)
		pa = h.A1
	}
	add(OpEqual, ot, pa, len(ot.text))
	e.Changes = out
	return e
}

func tokenChangesAll(op Op, t bodyTokens) []Change {
	var out []Change
	for k := range t.text {
		if b := t.br[k]; b != nil {
			out = append(out, Change{Op: op, Text: t.text[k], Bracket: b.ID})
			continue
		}
		if m := len(out); m > 0 && out[m-1].Bracket == "" {
			out[m-1].Text += t.text[k]
			continue
		}
		out = append(out, Change{Op: op, Text: t.text[k]})
	}
	return out
}

// lisMembers marks the members of one longest increasing subsequence of s.
func lisMembers(s []int) []bool {
	in := make([]bool, len(s))
	if len(s) == 0 {
		return in
	}
	tails := []int{}
	prev := make([]int, len(s))
	for i, v := range s {
		k := sort.Search(len(tails), func(j int) bool { return s[tails[j]] >= v })
		prev[i] = -1
		if k > 0 {
			prev[i] = tails[k-1]
		}
		if k == len(tails) {
			tails = append(tails, i)
		} else {
			tails[k] = i
		}
	}
	for i := tails[len(tails)-1]; i >= 0; i = prev[i] {
		in[i] = true
	}
	return in
}
