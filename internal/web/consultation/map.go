package consultation

// The opinion map of a comment period: the map drawn on the server as SVG
// with its table equivalent, the consensus, the same by declared
// stakeholder group, the bridging statements, the vote form (one statement
// at a time, without JavaScript), the submit-a-statement form, and the
// secretariat's moderation.

import (
	"embed"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/chart"
	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/opinion"
	"github.com/plenary-forum/plenary/internal/web"
)

//go:embed opinionmap/templates
var mapTemplateFS embed.FS

var mapPageTypes = map[string]any{
	"cmap_page": mapPage{},
}

type mapHandler struct {
	*web.Core
	svc *app.App
}

// RegisterMap registers the opinion map's pages with the core.
func RegisterMap(c *web.Core) {
	h := &mapHandler{Core: c, svc: c.App()}
	sub, err := fs.Sub(mapTemplateFS, "opinionmap")
	if err != nil {
		panic(err)
	}
	c.Templates("consultation-map", sub, mapPageTypes)
	h.Handle("GET /forums/{slug}/consultations/{id}/map", h.showMap)
	h.Handle("POST /forums/{slug}/consultations/{id}/map/{action}", h.mapAction)
	h.Handle("POST /forums/{slug}/consultations/{id}/map/statements/{ref}/moderate", h.moderate)
}

// MapPath is the page of a period's opinion map.
func MapPath(slug, periodID string) string {
	return "/forums/" + slug + "/consultations/" + url.PathEscape(periodID) + "/map"
}

// mapGroup is a group of the map as the page shows it.
type mapGroup struct {
	Label    string
	Size     int
	Colour   string
	Agree    []mapRep
	Disagree []mapRep
}

// mapRep is a representative statement with its percentages in the group
// and elsewhere.
type mapRep struct {
	Statement consultation.Statement
	// Agree and Disagree are the group's percentages (of those in it who
	// saw the statement); Seen is how many saw it.
	Agree, Disagree, Seen int
	// Elsewhere is the percentage of the same side outside the group.
	Elsewhere int
}

// mapLine is a statement with a side and a percentage.
type mapLine struct {
	Statement consultation.Statement
	Agree     bool
	Percent   int
	Note      string
}

// Side is the side in words.
func (l mapLine) Side() consultation.VoteValue {
	if l.Agree {
		return consultation.Agree
	}
	return consultation.Disagree
}

// mapSplit is a statement that splits the declared groups.
type mapSplit struct {
	Statement        consultation.Statement
	Agree, Disagree  []string
	SpreadPercentage int
}

// mapAnalysis is an analysis (clusters, or declared groups) as the page
// shows it.
type mapAnalysis struct {
	Groups    []mapGroup
	Consensus []mapLine
	Bridging  []mapLine
	Splits    []mapSplit
}

type mapPage struct {
	web.Base
	Period   consultation.Period
	State    consultation.PeriodState
	Has      bool
	MayVote  bool
	Manage   bool
	Ballot   consultation.Ballot
	Groups   []forum.Choice
	Pending  []consultation.Statement
	Rejected []consultation.Statement
	Open     []consultation.Statement
	Map      *consultation.OpinionMap
	SVG      template.HTML
	Clusters mapAnalysis
	Declared *mapAnalysis
	// Consensus is over all counted participants.
	Consensus []mapLine
	MinVotes  int
	Sent      url.Values
}

// VoteValues are the votes, in the order of the vote form's buttons.
func (p mapPage) VoteValues() []consultation.VoteValue { return consultation.VoteValues() }

// Value is what a refused form sent in a field.
func (p mapPage) Value(field string) string { return p.Sent.Get(field) }

// MapPath is the map's page.
func (p mapPage) MapPath() string { return MapPath(p.Forum.Slug, p.Period.ID) }

// GroupLabel is a declared group's name.
func (p mapPage) GroupLabel(key string) string {
	for _, g := range p.Groups {
		if g.Value == key {
			return web.UpperFirst(g.Label)
		}
	}
	return key
}

// Counted is the number of participants placed on the map.
func (p mapPage) Counted() int {
	if p.Map == nil {
		return 0
	}
	return len(p.Map.Map.Counted)
}

func (h *mapHandler) showMap(w http.ResponseWriter, r *http.Request) error {
	p, err := h.mapPage(r)
	if err != nil {
		return err
	}
	h.Render(w, r, http.StatusOK, "cmap_page", p)
	return nil
}

func (h *mapHandler) mapPage(r *http.Request) (mapPage, error) {
	b, f, _, err := h.ForumBase(r, "Opinion map", "consultations")
	if err != nil {
		return mapPage{}, err
	}
	ctx, sc := r.Context(), h.Scope(r, f)
	c := h.svc.Consultation
	p := mapPage{Base: b, MinVotes: consultation.MinVotes}
	if p.Period, err = c.Period(ctx, sc, r.PathValue("id")); err != nil {
		return p, err
	}
	p.Title = "Opinion map: " + p.Period.Title
	p.State = p.Period.StateAt(plenary.Now())
	if p.Manage, err = c.MayManage(ctx, sc); err != nil {
		return p, err
	}
	if p.Has, err = c.HasMap(ctx, p.Period); err != nil {
		return p, err
	}
	if !p.Has {
		if !p.Manage {
			return p, plenary.NotFound("the comment period %q has no opinion map", p.Period.Title)
		}
		return p, nil
	}
	if p.MayVote, err = c.MayVote(ctx, sc, p.Period); err != nil {
		return p, err
	}
	if p.Groups, err = c.Groups(ctx, sc); err != nil {
		return p, err
	}
	if p.MayVote {
		if p.Ballot, err = c.NextBallot(ctx, sc, p.Period.ID); err != nil {
			return p, err
		}
	}
	sts, err := c.Statements(ctx, sc, p.Period.ID, consultation.StatementFilter{})
	if err != nil {
		return p, err
	}
	for _, st := range sts {
		switch st.State {
		case consultation.StatementPending:
			p.Pending = append(p.Pending, st)
		case consultation.StatementRejected:
			p.Rejected = append(p.Rejected, st)
		default:
			p.Open = append(p.Open, st)
		}
	}
	if p.Map, err = c.OpinionMap(ctx, sc, p.Period.ID); err != nil {
		return p, err
	}
	m := p.Map
	p.Clusters = analysis(m, m.Map.Clusters, true)
	if m.Map.Declared != nil && len(m.Map.Declared.Groups) > 0 {
		d := analysis(m, *m.Map.Declared, false)
		p.Declared = &d
	}
	for i, cs := range m.Map.Consensus {
		if i == 5 {
			break
		}
		p.Consensus = append(p.Consensus, mapLine{Statement: m.Statement(cs.Statement), Agree: cs.Agree, Percent: pct(cs.P)})
	}
	p.SVG = drawMap(m, p.Clusters.Groups)
	return p, nil
}

func pct(p float64) int { return int(math.Round(100 * p)) }

func analysis(m *consultation.OpinionMap, a opinion.Analysis, clusters bool) mapAnalysis {
	var out mapAnalysis
	names := make([]string, len(a.Groups))
	for i, g := range a.Groups {
		label := g.Label
		if clusters {
			label = "Group " + g.Label
		} else {
			label = web.UpperFirst(label)
		}
		names[i] = label
		mg := mapGroup{Label: label, Size: g.Size, Colour: chart.Palette[i%len(chart.Palette)]}
		reps := func(rs []opinion.Rep) []mapRep {
			var out []mapRep
			for j, r := range rs {
				if j == 3 {
					break
				}
				mr := mapRep{Statement: m.Statement(r.Statement), Seen: r.Seen, Elsewhere: pct(r.PRest)}
				if r.Seen > 0 {
					mr.Agree, mr.Disagree = pct(float64(r.Agrees)/float64(r.Seen)), pct(float64(r.Disagrees)/float64(r.Seen))
				}
				out = append(out, mr)
			}
			return out
		}
		mg.Agree, mg.Disagree = reps(g.Agree), reps(g.Disagree)
		out.Groups = append(out.Groups, mg)
	}
	for i, c := range a.GroupConsensus {
		if i == 5 {
			break
		}
		out.Consensus = append(out.Consensus, mapLine{Statement: m.Statement(c.Statement), Agree: c.Agree, Percent: pct(c.P)})
	}
	for i, b := range a.Bridging {
		if i == 5 {
			break
		}
		out.Bridging = append(out.Bridging, mapLine{Statement: m.Statement(b.Statement), Agree: b.Agree, Percent: pct(b.MinP),
			Note: strconv.Itoa(b.Splits) + " statements divide these groups"})
	}
	for i, s := range a.Splits {
		if i == 5 {
			break
		}
		ms := mapSplit{Statement: m.Statement(s.Statement), SpreadPercentage: pct(s.Spread)}
		for _, g := range s.AgreeGroups {
			ms.Agree = append(ms.Agree, names[g])
		}
		for _, g := range s.DisagreeGroups {
			ms.Disagree = append(ms.Disagree, names[g])
		}
		out.Splits = append(out.Splits, ms)
	}
	return out
}

func (h *mapHandler) mapAction(w http.ResponseWriter, r *http.Request) error {
	_, f, _, err := h.ForumBase(r, "Opinion map", "consultations")
	if err != nil {
		return err
	}
	ctx, sc := r.Context(), h.Scope(r, f)
	c := h.svc.Consultation
	id := r.PathValue("id")
	back := MapPath(f.Slug, id)
	_ = r.ParseForm()
	var flash string
	switch r.PathValue("action") {
	case "enable":
		err, flash = c.EnableOpinionMap(ctx, sc, id), "The period has an opinion map."
	case "seed":
		var sts []consultation.Statement
		sts, err = c.SeedStatements(ctx, sc, id, r.PostForm["provisions"])
		flash = strconv.Itoa(len(sts)) + " statements made from the provisions."
	case "vote":
		_, err = c.Vote(ctx, sc, id, consultation.VoteInput{Statement: r.PostFormValue("statement"),
			Vote: consultation.VoteValue(r.PostFormValue("vote")), Group: r.PostFormValue("group")})
		flash = "Your vote is recorded."
	case "statements":
		var st consultation.Statement
		st, err = c.SubmitStatement(ctx, sc, id, consultation.StatementInput{Text: r.PostFormValue("text"), Group: r.PostFormValue("group")})
		flash = "Your statement " + st.Ref + " is taken; the secretariat will moderate it before it is put to the vote."
	default:
		return plenary.NotFound("no such action")
	}
	if err != nil {
		return h.refuse(w, r, err)
	}
	return h.Redirect(w, r, back, flash)
}

func (h *mapHandler) refuse(w http.ResponseWriter, r *http.Request, err error) error {
	return web.RefuseForm(h.Core, w, r, err, "cmap_page", h.mapPage, func(p *mapPage) { p.Sent = r.PostForm })
}

func (h *mapHandler) moderate(w http.ResponseWriter, r *http.Request) error {
	_, f, _, err := h.ForumBase(r, "Opinion map", "consultations")
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	in := consultation.ModerationInput{Accept: r.PostFormValue("decision") == "accept", Reason: r.PostFormValue("reason")}
	if d := r.PostFormValue("decision"); d != "accept" && d != "reject" {
		return h.refuse(w, r, plenary.Invalid("decision", "accept or reject the statement"))
	}
	st, err := h.svc.Consultation.ModerateStatement(r.Context(), h.Scope(r, f), r.PathValue("id"), r.PathValue("ref"), in)
	if err != nil {
		return h.refuse(w, r, err)
	}
	return h.Redirect(w, r, MapPath(f.Slug, r.PathValue("id")), st.Ref+" is "+st.State.Label()+".")
}

// Geometry of the map, in viewBox units.
const (
	mapWidth  = 480.0
	mapHeight = 320.0
	mapPad    = 28.0
)

// drawMap draws the counted participants as points coloured by group,
// each group's convex hull outlined and labelled with its name and size,
// as an SVG image with a title and a description; the numbers are in the
// tables beside it.
func drawMap(m *consultation.OpinionMap, groups []mapGroup) template.HTML {
	e := func(s string) string {
		return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
	}
	pts := m.Map.Counted
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	if len(pts) == 0 {
		minX, maxX, minY, maxY = -1, 1, -1, 1
	}
	span := func(lo, hi float64) float64 {
		if hi-lo < 1e-9 {
			return 1
		}
		return hi - lo
	}
	sx, sy := span(minX, maxX), span(minY, maxY)
	px := func(x float64) float64 { return mapPad + (x-minX)/sx*(mapWidth-2*mapPad) }
	py := func(y float64) float64 { return mapHeight - mapPad - (y-minY)/sy*(mapHeight-2*mapPad) }
	f := func(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
	var b strings.Builder
	var desc []string
	for _, g := range groups {
		desc = append(desc, g.Label+", "+strconv.Itoa(g.Size)+" participants")
	}
	d := "Scatter plot of the " + strconv.Itoa(len(pts)) + " participants counted, placed by how they voted: those who vote alike are close. "
	if len(groups) > 0 {
		d += strconv.Itoa(len(groups)) + " groups: " + strings.Join(desc, "; ") + ". The table below gives the same groups with their statements."
	} else {
		d += "No groups yet."
	}
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart opinion-map" role="img" aria-labelledby="omap-title omap-desc" viewBox="0 0 ` +
		f(mapWidth) + ` ` + f(mapHeight) + `" width="100%" preserveAspectRatio="xMidYMid meet" font-family="sans-serif" fill="#1a1a1a">`)
	b.WriteString(`<title id="omap-title">Opinion map: participants by how they voted</title>`)
	b.WriteString(`<desc id="omap-desc">` + e(d) + `</desc>`)
	b.WriteString(`<rect x="0.5" y="0.5" width="` + f(mapWidth-1) + `" height="` + f(mapHeight-1) + `" fill="none" stroke="#767676"></rect>`)
	byGroup := make([][][2]float64, len(groups))
	for _, p := range pts {
		if p.Group >= 0 && p.Group < len(groups) {
			byGroup[p.Group] = append(byGroup[p.Group], [2]float64{px(p.X), py(p.Y)})
		}
	}
	for i, g := range groups {
		hull := convexHull(byGroup[i])
		if len(hull) >= 3 {
			var ps []string
			for _, q := range hull {
				ps = append(ps, f(q[0])+","+f(q[1]))
			}
			b.WriteString(`<polygon class="hull" points="` + strings.Join(ps, " ") + `" fill="` + g.Colour + `" fill-opacity="0.12" stroke="` + g.Colour + `" stroke-width="1.5"></polygon>`)
		} else if len(hull) > 0 {
			// One or two places only (participants who voted alike): a
			// ring around them.
			cx, cy, r := hull[0][0], hull[0][1], 12.0
			if len(hull) == 2 {
				cx, cy = (hull[0][0]+hull[1][0])/2, (hull[0][1]+hull[1][1])/2
				r += math.Hypot(hull[0][0]-hull[1][0], hull[0][1]-hull[1][1]) / 2
			}
			b.WriteString(`<circle class="hull" cx="` + f(cx) + `" cy="` + f(cy) + `" r="` + f(r) + `" fill="` + g.Colour + `" fill-opacity="0.12" stroke="` + g.Colour + `" stroke-width="1.5"></circle>`)
		}
	}
	for _, p := range pts {
		colour := "#1a1a1a"
		if p.Group >= 0 && p.Group < len(groups) {
			colour = groups[p.Group].Colour
		}
		b.WriteString(`<circle class="pt" cx="` + f(px(p.X)) + `" cy="` + f(py(p.Y)) + `" r="2.5" fill="` + colour + `"></circle>`)
	}
	for i, g := range groups {
		if len(byGroup[i]) == 0 {
			continue
		}
		var cx, cy float64
		for _, q := range byGroup[i] {
			cx, cy = cx+q[0], cy+q[1]
		}
		cx, cy = cx/float64(len(byGroup[i])), cy/float64(len(byGroup[i]))
		label := g.Label + " (" + strconv.Itoa(g.Size) + ")"
		w := float64(len([]rune(label)))*7.5 + 10
		x := math.Max(2, math.Min(cx-w/2, mapWidth-w-2))
		y := math.Max(2, math.Min(cy-10, mapHeight-22))
		b.WriteString(`<g class="group-label"><rect x="` + f(x) + `" y="` + f(y) + `" width="` + f(w) + `" height="20" rx="3" fill="#ffffff" stroke="` + g.Colour + `" stroke-width="1.5"></rect>`)
		b.WriteString(`<text x="` + f(x+5) + `" y="` + f(y+15) + `" font-size="13" fill="#1a1a1a">` + e(label) + `</text></g>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// convexHull is the convex hull of the points (Andrew's monotone chain),
// counter-clockwise.
func convexHull(ps [][2]float64) [][2]float64 {
	if len(ps) < 3 {
		return ps
	}
	q := append([][2]float64(nil), ps...)
	sort.Slice(q, func(i, j int) bool {
		if q[i][0] != q[j][0] {
			return q[i][0] < q[j][0]
		}
		return q[i][1] < q[j][1]
	})
	q = slices.Compact(q)
	if len(q) < 3 {
		return q
	}
	cross := func(o, a, b [2]float64) float64 { return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0]) }
	var h [][2]float64
	for _, p := range q {
		for len(h) >= 2 && cross(h[len(h)-2], h[len(h)-1], p) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, p)
	}
	lower := len(h) + 1
	for i := len(q) - 2; i >= 0; i-- {
		p := q[i]
		for len(h) >= lower && cross(h[len(h)-2], h[len(h)-1], p) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, p)
	}
	return h[:len(h)-1]
}
