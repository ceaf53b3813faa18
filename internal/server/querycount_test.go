package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/server/servertest"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

// querySize is a size of the WTPF-13 demo forum at which requests are
// counted: what is added to the demo as loaded, and the members-only
// draft the requests are about.
type querySize struct {
	name          string
	parties       int // parties added to the demo's
	registrations int // people registered beside the demo's, one per added party
	provisions    int // provisions of the members-only draft
	proposals     int // proposals already on it, each from another Member State's contribution
}

var querySizes = []querySize{
	{name: "demo", provisions: 10, proposals: 3},
	{name: "large", parties: 200, registrations: 200, provisions: 100, proposals: 30},
}

// queryCeilings are the most statements each request may run, on each
// engine, at every size; and whether its count may grow with the data.
// PostgreSQL's proposal runs one more: the pg_notify that tells other
// processes of the new event.
//
// The ceilings are half of what these requests ran before the command
// layer read each request's scope once (28, 45, 53 and 10 on SQLite; 29,
// 45, 53 and 10 on PostgreSQL), rounded down. None of the four may grow
// with the data; a request found to grow would need grows: true, and a
// reason here.
// The meeting page reads the session, the meeting, its hubs, its agenda,
// its attendance and the attendees' registrations: six, whatever the size.
// The live page, first after an event and again before the next: the
// second reads neither the queue nor the record (kept until the chain
// moves), and neither reads the meeting twice.
var queryCeilings = map[string]struct {
	sqlite, postgres int64
	grows            bool
}{
	"propose (POST)":     {sqlite: 14, postgres: 14},
	"compilation (GET)":  {sqlite: 22, postgres: 22},
	"propose form (GET)": {sqlite: 26, postgres: 26},
	"forum page (GET)":   {sqlite: 5, postgres: 5},
	"meeting page (GET)": {sqlite: 6, postgres: 6},
	"live page (GET)":    {sqlite: 16, postgres: 16},
	"live page again":    {sqlite: 13, postgres: 13},
}

var csrfInPage = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// TestQueryCounts counts the SQL statements the real handler runs for four
// requests of a Member State delegate about a members-only draft, at two
// sizes of the demo forum: proposing an amendment through the web form,
// the draft's compilation, the form to propose, and the forum's page.
func TestQueryCounts(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo and grows it")
	}
	sts := servertest.Statements{Keep: true}
	s := servertest.New(t, servertest.Options{Middleware: sts.Middleware})
	sent := map[string][]string{} // the statements of each request at the last size
	ctx := context.Background()
	if err := demo.Load(ctx, s.Svc); err != nil {
		t.Fatal(err)
	}
	f, err := s.Svc.Kernel.ForumBySlug(ctx, demo.WTPFSlug)
	if err != nil {
		t.Fatal(err)
	}
	secUser, err := s.Svc.Accounts.UserByEmail(ctx, demo.LoginByKey("secretariat").Email)
	if err != nil {
		t.Fatal(err)
	}
	sec := forum.Actor{UserID: secUser.ID, Name: secUser.Name, Email: secUser.Email, Admin: secUser.Admin, Via: "test"}
	bra := demo.LoginByKey("member_state")
	delegate := s.Client()
	delegate.LoginWithPassword(bra.Email, bra.Password)

	names := []string{"propose (POST)", "compilation (GET)", "propose form (GET)", "forum page (GET)", "meeting page (GET)", "live page (GET)", "live page again"}
	counts := map[string][]int64{}
	added := 0
	for _, size := range querySizes {
		grow(t, s, sec, f, size.parties-added, size.registrations-added)
		added = size.parties
		d := membersDraft(t, s, sec, f, size)
		base := drafting.DraftPath(f, d.ID)

		// Each request comes right after a ledger event (the size's set-up,
		// then the proposal), so what pages keep until the next event is
		// read afresh and counted, as for the first reader after a change.
		// The form first: its page gives the CSRF token the proposal needs.
		var form servertest.Response
		counts["propose form (GET)"] = append(counts["propose form (GET)"], sts.Measure(func() { form = delegate.Get(base + "/propose") }))
		sent["propose form (GET)"] = sts.LastStatements()
		wantQueryStatus(t, "propose form", form, http.StatusOK)
		m := csrfInPage.FindStringSubmatch(form.Body)
		if m == nil {
			t.Fatal("no CSRF token on the propose form")
		}
		var r servertest.Response
		counts["propose (POST)"] = append(counts["propose (POST)"], sts.Measure(func() {
			r = delegate.PostForm(base+"/propose", base+"/amendments", url.Values{"csrf_token": {m[1]}, "op": {"MOD"}, "provision": {"p2"},
				"text": {"that every stakeholder should be heard on equal terms, here counted;"}, "revision": {"1"}, "rationale": {"Equal terms."}})
		}))
		sent["propose (POST)"] = sts.LastStatements()
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != base+"/compilation" {
			t.Fatalf("propose: %d %s\n%.2000s", r.StatusCode, r.Header.Get("Location"), r.Body)
		}
		counts["compilation (GET)"] = append(counts["compilation (GET)"], sts.Measure(func() { r = delegate.Get(base + "/compilation") }))
		sent["compilation (GET)"] = sts.LastStatements()
		wantQueryStatus(t, "compilation", r, http.StatusOK)
		if !strings.Contains(r.Body, "BRA/") {
			t.Fatal("the compilation lacks Brazil's proposal")
		}
		counts["forum page (GET)"] = append(counts["forum page (GET)"], sts.Measure(func() { r = delegate.Get("/forums/" + f.Slug) }))
		sent["forum page (GET)"] = sts.LastStatements()
		wantQueryStatus(t, "forum page", r, http.StatusOK)
		counts["meeting page (GET)"] = append(counts["meeting page (GET)"], sts.Measure(func() { r = delegate.Get("/forums/" + f.Slug + "/meetings/" + demo.WG3Meeting) }))
		sent["meeting page (GET)"] = sts.LastStatements()
		wantQueryStatus(t, "meeting page", r, http.StatusOK)
		live := "/forums/" + f.Slug + "/meetings/" + demo.WG3Meeting + "/live"
		counts["live page (GET)"] = append(counts["live page (GET)"], sts.Measure(func() { r = delegate.Get(live) }))
		sent["live page (GET)"] = sts.LastStatements()
		wantQueryStatus(t, "live page", r, http.StatusOK)
		counts["live page again"] = append(counts["live page again"], sts.Measure(func() { r = delegate.Get(live) }))
		sent["live page again"] = sts.LastStatements()
		wantQueryStatus(t, "live page again", r, http.StatusOK)

		// The draft is the members': nobody else reads it.
		if r := s.Client().Get(base + "/compilation"); r.StatusCode == http.StatusOK {
			t.Fatalf("an anonymous visitor reads the members' draft")
		}
	}

	if os.Getenv("PLENARY_SHOW_SQL") != "" {
		for _, name := range names {
			t.Logf("%s:\n%s", name, strings.Join(sent[name], "\n"))
		}
	}
	engine := storetest.Engine()
	var tbl strings.Builder
	fmt.Fprintf(&tbl, "SQL statements per request (%s)\n%-20s", engine, "request")
	for _, size := range querySizes {
		fmt.Fprintf(&tbl, " %7s", size.name)
	}
	fmt.Fprintf(&tbl, " %7s  %s\n", "ceiling", "grows")
	for _, name := range names {
		c := queryCeilings[name]
		ceiling := c.sqlite
		if engine == store.Postgres {
			ceiling = c.postgres
		}
		fmt.Fprintf(&tbl, "%-20s", name)
		for _, n := range counts[name] {
			fmt.Fprintf(&tbl, " %7d", n)
		}
		small, large := counts[name][0], counts[name][len(counts[name])-1]
		fmt.Fprintf(&tbl, " %7d  %v\n", ceiling, large > small)
		for i, n := range counts[name] {
			if n > ceiling {
				t.Errorf("%s runs %d statements at size %s, more than its ceiling of %d:\n%s", name, n, querySizes[i].name, ceiling, strings.Join(sent[name], "\n"))
			}
		}
		switch {
		case large > small && !c.grows:
			t.Errorf("%s runs more statements as the forum grows: %d at size %s, %d at size %s",
				name, small, querySizes[0].name, large, querySizes[len(querySizes)-1].name)
		case large > small:
			t.Logf("%s still grows with the data: %d -> %d statements", name, small, large)
		case c.grows:
			t.Logf("%s no longer grows with the data (%d -> %d): turn its grows off", name, small, large)
		}
	}
	t.Log(tbl.String())
}

func wantQueryStatus(t *testing.T, what string, r servertest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%.2000s", what, r.StatusCode, status, r.Body)
	}
}

// grow adds parties to the forum, half companies (Sector Members) and half
// civil-society organisations, and registers a delegate of each of the
// first registrations of them.
func grow(t *testing.T, s *servertest.Site, sec forum.Actor, f forum.Forum, parties, registrations int) {
	t.Helper()
	if parties <= 0 {
		return
	}
	ctx := context.Background()
	rows := make([]participation.PartyRow, parties)
	for i := range rows {
		in := participation.PartyInput{Code: fmt.Sprintf("XCO%03d", i+1), Name: fmt.Sprintf("Example Company %d (fictitious)", i+1), Group: rules.GroupSectorMember}
		if i%2 == 1 {
			in = participation.PartyInput{Code: fmt.Sprintf("XNGO%03d", i+1), Name: fmt.Sprintf("Example Organisation %d (fictitious)", i+1), Group: rules.GroupCivilSociety}
		}
		rows[i] = participation.PartyRow{Row: i + 1, PartyInput: in}
	}
	if _, err := s.Svc.Participation.ImportParties(ctx, fixture.In(t, s.Svc.Kernel, sec, f.Slug), rows, participation.ImportOptions{}); err != nil {
		t.Fatalf("import parties: %v", err)
	}
	regs := make([]participation.RegistrationRow, 0, registrations)
	for i := 0; i < registrations && i < parties; i++ {
		email := fmt.Sprintf("delegate%03d@example.org", i+1)
		s.User(email, fmt.Sprintf("Delegate %d", i+1), false)
		regs = append(regs, participation.RegistrationRow{Row: i + 1, RegistrationInput: participation.RegistrationInput{Email: email, Party: rows[i].Code, Role: "delegate"}})
	}
	if _, err := s.Svc.Participation.ImportRegistrations(ctx, fixture.In(t, s.Svc.Kernel, sec, f.Slug), regs); err != nil {
		t.Fatalf("import registrations: %v", err)
	}
}

// membersDraft files a draft of size.provisions provisions that only the
// forum's members may read, with size.proposals proposals recorded by the
// secretariat for as many Member States other than Brazil, each from a
// contribution of its own.
func membersDraft(t *testing.T, s *servertest.Site, sec forum.Actor, f forum.Forum, size querySize) drafting.DraftText {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	fmt.Fprintf(&b, "# Draft Opinion on counted statements (%s)\n\n*is of the view*\n\n", size.name)
	for i := 1; i <= size.provisions; i++ {
		fmt.Fprintf(&b, "%d. that provision %d of this draft should be read by the members of the Forum only;\n\n", i, i)
	}
	d, err := s.Svc.Drafting.CreateDraft(ctx, fixture.In(t, s.Svc.Kernel, sec, f.Slug), drafting.DraftInput{Text: b.String(), Visibility: "members", Languages: []string{"en"}})
	if err != nil {
		t.Fatalf("draft: %v", err)
	}
	parties, err := s.Svc.Participation.Parties(ctx, fixture.In(t, s.Svc.Kernel, forum.Anonymous, f))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range parties {
		if n == size.proposals {
			break
		}
		if p.Group != rules.GroupMemberState || p.Code == "BRA" {
			continue
		}
		n++
		doc, err := s.Svc.Documents.SubmitDocument(ctx, fixture.In(t, s.Svc.Kernel, sec, f.Slug), documents.DocumentInput{Type: documents.DocContribution, Parties: []string{p.Code},
			Title: "Contribution from " + p.Name + " on the counted draft", Visibility: "members", Languages: []string{"en"},
			Text: p.Name + " proposes a reading of the counted draft."})
		if err != nil {
			t.Fatalf("contribution of %s: %v", p.Code, err)
		}
		pv := fmt.Sprintf("p%d", 1+(n-1)%size.provisions)
		if _, err := s.Svc.Drafting.ProposeAmendment(ctx, fixture.In(t, s.Svc.Kernel, sec, f.Slug), d.ID, drafting.ProposalInput{Op: "MOD", Provision: pv, Party: p.Code, Contribution: doc.ID,
			Text: fmt.Sprintf("that this provision should be read as %s proposes;", p.Name)}); err != nil {
			t.Fatalf("proposal for %s: %v", p.Code, err)
		}
	}
	if n != size.proposals {
		t.Fatalf("%d proposals, want %d", n, size.proposals)
	}
	return d
}
