package drafting

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/web"
)

// compilationPage is the synoptic view of the current revision, updated
// live when a proposal arrives.
type compilationPage struct {
	draftBase
	View drafting.CompilationView
	HTML template.HTML
	// Frozen are the compilations of this draft text frozen as numbered
	// documents; Freeze the form to freeze it, for those who may.
	Frozen []drafting.DraftDocument
	Freeze freezeForm
}

// compilationPage loads the compilation of the draft text.
func (h *handler) compilationPage(r *http.Request) (compilationPage, forum.Forum, error) {
	db, f, err := h.draftBase(r, "Compilation of", "compilation")
	if err != nil {
		return compilationPage{}, f, err
	}
	cv, err := h.svc.Drafting.Compilation(r.Context(), h.Scope(r, f), db.Draft.ID)
	if err != nil {
		return compilationPage{}, f, err
	}
	head, err := h.svc.Kernel.Store().HeadSeq(r.Context(), f.ID)
	if err != nil {
		return compilationPage{}, f, err
	}
	db.Live = fmt.Sprintf("/forums/%s/events?since=%d", f.Slug, head)
	opts, err := h.renderOptions(r, f, text.RenderOptions{ContributionLink: func(id string) (string, string) {
		number := cv.Contributions[id]
		if number == "" {
			return "", ""
		}
		return number, "/forums/" + f.Slug + "/documents/" + id
	}})
	if err != nil {
		return compilationPage{}, f, err
	}
	return compilationPage{draftBase: db, View: cv, HTML: demoteHeadings(export.CompilationHTML(cv.Compilation, opts))}, f, nil
}

func (h *handler) showCompilation(w http.ResponseWriter, r *http.Request) error {
	p, f, err := h.compilationPage(r)
	if err != nil {
		return err
	}
	if err := h.loadFreeze(r, f, &p, drafting.FreezeInput{}); err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "draft_compilation", p)
	return nil
}

// amendmentsPage lists the proposals on a draft text.
type amendmentsPage struct {
	draftBase
	Filter    drafting.AmendmentFilter
	Items     []amendmentRow
	Statuses  []forum.Choice
	Anonymous bool
}

type amendmentRow struct {
	drafting.Amendment
	Where        string
	Changes      template.HTML
	MayWithdraw  bool
	MayCosponsor bool
}

// Proponents lists the proposer and co-sponsors.
func (a amendmentRow) Proponents() string { return strings.Join(a.Amendment.Proponents(), ", ") }

// amendmentStatuses are the states a list of proposals may be filtered by.
var amendmentStatuses = forum.Choices(text.Statuses(), text.Status.Label)

func (h *handler) showAmendments(w http.ResponseWriter, r *http.Request) error {
	db, f, err := h.draftBase(r, "Proposals on", "amendments")
	if err != nil {
		return err
	}
	ctx := r.Context()
	q := r.URL.Query()
	flt := drafting.AmendmentFilter{Status: q.Get("status")}
	if flt.Revision, err = revisionParam(r, "revision"); err != nil {
		return err
	}
	p := amendmentsPage{draftBase: db, Filter: flt, Statuses: amendmentStatuses}
	ams, err := h.svc.Drafting.Amendments(ctx, h.Scope(r, f), db.Draft.ID, flt)
	if errs, problem, ok := web.FieldErrors(err); ok {
		p.Errors, p.Problem = errs, problem
		ams, err = h.svc.Drafting.Amendments(ctx, h.Scope(r, f), db.Draft.ID, drafting.AmendmentFilter{})
	}
	if err != nil {
		return err
	}
	revs := map[int]*text.Draft{}
	for _, am := range ams {
		d := revs[am.Revision]
		if d == nil {
			rv, err := h.svc.Drafting.DraftRevision(ctx, h.Scope(r, f), db.Draft.ID, am.Revision)
			if err != nil {
				return err
			}
			d, revs[am.Revision] = rv.Text, rv.Text
		}
		row := amendmentRow{Amendment: am, Changes: export.ChangesHTML(export.Changes(d, am.Amendment), nil, text.RenderOptions{})}
		if pv, ok := d.Provision(am.Target()); ok {
			row.Where = drafting.ProvisionName(pv)
			if am.Op == text.OpADD {
				row.Where = "after " + row.Where
			}
		} else if am.Op == text.OpADD && am.After == "" {
			row.Where = "at the start of the text"
		}
		if row.MayWithdraw, err = h.svc.Drafting.MayWithdraw(ctx, h.Scope(r, f), am); err != nil {
			return err
		}
		if row.MayCosponsor, err = h.svc.Drafting.MayCosponsor(ctx, h.Scope(r, f), am); err != nil {
			return err
		}
		p.Anonymous = p.Anonymous || am.Anonymous
		p.Items = append(p.Items, row)
	}
	status := http.StatusOK
	if p.Problem != "" {
		status = http.StatusUnprocessableEntity
	}
	h.Render(w, r, status, "draft_amendments", p)
	return nil
}

func (h *handler) withdrawAmendment(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	am, err := h.svc.Drafting.WithdrawAmendment(r.Context(), sc, r.PathValue("id"), r.PathValue("aid"), r.PostFormValue("reason"))
	if err != nil {
		return err
	}
	return h.Redirect(w, r, "/forums/"+r.PathValue("slug")+"/drafts/"+r.PathValue("id")+"/amendments#am-"+am.ID, am.Label+" is withdrawn.")
}

func (h *handler) cosponsorAmendment(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	am, err := h.svc.Drafting.CosponsorAmendment(r.Context(), sc, r.PathValue("id"), r.PathValue("aid"), r.PostFormValue("party"))
	if err != nil {
		return err
	}
	return h.Redirect(w, r, "/forums/"+r.PathValue("slug")+"/drafts/"+r.PathValue("id")+"/amendments#am-"+am.ID,
		"You co-sponsor "+am.Label+".")
}

// proposePage is the form to propose a change to a provision: the
// delegate edits the provision's text, and the server works out the word
// changes.
type proposePage struct {
	draftBase
	In            drafting.ProposalInput
	Provisions    []provChoice
	Parties       []documents.SourceParty
	Contributions []documents.Document
	Kinds         []forum.Choice
	// Chosen is the provision the form is about.
	Chosen provChoice
}

type provChoice struct {
	ID, Name, Text string
}

// addKinds are the kinds a new provision may have: by default that of the
// provision before it.
var addKinds = append([]forum.Choice{{Value: "", Label: "Like the provision before it"}}, forum.Choices(text.Kinds(), text.Kind.Label)...)

func (h *handler) proposeForm(r *http.Request, in drafting.ProposalInput) (proposePage, error) {
	db, f, err := h.draftBase(r, "Propose a change to", "propose")
	if err != nil {
		return proposePage{}, err
	}
	ctx := r.Context()
	rv, err := h.svc.Drafting.DraftRevision(ctx, h.Scope(r, f), db.Draft.ID, 0)
	if err != nil {
		return proposePage{}, err
	}
	p := proposePage{draftBase: db, In: in, Kinds: addKinds}
	if p.In.Revision == 0 {
		p.In.Revision = rv.Text.Revision
	}
	for i := range rv.Text.Provisions {
		pv := &rv.Text.Provisions[i]
		c := provChoice{ID: pv.ID, Name: drafting.ProvisionName(pv), Text: pv.Text()}
		p.Provisions = append(p.Provisions, c)
		if pv.ID == in.Provision || pv.ID == in.After && in.Op == string(text.OpADD) {
			p.Chosen = c
		}
	}
	rt := db.Rights
	switch {
	case rt.Secretariat:
		parties, err := h.svc.Participation.Parties(ctx, h.Scope(r, f))
		if err != nil {
			return p, err
		}
		for _, pt := range parties {
			if pt.Active() {
				p.Parties = append(p.Parties, documents.SourceParty{ID: pt.ID, Code: pt.Code, Name: pt.Name})
			}
		}
	case rt.ProposeFor.ID != "":
		docs, err := h.svc.Documents.Documents(ctx, h.Scope(r, f), documents.DocumentFilter{Party: rt.ProposeFor.ID, Status: documents.DocCurrent})
		if err != nil {
			return p, err
		}
		for _, d := range docs {
			if d.Type == documents.DocContribution || d.Type == documents.DocProposal {
				p.Contributions = append(p.Contributions, d)
			}
		}
	}
	return p, nil
}

func (h *handler) showPropose(w http.ResponseWriter, r *http.Request) error {
	if !forum.ActorFrom(r.Context()).LoggedIn() {
		return plenary.Unauthorized("log in to propose a change")
	}
	q := r.URL.Query()
	in := drafting.ProposalInput{Op: strings.ToUpper(q.Get("op")), Provision: q.Get("provision")}
	if in.Op == "" {
		in.Op = string(text.OpMOD)
	}
	p, err := h.proposeForm(r, in)
	if err != nil {
		return err
	}
	if p.Chosen.ID == "" && len(p.Provisions) > 0 {
		p.Chosen = p.Provisions[0]
		p.In.Provision = p.Chosen.ID
	}
	if p.In.Op == string(text.OpMOD) {
		p.In.Text = p.Chosen.Text
	}
	h.Render(w, r, http.StatusOK, "draft_propose", p)
	return nil
}

func (h *handler) proposeAmendment(w http.ResponseWriter, r *http.Request) error {
	in := drafting.ProposalInput{Op: r.PostFormValue("op"), Provision: r.PostFormValue("provision"), Text: r.PostFormValue("text"),
		Kind: r.PostFormValue("kind"), Intro: r.PostFormValue("intro"), Party: r.PostFormValue("party"),
		Rationale: r.PostFormValue("rationale"), Contribution: r.PostFormValue("contribution")}
	in.Revision = formRevision(r.PostFormValue("revision"))
	sent := in
	if strings.EqualFold(in.Op, string(text.OpADD)) {
		in.After, in.Provision = in.Provision, ""
	}
	if op := text.AmendOp(strings.ToUpper(in.Op)); op == text.OpSUP || op == text.OpNOC {
		in.Text = "" // the box holds the current text; a deletion or no change takes none
	}
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	am, err := h.svc.Drafting.ProposeAmendment(r.Context(), sc, r.PathValue("id"), in)
	if errs, problem, ok := web.FieldErrors(err); ok {
		p, ferr := h.proposeForm(r, sent)
		if ferr != nil {
			return ferr
		}
		if _, bad := errs["after"]; bad {
			errs["provision"] = errs["after"]
		}
		p.Errors, p.Problem = errs, problem
		h.Render(w, r, http.StatusUnprocessableEntity, "draft_propose", p)
		return nil
	}
	if err != nil {
		return err
	}
	msg := am.Label + " is filed: " + string(am.Op)
	return h.Redirect(w, r, "/forums/"+r.PathValue("slug")+"/drafts/"+r.PathValue("id")+"/compilation", msg+". It is in the compilation below.")
}
