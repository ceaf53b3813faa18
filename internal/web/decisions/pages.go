package decisions

import (
	"context"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/chart"
	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/decisions"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/web"
)

//go:embed templates
var templateFS embed.FS

var pageTypes = map[string]any{
	"dec_list": listPage{},
	"dec_page": decisionPage{},
	"dec_new":  newPage{},
}

type handler struct {
	*web.Core
	svc *app.App
}

// Register registers the decisions' pages with the core: a forum's
// decisions, a decision with its forms, and the chair's form to open one
// in a meeting.
func Register(c *web.Core) {
	h := &handler{Core: c, svc: c.App()}
	c.Templates("decisions", templateFS, pageTypes)
	c.Slot(SlotDecisionRecord) // a decision's page, after where it stands; executed with the page (.D, .Forum)
	c.Tab(web.Tab{Order: 550, Section: "decisions", Path: "/decisions", Label: "Decisions"})
	h.Handle("GET /forums/{slug}/decisions", h.showList)
	h.Handle("GET /forums/{slug}/decisions/{id}", h.showDecision)
	h.Handle("POST /forums/{slug}/decisions/{id}/{action}", h.act)
	h.Handle("GET /forums/{slug}/meetings/{id}/decisions/new", h.showNew)
	h.Handle("POST /forums/{slug}/meetings/{id}/decisions", h.open)
	h.Handle("POST /forums/{slug}/meetings/{id}/packages", h.createPackage)
}

// SlotDecisionRecord is the slot of a decision's page below where it
// stands, for what other packages keep with the decision.
const SlotDecisionRecord = "decision-record"

// DecisionPath is the page of a decision.
func DecisionPath(slug, id string) string {
	return "/forums/" + slug + "/decisions/" + url.PathEscape(id)
}

// RecordLink is the place of a ledger seq on a forum's record.
func RecordLink(slug string, seq int64) string {
	return "/forums/" + slug + "/record?before=" + strconv.FormatInt(seq+1, 10) + "#e" + strconv.FormatInt(seq, 10)
}

// listPage is a forum's decisions, optionally of one meeting.
type listPage struct {
	web.Base
	Decisions []decisions.Decision
	Meeting   string
	// MayCall shows the chair the form linking a meeting's decisions into
	// a package; Candidates are those that may join one.
	MayCall    bool
	Candidates []decisions.Decision
	Sent       url.Values
}

// Value is what the refused package form sent in a field.
func (p listPage) Value(field string) string { return p.Sent.Get(field) }

// Checked reports whether the refused package form had decision id ticked.
func (p listPage) Checked(id string) bool { return slices.Contains(p.Sent["decisions"], id) }

// DPath is a decision's page.
func (p listPage) DPath(id string) string { return DecisionPath(p.Forum.Slug, id) }

func (h *handler) showList(w http.ResponseWriter, r *http.Request) error {
	b, f, _, err := h.ForumBase(r, "Decisions", "decisions")
	if err != nil {
		return err
	}
	p, err := h.listPage(r, b, f)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "dec_list", p)
	return nil
}

func (h *handler) listPage(r *http.Request, b web.Base, f forum.Forum) (listPage, error) {
	ctx, sc := r.Context(), h.Scope(r, f)
	p := listPage{Base: b, Meeting: strings.TrimSpace(r.URL.Query().Get("meeting"))}
	var err error
	if p.Decisions, err = h.svc.Decisions.Decisions(ctx, sc, decisions.Filter{Meeting: p.Meeting}); err != nil {
		return p, err
	}
	if p.Meeting != "" {
		if p.MayCall, err = h.svc.Decisions.MayCallDecisions(ctx, sc); err != nil {
			return p, err
		}
		for _, d := range p.Decisions {
			if d.Binding && d.Package == nil {
				p.Candidates = append(p.Candidates, d)
			}
		}
	}
	return p, nil
}

// createPackage links decisions of a meeting into a package: nothing in
// it is agreed until the package is.
func (h *handler) createPackage(w http.ResponseWriter, r *http.Request) error {
	b, f, _, err := h.ForumBase(r, "Decisions", "decisions")
	if err != nil {
		return err
	}
	sc := h.Scope(r, f)
	_ = r.ParseForm()
	_, err = h.svc.Decisions.CreatePackage(r.Context(), sc, decisions.PackageInput{Meeting: r.PathValue("id"),
		Name: r.PostFormValue("name"), Decisions: r.PostForm["decisions"]})
	back := "/forums/" + f.Slug + "/decisions?meeting=" + url.QueryEscape(r.PathValue("id"))
	if err != nil {
		return web.RefuseForm(h.Core, w, r, err, "dec_list", func(r *http.Request) (listPage, error) {
			q := r.URL.Query()
			q.Set("meeting", r.PathValue("id"))
			r.URL.RawQuery = q.Encode()
			return h.listPage(r, b, f)
		}, func(p *listPage) { p.Sent = r.PostForm })
	}
	return h.Redirect(w, r, back, "The package is made: nothing in it is agreed until it is decided.")
}

// decisionPage is one decision with everything on it, and the forms the
// reader may use.
type decisionPage struct {
	web.Base
	D decisions.Decision
	M meetings.Meeting
	// The rights behind the forms.
	MayCall, MayObject, MayVote, MayAnswer bool
	// Chart is the tally or the counts drawn, with Table its figures.
	Chart template.HTML
	Table chart.TableData
	// Cast is the ballot just cast, with a secret ballot's receipt and
	// nonce, shown once.
	Cast *decisions.Cast
	// Check is the answer to a receipt check.
	Check *decisions.Verification
	// Deciders are the closed decisions of the meeting that may decide
	// the decision's package, for the chair.
	Deciders []decisions.Decision
	// Form names the form whose input was refused; Sent is what it sent.
	Form string
	Sent url.Values
}

// Value is what the refused form sent in a field.
func (p decisionPage) Value(field string) string { return p.Sent.Get(field) }

// MPath is the meeting's page.
func (p decisionPage) MPath() string {
	return "/forums/" + p.Forum.Slug + "/meetings/" + url.PathEscape(p.M.Number)
}

// DPath is the decision's page.
func (p decisionPage) DPath() string { return DecisionPath(p.Forum.Slug, p.D.ID) }

// Record is the place of a seq on the forum's record.
func (p decisionPage) Record(seq int64) string { return RecordLink(p.Forum.Slug, seq) }

// DraftPath is the draft text decided on.
func (p decisionPage) DraftPath() string {
	return "/forums/" + p.Forum.Slug + "/drafts/" + url.PathEscape(p.D.Draft)
}

// ProvisionPath is a provision of the draft decided on.
func (p decisionPage) ProvisionPath(prov string) string {
	return p.DraftPath() + "#" + url.PathEscape(prov)
}

// DocumentPath is a document's page.
func (p decisionPage) DocumentPath(id string) string {
	return "/forums/" + p.Forum.Slug + "/documents/" + url.PathEscape(id)
}

// ItemLabel is the agenda item the decision is taken under.
func (p decisionPage) ItemLabel() string {
	for _, it := range p.M.Agenda {
		if it.ID == p.D.Item {
			return "Item " + it.Number + ": " + it.Title
		}
	}
	return ""
}

// AnswerTo is how the chair addressed an objection ("" when not).
func (p decisionPage) AnswerTo(objection string) string {
	if p.D.Consensus == nil {
		return ""
	}
	for _, a := range p.D.Consensus.Answers {
		if a.Objection == objection {
			return a.Text
		}
	}
	return ""
}

// Standing are the objections still standing, for the chair's answers.
func (p decisionPage) Standing() []decide.Objection {
	var out []decide.Objection
	if p.D.Consensus != nil {
		for _, o := range p.D.Consensus.Objections {
			if o.Standing() {
				out = append(out, o)
			}
		}
	}
	return out
}

// Findings are the chair's findings, for the closing form.
func (p decisionPage) Findings() []decide.Finding { return decide.Findings() }

// Choices are the choices a voter casts.
func (p decisionPage) Choices() []decide.Choice {
	return []decide.Choice{decide.Yes, decide.No, decide.Abstain}
}

// IsConsensus, IsStraw and IsVote tell the kinds apart.
func (p decisionPage) IsConsensus() bool { return p.D.Kind == decide.ConsensusCall }

// IsStraw reports whether the decision is a straw poll.
func (p decisionPage) IsStraw() bool { return p.D.Kind == decide.StrawPoll }

// IsVote reports whether the decision is a formal vote.
func (p decisionPage) IsVote() bool { return p.D.Kind == decide.FormalVote }

// ShowOfHands reports whether the vote's tally is entered.
func (p decisionPage) ShowOfHands() bool {
	return p.D.Vote != nil && p.D.Vote.Method == decide.ShowOfHands
}

// Secret reports whether the vote is a secret ballot.
func (p decisionPage) Secret() bool { return p.D.Vote != nil && p.D.Vote.Method == decide.Secret }

// Devices reports whether the straw poll is answered from devices.
func (p decisionPage) Devices() bool { return p.D.Straw != nil && p.D.Straw.Entry == decide.Devices }

// Explained reports whether explanations of position may be filed: a
// consensus call closed with the text adopted.
func (p decisionPage) Explained() bool {
	return p.IsConsensus() && !p.D.Open && p.D.Consensus != nil && p.D.Consensus.Outcome == decide.Adopted
}

// Time writes a time of the record in the meeting's zone.
func (h *handler) decisionPage(r *http.Request) (decisionPage, error) {
	b, f, _, err := h.ForumBase(r, "Decision", "decisions")
	if err != nil {
		return decisionPage{}, err
	}
	ctx := r.Context()
	sc := h.Scope(r, f)
	p := decisionPage{Base: b}
	svc := h.svc.Decisions
	if p.D, err = svc.Decision(ctx, sc, r.PathValue("id")); err != nil {
		return p, err
	}
	if p.M, err = h.svc.Meetings.Meeting(ctx, sc, p.D.MeetingID); err != nil {
		return p, err
	}
	p.Title = p.D.Label + ": " + p.D.Title
	if p.D.Open {
		p.Live = "/forums/" + f.Slug + "/meetings/" + url.PathEscape(p.M.Number) + "/events"
	}
	if p.MayCall, err = svc.MayCallDecisions(ctx, sc); err != nil {
		return p, err
	}
	if p.MayObject, err = svc.MayObject(ctx, sc); err != nil {
		return p, err
	}
	if p.MayVote, err = svc.MayVote(ctx, sc); err != nil {
		return p, err
	}
	if p.MayAnswer, err = svc.MayAnswerStrawPoll(ctx, sc); err != nil {
		return p, err
	}
	if p.MayCall && p.D.Package != nil && p.D.Package.Provisional {
		all, err := svc.MeetingDecisions(ctx, sc, p.D.MeetingID)
		if err != nil {
			return p, err
		}
		for _, d := range all {
			if d.Binding && !d.Open && d.Package == nil {
				p.Deciders = append(p.Deciders, d)
			}
		}
	}
	p.Chart, p.Table = figure(p.D)
	return p, nil
}

// figure draws a straw poll's counts or a vote's tally, when known.
func figure(d decisions.Decision) (template.HTML, chart.TableData) {
	c := chart.BarChart{ID: "tally"}
	switch {
	case d.Straw != nil && d.Straw.Total > 0:
		c.Title = "Counts of the straw poll (indicative, not binding)"
		c.Description = "How the room answered; " + decide.StrawNotice
		c.Series = []string{"Count"}
		for _, o := range d.Straw.Options {
			c.Rows = append(c.Rows, chart.Row{Label: o.Label, Values: []float64{float64(o.Count)}})
		}
	case d.Vote != nil && (d.Vote.Result != nil || (d.Vote.Progress != nil && d.Vote.Progress.Tally != nil)):
		t := d.Vote.Result
		var tally decide.Tally
		if t != nil {
			tally = t.Tally
			c.Title = "Result of the vote"
			c.Description = t.Arithmetic.Sentence
		} else {
			tally = *d.Vote.Progress.Tally
			c.Title = "Tally so far"
			c.Description = d.Vote.Progress.Sentence
		}
		c.Series = []string{"Votes"}
		c.Rows = []chart.Row{{Label: "Yes", Values: []float64{float64(tally.Yes)}}, {Label: "No", Values: []float64{float64(tally.No)}},
			{Label: "Abstain", Values: []float64{float64(tally.Abstain)}}}
		if tally.NotParticipating > 0 {
			c.Rows = append(c.Rows, chart.Row{Label: "Not participating", Values: []float64{float64(tally.NotParticipating)}})
		}
	default:
		return "", chart.TableData{}
	}
	return chart.Bars(c), chart.Table(c)
}

func (h *handler) showDecision(w http.ResponseWriter, r *http.Request) error {
	p, err := h.decisionPage(r)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	h.Render(w, r, http.StatusOK, "dec_page", p)
	return nil
}

// list splits a comma- or line-separated field.
func list(s string) []string {
	var out []string
	for _, x := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' }) {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// number reads a count field: empty is 0.
func number(field, s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, plenary.Invalid(field, "must be a whole number, 0 or more")
	}
	return n, nil
}

// act runs a form of a decision's page: back to the page (303) on
// success; refused input re-renders it with the field and the rule named.
func (h *handler) act(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	id := r.PathValue("id")
	action := r.PathValue("action")
	v := r.PostFormValue
	svc := h.svc.Decisions
	var flash string
	var show func(*decisionPage) // a page rendered at once rather than a redirect
	switch action {
	case "object":
		flash = "Your objection is on the record."
		_, err = svc.Object(ctx, sc, id, decisions.ObjectionInput{Party: v("party"), Reason: v("reason"), Provisions: list(v("provisions"))})
	case "withdraw":
		flash = "The objection is withdrawn."
		err = svc.WithdrawObjection(ctx, sc, id, v("objection"))
	case "close-consensus":
		flash = "The finding is recorded."
		in := decisions.FindingInput{Finding: decide.Finding(v("finding")), Note: v("note")}
		for k, vs := range r.PostForm {
			if o, ok := strings.CutPrefix(k, "answer-"); ok && strings.TrimSpace(strings.Join(vs, "")) != "" {
				in.Answers = append(in.Answers, decide.Answer{Objection: o, Text: strings.Join(vs, "")})
			}
		}
		_, err = svc.CloseConsensus(ctx, sc, id, in)
	case "explain":
		flash = "Your explanation of position is on the record."
		_, err = svc.FileExplanation(ctx, sc, id, decisions.ExplanationInput{Party: v("party"), Text: v("text")})
	case "counts":
		flash = "The counts are entered."
		var d decisions.Decision
		if d, err = svc.Decision(ctx, sc, id); err == nil && d.Straw != nil {
			var in decisions.StrawCountsInput
			for _, o := range d.Straw.Options {
				n, nerr := number("count-"+o.Key, v("count-"+o.Key))
				if nerr != nil {
					err = nerr
					break
				}
				in.Counts = append(in.Counts, decide.Count{Option: o.Key, N: n})
			}
			if err == nil {
				_, err = svc.EnterStrawCounts(ctx, sc, id, in)
			}
		}
	case "answer":
		flash = "Your answer is counted. " + decide.StrawNotice
		err = svc.AnswerStrawPoll(ctx, sc, id, decisions.StrawAnswerInput{Option: v("option")})
	case "close-poll":
		flash = "The straw poll is closed. " + decide.StrawNotice
		_, err = svc.CloseStrawPoll(ctx, sc, id)
	case "tally":
		flash = "The tally is entered."
		var t decide.Tally
		for _, f := range []struct {
			name string
			n    *int
		}{{"yes", &t.Yes}, {"no", &t.No}, {"abstain", &t.Abstain}} {
			if *f.n, err = number(f.name, v(f.name)); err != nil {
				break
			}
		}
		if err == nil {
			_, err = svc.EnterTally(ctx, sc, id, decisions.TallyInput{Tally: t})
		}
	case "cast":
		var c decisions.Cast
		c, err = svc.CastVote(ctx, sc, id, decisions.CastInput{Party: v("party"), For: v("for"), Choice: decide.Choice(v("choice"))})
		if err == nil && c.Receipt != nil {
			show = func(p *decisionPage) {
				p.Cast = &c
				p.Flash = "Your ballot is cast. Keep your receipt and nonce: they are shown once."
			}
		}
		flash = "Your vote is recorded."
	case "close-vote":
		flash = "The vote is closed and its result recorded."
		var present int
		if present, err = number("present", v("present")); err == nil {
			_, err = svc.CloseVote(ctx, sc, id, decisions.CloseVoteInput{Present: present})
		}
	case "decide-package":
		flash = "The package is decided."
		var d decisions.Decision
		if d, err = svc.Decision(ctx, sc, id); err == nil {
			if d.Package == nil {
				err = plenary.Invalid("decision", "this decision is in no package")
			} else {
				_, err = svc.DecidePackage(ctx, sc, d.Package.ID, decisions.PackageDecisionInput{Decision: v("by")})
			}
		}
	case "reopen":
		flash = "The adopted text is reopened, on the record."
		var d decisions.Decision
		if d, err = svc.Decision(ctx, sc, id); err == nil {
			if d.Draft == "" || d.Document == nil {
				err = plenary.Invalid("", "this decision adopted no draft text")
			} else {
				err = svc.ReopenDraft(ctx, sc, d.Draft, decisions.ReopenInput{Meeting: d.MeetingID, Reason: v("reason")})
			}
		}
	case "verify":
		var ver decisions.Verification
		ver, err = svc.VerifyReceipt(ctx, sc, id, decisions.ReceiptCheck{Choice: decide.Choice(v("choice")), Nonce: strings.TrimSpace(v("nonce"))})
		if err == nil {
			show = func(p *decisionPage) { p.Check = &ver }
		}
	default:
		return plenary.NotFound("no form %q on a decision's page", action)
	}
	if err != nil {
		if plenary.ErrorCode(err) == plenary.CodeConflict {
			err = plenary.Invalid("", "%s", plenary.AsError(err).Message)
		}
		return web.RefuseForm(h.Core, w, r, err, "dec_page", h.decisionPage, func(p *decisionPage) { p.Form, p.Sent = action, r.PostForm })
	}
	if show != nil {
		p, err := h.decisionPage(r)
		if err != nil {
			return err
		}
		show(&p)
		w.Header().Set("Cache-Control", "no-store")
		h.Render(w, r, http.StatusOK, "dec_page", p)
		return nil
	}
	return h.Redirect(w, r, DecisionPath(sc.Forum.Slug, id), flash)
}

// newPage is the chair's form to open a decision in a meeting, on its
// current item by default.
type newPage struct {
	web.Base
	M    meetings.Meeting
	Kind string
	Sent url.Values
}

// Value is what the form sent in a field, with the defaults of a blank
// form.
func (p newPage) Value(field string) string {
	if p.Sent != nil {
		return p.Sent.Get(field)
	}
	switch field {
	case "item":
		return p.M.CurrentItem
	case "subject":
		if p.M.CurrentItem != "" {
			return string(decide.OnItem)
		}
		return string(decide.OnQuestion)
	case "method":
		return string(decide.Recorded)
	case "majority":
		return string(decide.Simple)
	case "entry":
		return string(decide.Entered)
	case "options":
		return "In favour\nAgainst"
	}
	return ""
}

// MPath is the meeting's page.
func (p newPage) MPath() string {
	return "/forums/" + p.Forum.Slug + "/meetings/" + url.PathEscape(p.M.Number)
}

// Kinds are the kinds of decision, Methods the methods of voting,
// Majorities the majorities, Subjects the subjects, for the form.
func (p newPage) Kinds() []decide.Kind { return decide.Kinds() }

// Methods are the methods of a formal vote.
func (p newPage) Methods() []decide.Method { return decide.Methods() }

// Majorities are the majorities a formal vote may need.
func (p newPage) Majorities() []decide.Majority { return decide.Majorities() }

// Subjects are what a decision may be on.
func (p newPage) Subjects() []decide.SubjectKind {
	return []decide.SubjectKind{decide.OnItem, decide.OnRevision, decide.OnProvisions, decide.OnQuestion}
}

// Entries are the ways of counting a straw poll.
func (p newPage) Entries() []decide.Entry { return []decide.Entry{decide.Entered, decide.Devices} }

func (h *handler) newPage(r *http.Request) (newPage, error) {
	b, f, _, err := h.ForumBase(r, "Open a decision", "decisions")
	if err != nil {
		return newPage{}, err
	}
	ctx := r.Context()
	sc := h.Scope(r, f)
	p := newPage{Base: b, Kind: r.URL.Query().Get("kind")}
	if p.M, err = h.svc.Meetings.Meeting(ctx, sc, r.PathValue("id")); err != nil {
		return p, err
	}
	ok, err := h.svc.Decisions.MayCallDecisions(ctx, sc)
	if err != nil {
		return p, err
	}
	if !ok {
		return p, plenary.Forbidden("opening a decision is for whoever may manage the floor")
	}
	if !decide.Kind(p.Kind).Valid() {
		p.Kind = string(decide.ConsensusCall)
	}
	p.Title = p.M.Number + ": open a " + strings.ToLower(decide.Kind(p.Kind).Label())
	return p, nil
}

func (h *handler) showNew(w http.ResponseWriter, r *http.Request) error {
	p, err := h.newPage(r)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "dec_new", p)
	return nil
}

// open opens a consensus call, a straw poll or a formal vote.
func (h *handler) open(w http.ResponseWriter, r *http.Request) error {
	sc, err := h.ForumScope(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	v := r.PostFormValue
	svc := h.svc.Decisions
	rev, _ := strconv.Atoi(strings.TrimSpace(v("revision")))
	o := decisions.OpenInput{Meeting: r.PathValue("id"), Item: v("item"), Title: v("title"), Note: v("note"),
		Subject: decisions.SubjectInput{Kind: decide.SubjectKind(v("subject")), Draft: v("draft"), Revision: rev,
			Provisions: list(v("provisions")), Text: v("question")}}
	var d decisions.Decision
	switch decide.Kind(v("kind")) {
	case decide.ConsensusCall:
		in := decisions.ConsensusInput{OpenInput: o, Silence: v("silence") != ""}
		if in.Silence {
			var until time.Time
			if until, err = untilOf(v("until"), h.svc.Meetings, ctx, sc, o.Meeting); err == nil {
				in.Until = &until
			}
		}
		if err == nil {
			d, err = svc.OpenConsensus(ctx, sc, in)
		}
	case decide.StrawPoll:
		in := decisions.StrawInput{OpenInput: o, Question: v("question"), Entry: decide.Entry(v("entry")), ByGroup: v("by_group") != ""}
		for i, l := range list(strings.ReplaceAll(v("options"), ",", "\n")) {
			in.Options = append(in.Options, decide.Option{Key: "o" + strconv.Itoa(i+1), Label: l})
		}
		if in.Subject.Kind == decide.OnQuestion {
			in.Subject.Text = v("question")
		}
		d, err = svc.OpenStrawPoll(ctx, sc, in)
	case decide.FormalVote:
		in := decisions.VoteInput{OpenInput: o, Method: decide.Method(v("method")), Majority: decide.Majority(v("majority")),
			HideResults: v("hide_results") != "", Presence: v("presence") != "", Roll: list(strings.ReplaceAll(v("roll"), ",", "\n"))}
		if in.Members, err = number("members", v("members")); err == nil {
			in.Quorum.Number, err = number("quorum", v("quorum"))
		}
		if err == nil {
			d, err = svc.OpenVote(ctx, sc, in)
		}
	default:
		err = plenary.Invalid("kind", "choose a consensus call, a straw poll or a formal vote")
	}
	if err != nil {
		if plenary.ErrorCode(err) == plenary.CodeConflict {
			err = plenary.Invalid("", "%s", plenary.AsError(err).Message)
		}
		return web.RefuseForm(h.Core, w, r, err, "dec_new", h.newPage, func(p *newPage) { p.Sent = r.PostForm; p.Kind = v("kind") })
	}
	return h.Redirect(w, r, DecisionPath(sc.Forum.Slug, d.ID), d.Label+" opened.")
}

// untilOf reads the end of a silence procedure, a local date and time
// ("2006-01-02T15:04", as a datetime-local field sends it) in the
// meeting's time zone.
func untilOf(s string, m *meetings.Service, ctx context.Context, sc *forum.Scope, meeting string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, plenary.Invalid("until", "a silence procedure needs the date and time it ends")
	}
	mt, err := m.Meeting(ctx, sc, meeting)
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", s, mt.Location())
	if err != nil {
		return time.Time{}, plenary.Invalid("until", "must be a date and time such as 2012-12-13T18:00, in the meeting's time zone (%s)", mt.Zone)
	}
	return t, nil
}
