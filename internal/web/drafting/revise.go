package drafting

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/web"
)

// The editor's form for the next revision. Its fields are named after
// what they decide:
//
//	col-<collision>          each | bracket        (make a bracket of a collision in one step)
//	col-<collision>-current  1                     (keep the current text as an alternative)
//	am-<proposal>            "" | accept | accept_modified | reject | note | merge | supersede
//	am-<proposal>-reason     the reason for the decision, shown wherever the decision is
//	am-<proposal>-text       the reworded text, for accept_modified
//	am-<proposal>-into       the proposal it merges into
//	br-<bracket>             keep | clear | agree_ad_referendum
//	br-<bracket>-alt         1, 2... or text
//	br-<bracket>-text        compromise text
//	comp-provision, comp-text  compromise text for one provision
//	title, note, revision
//	series                   "" | the slug of a series to also issue the revision in

// revisePage is the editor's form.
type revisePage struct {
	draftBase
	Rev        *text.Draft
	Collisions []collisionRow
	Proposals  []proposalRow
	Brackets   []bracketRow
	Provisions []provChoice
	Form       url.Values
	// Series are the forum's numbering series the revision may also be
	// issued in (DT/55).
	Series []documents.Series
}

// Val is the value of a form field as sent (or its default).
func (p revisePage) Val(name string) string { return p.Form.Get(name) }

// Is reports whether a form field has the value v.
func (p revisePage) Is(name, v string) bool { return p.Form.Get(name) == v }

type collisionRow struct {
	text.Collision
	Where string
	Names string
	Words string
}

type proposalRow struct {
	text.CompiledProposal
	Where   string
	Changes template.HTML
	// Current is the provision's text, to start a rewording from.
	Current string
	Others  []provChoice // proposals it may merge into (ID, Name)
}

func (h *handler) reviseForm(r *http.Request, form url.Values) (revisePage, error) {
	db, f, err := h.draftBase(r, "Next revision of", "revise")
	if err != nil {
		return revisePage{}, err
	}
	ctx := r.Context()
	if _, err := h.svc.Drafting.AuthorizeRevision(ctx, h.Scope(r, f)); err != nil {
		return revisePage{}, err
	}
	cv, err := h.svc.Drafting.Compilation(ctx, h.Scope(r, f), db.Draft.ID)
	if err != nil {
		return revisePage{}, err
	}
	rv, err := h.svc.Drafting.DraftRevision(ctx, h.Scope(r, f), db.Draft.ID, 0)
	if err != nil {
		return revisePage{}, err
	}
	c := cv.Compilation
	p := revisePage{draftBase: db, Rev: rv.Text, Form: form}
	if p.Series, err = h.svc.Documents.DocSeries(ctx, h.Scope(r, f)); err != nil {
		return revisePage{}, err
	}
	names := map[string]string{}
	var all []text.CompiledProposal
	place := map[string]string{}
	add := func(list []text.CompiledProposal, where, current string) {
		for _, cp := range list {
			all = append(all, cp)
			names[cp.AmendmentID] = cp.Name()
			place[cp.AmendmentID] = where
			p.Proposals = append(p.Proposals, proposalRow{CompiledProposal: cp, Where: where, Current: current,
				Changes: export.ChangesHTML(cp.Changes, nil, text.RenderOptions{})})
		}
	}
	add(c.AtStart, "at the start of the text", "")
	for i := range c.Entries {
		e := &c.Entries[i]
		name := drafting.ProvisionName(&e.Provision)
		p.Provisions = append(p.Provisions, provChoice{ID: e.Provision.ID, Name: name, Text: e.Provision.Text()})
		add(e.Proposals, name, e.Provision.Text())
		add(e.Added, "after "+name, "")
	}
	for i := range p.Proposals {
		for _, o := range all {
			if o.AmendmentID != p.Proposals[i].AmendmentID {
				p.Proposals[i].Others = append(p.Proposals[i].Others, provChoice{ID: o.AmendmentID, Name: o.Name()})
			}
		}
	}
	for _, col := range c.Collisions {
		row := collisionRow{Collision: col, Words: col.Kind.Label()}
		var ns []string
		for _, id := range col.Amendments {
			ns = append(ns, names[id])
		}
		row.Names = strings.Join(ns, ", ")
		if len(col.Amendments) > 0 {
			row.Where = place[col.Amendments[0]]
		}
		p.Collisions = append(p.Collisions, row)
	}
	p.Brackets = bracketRows(rv.Text, nil)
	if p.Form == nil {
		p.Form = url.Values{}
		for _, col := range p.Collisions {
			p.Form.Set("col-"+col.ID, "each")
		}
		for _, br := range p.Brackets {
			p.Form.Set("br-"+br.Bracket.ID, "keep")
		}
		for _, pr := range p.Proposals {
			p.Form.Set("am-"+pr.AmendmentID+"-text", pr.Current)
		}
		p.Form.Set("revision", strconv.Itoa(rv.Text.Revision))
	}
	return p, nil
}

func (h *handler) showRevise(w http.ResponseWriter, r *http.Request) error {
	p, err := h.reviseForm(r, nil)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "draft_revise", p)
	return nil
}

// revisionInput reads the editor's form against the form's own page:
// decisions per proposal, collision and bracket, and the field each
// decision came from, to report errors against.
func revisionInput(form url.Values, p revisePage) (drafting.RevisionInput, []string) {
	in := drafting.RevisionInput{Title: form.Get("title"), Note: form.Get("note"), Series: form.Get("series")}
	in.Revision = formRevision(form.Get("revision"))
	var fields []string
	bracketed := map[string]bool{}
	for _, col := range p.Collisions {
		if form.Get("col-"+col.ID) != "bracket" {
			continue
		}
		in.Brackets = append(in.Brackets, drafting.CollisionBracket{Collision: col.ID, IncludeCurrent: form.Get("col-"+col.ID+"-current") == "1"})
		for _, id := range col.Amendments {
			bracketed[id] = true
		}
	}
	decide := func(dc text.Decision, field string) {
		in.Decisions = append(in.Decisions, dc)
		fields = append(fields, field)
	}
	for _, pr := range p.Proposals {
		id := pr.AmendmentID
		key := "am-" + id
		v := form.Get(key)
		if v == "" || bracketed[id] {
			continue
		}
		reason := strings.TrimSpace(form.Get(key + "-reason"))
		switch text.Action(v) {
		case text.ActAcceptModified:
			decide(text.Decision{Action: text.ActAcceptModified, AmendmentID: id, Text: form.Get(key + "-text"), Note: reason}, key+"-text")
		case text.ActMerge:
			decide(text.Decision{Action: text.ActMerge, AmendmentID: id, Into: form.Get(key + "-into"), Note: reason}, key+"-into")
		default:
			decide(text.Decision{Action: text.Action(v), AmendmentID: id, Note: reason}, key)
		}
	}
	for _, br := range p.Brackets {
		key := "br-" + br.Bracket.ID
		v := form.Get(key)
		if v == "" || v == string(text.ActKeep) {
			continue
		}
		dc := text.Decision{Action: text.Action(v), BracketID: br.Bracket.ID}
		field := key + "-alt"
		if alt := form.Get(key + "-alt"); alt == "text" {
			dc.Text, field = form.Get(key+"-text"), key+"-text"
		} else {
			dc.Alternative, _ = strconv.Atoi(alt)
		}
		decide(dc, field)
	}
	if pid, t := form.Get("comp-provision"), strings.TrimSpace(form.Get("comp-text")); pid != "" && t != "" {
		decide(text.Decision{Action: text.ActCompromise, ProvisionID: pid, Text: t}, "comp-text")
	}
	return in, fields
}

var decisionFieldRE = regexp.MustCompile(`^decisions\[(\d+)\]`)
var bracketFieldRE = regexp.MustCompile(`^brackets\[(\d+)\]`)

// formFieldOf turns a command's field name into the form's.
func formFieldOf(field string, fields []string, in drafting.RevisionInput) string {
	if m := decisionFieldRE.FindStringSubmatch(field); m != nil {
		if k, _ := strconv.Atoi(m[1]); k < len(fields) {
			return fields[k]
		}
	}
	if m := bracketFieldRE.FindStringSubmatch(field); m != nil {
		if k, _ := strconv.Atoi(m[1]); k < len(in.Brackets) {
			return "col-" + in.Brackets[k].Collision
		}
	}
	return field
}

func (h *handler) issueRevision(w http.ResponseWriter, r *http.Request) error {
	form := r.PostForm
	p, err := h.reviseForm(r, form)
	if err != nil {
		return err
	}
	in, fields := revisionInput(form, p)
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	out, err := h.svc.Drafting.IssueRevision(r.Context(), sc, r.PathValue("id"), in)
	if errs, problem, ok := web.FieldErrors(err); ok {
		p.Errors = map[string]string{}
		for f, m := range errs {
			p.Errors[formFieldOf(f, fields, in)] = m
		}
		p.Problem = problem
		h.Render(w, r, http.StatusUnprocessableEntity, "draft_revise", p)
		return nil
	}
	var pe *plenary.Error
	if errors.As(err, &pe) && pe.Code == plenary.CodeConflict {
		p.Problem = pe.Message
		h.Render(w, r, http.StatusConflict, "draft_revise", p)
		return nil
	}
	if err != nil {
		return err
	}
	msg := out.Info.Label + " is issued: revision " + strconv.Itoa(out.Info.Revision) + ", " + strconv.Itoa(out.Info.OpenBrackets) + " open brackets"
	if n := len(out.CarriedOver); n > 0 {
		msg += "; " + strconv.Itoa(n) + " undecided proposals carried over"
	}
	if n := len(out.Superseded); n > 0 {
		msg += "; " + strconv.Itoa(n) + " superseded because their provision changed"
	}
	if out.DocumentNumber != "" {
		msg += "; also issued as " + out.DocumentNumber
	}
	return h.Redirect(w, r, "/forums/"+r.PathValue("slug")+"/drafts/"+r.PathValue("id")+"/redline?from="+
		strconv.Itoa(out.Info.Revision-1)+"&to="+strconv.Itoa(out.Info.Revision), msg+".")
}
