package finalacts_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/decisions"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/finalacts"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

const treaty = `# International Telecommunication Regulations

*recognizing*

a) the right of Member States to regulate their telecommunications;

*resolves*

1. that Member States shall endeavour to ensure quality of service;

2. that these Regulations do not address the content-related aspects of telecommunications.
`

var (
	opens  = time.Date(2012, 12, 14, 10, 0, 0, 0, time.UTC)
	closes = time.Date(2012, 12, 14, 18, 0, 0, 0, time.UTC)
)

// site is a treaty conference with adopted final acts open for
// signature, Member States whose credentials are in several states, an
// adviser, an observer and the secretariat.
type site struct {
	*servertest.Site
	ctx    context.Context
	f      forum.Forum
	admin  forum.Actor
	people map[string]forum.Actor // by key: head of FRA, KEN, CAN, CZE; adviser of FRA; observer
	fa     finalacts.FinalActs
	dec    decisions.Decision // the consensus that adopted the text
	path   string
	mu     sync.Mutex
	clock  time.Time
}

func (s *site) at(t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock = t
}

func (s *site) in(t testing.TB, a forum.Actor) *forum.Scope {
	return fixture.In(t, s.Svc.Kernel, a, s.f.Slug)
}

func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{Site: servertest.New(t), ctx: context.Background(), people: map[string]forum.Actor{}, clock: opens.Add(-24 * time.Hour)}
	s.Svc.FinalActs.SetClock(func() time.Time {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.clock
	})
	s.admin = s.User("admin@example.org", "Ada Admin", true)
	f, err := s.Svc.Kernel.CreateForum(s.ctx, s.admin, forum.ForumInput{Slug: "wcit-12", Title: "WCIT-12", Kind: forum.KindTreatyConference, DocPrefix: "WCIT-12"})
	if err != nil {
		t.Fatal(err)
	}
	s.f = f
	adm := s.in(t, s.admin)
	if _, err := s.Svc.Kernel.CreateBody(s.ctx, adm, forum.BodyInput{Slug: "plen", Name: "Plenary", Kind: "plenary"}); err != nil {
		t.Fatal(err)
	}
	chair := s.User("chair@example.org", "Chair Person", false)
	s.register(t, "chair@example.org", participation.RegistrationInput{Role: "chair", Mode: "in_room"})
	m, err := s.Svc.Meetings.ScheduleMeeting(s.ctx, adm, meetings.MeetingInput{Body: "plen", Title: "Plenary 17", Date: "2012-12-14", Start: "09:30", End: "12:30", Zone: "Asia/Dubai"})
	if err != nil {
		t.Fatal(err)
	}
	ch := s.in(t, chair)
	if m, err = s.Svc.Meetings.ChangeState(s.ctx, ch, m.ID, "open", ""); err != nil {
		t.Fatal(err)
	}
	d, err := s.Svc.Drafting.CreateDraft(s.ctx, adm, drafting.DraftInput{Text: treaty, Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	dec, err := s.Svc.Decisions.OpenConsensus(s.ctx, ch, decisions.ConsensusInput{OpenInput: decisions.OpenInput{Meeting: m.ID, Title: "Adoption of the ITRs",
		Subject: decisions.SubjectInput{Kind: decide.OnRevision, Draft: d.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	if s.dec, err = s.Svc.Decisions.CloseConsensus(s.ctx, ch, dec.ID, decisions.FindingInput{Finding: decide.FoundAdopted}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Svc.Participation.ChoosePreset(s.ctx, adm, rules.PresetITUTreatyConference); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ code, name, region, cred string }{
		{"FRA", "France", "Europe", "in_order"},
		{"DEU", "Germany", "Europe", "in_order"},
		{"KEN", "Kenya", "Africa", "sign_only"},
		{"CAN", "Canada", "Americas", "provisional"},
		{"CZE", "Czechia", "Europe", "transferred"},
	} {
		if _, err := s.Svc.Participation.AddParty(s.ctx, adm, participation.PartyInput{Code: p.code, Name: p.name, Kind: "member_state",
			Group: rules.GroupMemberState, ISO3: p.code, Region: p.region}); err != nil {
			t.Fatalf("%s: %v", p.code, err)
		}
		email := strings.ToLower(p.code) + "-head@example.org"
		s.people[p.code] = s.User(email, "Head of "+p.name, false)
		s.register(t, email, participation.RegistrationInput{Party: p.code, Role: string(rules.RoleHeadOfDelegation), Mode: "in_room"})
		in := participation.CredentialsInput{State: p.cred}
		if p.cred == "transferred" {
			in.Proxy = "FRA"
		}
		if _, err := s.Svc.Participation.RecordCredentials(s.ctx, adm, p.code, in); err != nil {
			t.Fatalf("credentials of %s: %v", p.code, err)
		}
	}
	s.people["adviser"] = s.User("fra-adviser@example.org", "Adviser of France", false)
	s.register(t, "fra-adviser@example.org", participation.RegistrationInput{Party: "FRA", Role: string(rules.RoleAdviser), Mode: "in_room"})
	s.people["delegate"] = s.User("fra-delegate@example.org", "Delegate of France", false)
	s.register(t, "fra-delegate@example.org", participation.RegistrationInput{Party: "FRA", Role: string(rules.RoleDelegate), Mode: "in_room"})
	s.people["observer"] = s.User("observer@example.org", "Olga Observer", false)
	s.register(t, "observer@example.org", participation.RegistrationInput{Group: rules.GroupObserver, Role: string(rules.RoleObserver), Mode: "in_room"})

	fa, err := s.Svc.FinalActs.Assemble(s.ctx, adm, finalacts.AssembleInput{Title: "Final Acts of WCIT-12", Texts: []finalacts.TextInput{{Draft: d.ID}},
		Visibility: "public", Note: "The split of signatories is illustrative."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Svc.FinalActs.OpenForSignature(s.ctx, adm, fa.ID, finalacts.TimeInput{At: &opens}); err != nil {
		t.Fatal(err)
	}
	if s.fa, err = s.Svc.FinalActs.CloseForSignature(s.ctx, adm, fa.ID, finalacts.TimeInput{At: &closes}); err != nil {
		t.Fatal(err)
	}
	s.path = "/forums/" + f.Slug + "/final-acts/" + fa.ID
	s.at(opens.Add(time.Hour))
	return s
}

func (s *site) register(t *testing.T, email string, in participation.RegistrationInput) {
	t.Helper()
	in.Email = email
	if _, err := s.Svc.Participation.Register(s.ctx, s.in(t, s.admin), in); err != nil {
		t.Fatalf("register %s: %v", email, err)
	}
}

func (s *site) client(t *testing.T, key string) *servertest.Client {
	t.Helper()
	c := s.Client()
	switch key {
	case "":
	case "admin":
		c.Login(s.admin.Email)
	default:
		c.Login(s.people[key].Email)
	}
	return c
}

func wantStatus(t *testing.T, r servertest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, mainOf(r.Body))
	}
}

func mustContain(t *testing.T, r servertest.Response, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(r.Body, s) {
			t.Fatalf("%s %s: no %q in\n%s", r.Request.Method, r.Request.URL.Path, s, mainOf(r.Body))
		}
	}
}

func mustNotContain(t *testing.T, r servertest.Response, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(r.Body, s) {
			t.Fatalf("%s %s: %q should not be in\n%s", r.Request.Method, r.Request.URL.Path, s, mainOf(r.Body))
		}
	}
}

func mainOf(body string) string {
	_, after, _ := strings.Cut(body, `<main id="main"`)
	main, _, _ := strings.Cut(after, "</main>")
	return main
}

func TestFinalActsPages(t *testing.T) {
	s := newSite(t)
	public := s.client(t, "")
	r := public.Get("/forums/" + s.f.Slug + "/final-acts")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, s.fa.Number, "Final Acts of WCIT-12", `href="/forums/wcit-12/final-acts"`)
	r = public.Get(s.path)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, s.fa.Hash, "Illustrative figures.", "International Telecommunication Regulations", `type="application/atom+xml"`,
		"Eligible parties by state of signature", "By region", "The map in a table", s.path+"/signatures.csv")
	// The eligible: France, Germany and Kenya (Canada is provisional; Czechia transferred its powers).
	mustContain(t, r, "<tbody><tr><td>3</td><td>0</td>")
	mustContain(t, r, `As adopted: <a href="/forums/wcit-12/drafts/`+s.fa.Provisions[0].DraftID+`">`)
	mustNotContain(t, r, `action="`+s.path+`/open"`, `href="`+s.path+`/sign"`)
}

func TestSigning(t *testing.T) {
	s := newSite(t)
	fra := s.client(t, "FRA")
	sign := s.path + "/sign"
	r := fra.Get(sign)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, s.fa.Hash, `name="hash" value="`+s.fa.Hash+`"`, "Signed subject to ratification", "Declined to sign", "Name a delegate of France to sign")

	// Denials explain the rule instead of the form.
	for key, words := range map[string]string{
		"":        "Log in",
		"adviser": "Adviser",
		"CZE":     "powers transferred",
		"CAN":     "provisional",
	} {
		r := s.client(t, key).Get(sign)
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, `id="refusal"`, words)
		mustNotContain(t, r, `name="hash"`)
	}

	// A stale hash is refused with the input kept.
	r = fra.PostForm(sign, sign, url.Values{"state": {"signed"}, "hash": {strings.Repeat("0", 64)}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "changed since you opened them", `value="signed" aria-describedby="m-signed" checked`)
	// No choice: the field is named.
	r = fra.PostForm(sign, sign, url.Values{"hash": {s.fa.Hash}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "state")

	r = fra.PostForm(sign, sign, url.Values{"state": {"signed"}, "hash": {s.fa.Hash}})
	wantStatus(t, r, http.StatusSeeOther)
	r = s.client(t, "KEN").PostForm(sign, sign, url.Values{"state": {"signed_subject_to_ratification"}, "hash": {s.fa.Hash}})
	wantStatus(t, r, http.StatusSeeOther)
	r = fra.Get(sign)
	mustContain(t, r, "France has already signed")

	r = s.client(t, "").Get(s.path + "/signatures")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, `id="party-FRA"`, "Head of France", "head of delegation", "Signed subject to ratification", s.fa.Hash[:12])

	// The head names a delegate.
	r = fra.Get(sign)
	m := regexp.MustCompile(`<option value="([^"]+)"[^>]*>Delegate of France</option>`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no delegate to name in\n%s", mainOf(r.Body))
	}
	wantStatus(t, fra.PostForm(sign, s.path+"/signer", url.Values{"registration": {m[1]}}), http.StatusSeeOther)
	mustContain(t, fra.Get(sign), "Delegate of France for France (named by the head of delegation)")

	// The map: one shape per signatory, each with an accessible name
	// that says its state.
	r = s.client(t, "").Get(s.path)
	mustContain(t, r, "<tbody><tr><td>3</td><td>2</td><td>1</td>")
	for code, name := range map[string]string{"FRA": "France: signed", "KEN": "Kenya: signed subject to ratification"} {
		re := regexp.MustCompile(`<a [^>]*data-state="` + code + `" aria-label="` + name + `"[^>]*><title>` + name + `</title>`)
		if n := len(re.FindAllString(r.Body, -1)); n != 1 {
			t.Fatalf("%s: %d shapes named %q on the map", code, n, name)
		}
		if n := strings.Count(r.Body, `data-state="`+code+`"`); n != 1 {
			t.Fatalf("%s: %d shapes on the map", code, n)
		}
	}
	mustContain(t, r, `href="`+s.path+`/signatures#party-FRA"`)

	// The record describes the signature.
	mustContain(t, s.client(t, "").Get("/forums/"+s.f.Slug+"/record"), "France signed the final acts")
}

func TestDeclarations(t *testing.T) {
	s := newSite(t)
	deu := s.client(t, "DEU")
	form := s.path + "/declarations/new"
	r := deu.Get(form)
	wantStatus(t, r, http.StatusOK)
	prov := s.fa.Provisions[len(s.fa.Provisions)-1]
	mustContain(t, r, `value="`+prov.Key+`"`, `name="parties" multiple`)
	// Refused without text: the field is named and the choice kept.
	r = deu.PostForm(form, s.path+"/declarations", url.Values{"kind": {"reservation"}, "provisions": {prov.Key}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "text", `value="`+prov.Key+`" checked`)
	r = deu.PostForm(form, s.path+"/declarations", url.Values{"kind": {"reservation"}, "provisions": {prov.Key}, "text": {"Germany reserves its position on content."}})
	wantStatus(t, r, http.StatusSeeOther)
	// A joint one, entered by the secretariat from the paper handed in.
	adm := s.client(t, "admin")
	r = adm.PostForm(form, s.path+"/declarations", url.Values{"kind": {"declaration"}, "parties": {"DEU", "FRA"}, "references": {"1"},
		"text": {"Germany and France answer No. 1."}})
	wantStatus(t, r, http.StatusSeeOther)

	r = s.client(t, "").Get(s.path + "/declarations")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "No. 1 — Reservation — Germany — on ", "No. 2 — Additional declaration — Germany, France", `Answering No. <a href="#decl-1">1</a>`)
	r = s.client(t, "observer").Get(s.path)
	mustContain(t, r, `<a href="`+s.path+`/declarations#decl-1">No. 1</a>: Reservation by Germany`)

	// An observer may not deposit; after the cut-off, nobody may, and the
	// refusal names the cut-off.
	r = s.client(t, "observer").Get(form)
	mustContain(t, r, `id="refusal"`)
	mustNotContain(t, r, `name="text"`)
	wantStatus(t, adm.PostForm(s.path, s.path+"/cutoff", url.Values{"at": {"2012-12-14T15:00"}}), http.StatusSeeOther)
	r = deu.Get(form)
	mustContain(t, r, "The cut-off for declarations and reservations", "14 Dec 2012 15:00")
	s.at(closes.Add(-time.Hour))
	r = deu.Get(form)
	mustContain(t, r, `id="refusal"`, "cut-off")
	r = deu.PostForm(s.path+"/declarations", s.path+"/declarations", url.Values{"csrf_token": {deu.CSRF(s.path)}, "kind": {"declaration"}, "text": {"Late."}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "cut-off", "Late.")
}

func TestSecretariatForms(t *testing.T) {
	s := newSite(t)
	adm := s.client(t, "admin")
	list := "/forums/" + s.f.Slug + "/final-acts"
	r := adm.Get(list)
	mustContain(t, r, "Assemble final acts", "International Telecommunication Regulations (adopted revision 1)")
	r = adm.PostForm(list, list, url.Values{"title": {""}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "texts")
	// Times in the forum's zone (Asia/Dubai, its meeting's).
	r = adm.Get(s.path)
	mustContain(t, r, "Asia/Dubai", `action="`+s.path+`/revise"`)
	r = adm.PostForm(s.path, s.path+"/close", url.Values{"at": {"tomorrow"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "2012-12-14T10:00", `value="tomorrow"`)
	wantStatus(t, adm.PostForm(s.path, s.path+"/close", url.Values{"at": {"2012-12-14T23:00"}}), http.StatusSeeOther)
	fa, err := s.Svc.FinalActs.FinalActs(s.ctx, s.in(t, s.admin), s.fa.ID)
	if err != nil || fa.ClosesAt == nil || !fa.ClosesAt.Equal(time.Date(2012, 12, 14, 19, 0, 0, 0, time.UTC)) {
		t.Fatalf("closes at %v (%v)", fa.ClosesAt, err)
	}
	// A corrigendum needs its note, and a text that changed.
	fra := s.client(t, "FRA")
	r = adm.PostForm(s.path, s.path+"/revise", url.Values{"kind": {"corr"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "note")
	r = adm.PostForm(s.path, s.path+"/revise", url.Values{"kind": {"corr"}, "note": {"A typographical correction."}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "nothing to revise", "A typographical correction.")
	// The revise form picks the texts: the one included now is checked.
	draft := s.fa.Provisions[0].DraftID
	r = adm.Get(s.path)
	mustContain(t, r, `id="f-revise-texts"`, `id="f-revise-text-`+draft+`" name="texts" value="`+draft+`" checked`,
		"International Telecommunication Regulations (adopted revision 1), in the final acts now")
	r = adm.PostForm(s.path, s.path+"/revise", url.Values{"picker": {"1"}, "kind": {"corr"}, "note": {"Nothing kept."}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "check at least one adopted text")
	mustNotContain(t, r, `value="`+draft+`" checked`)
	r = adm.PostForm(s.path, s.path+"/revise", url.Values{"picker": {"1"}, "texts": {draft}, "revision-" + draft: {"1"}, "order-" + draft: {"1"},
		"kind": {"corr"}, "note": {"The same text."}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "nothing to revise")
	// A non-secretariat cannot use the forms.
	wantStatus(t, fra.PostForm(s.path, s.path+"/open", url.Values{}), http.StatusForbidden)
	// Statements: an explanation on the final acts, a closing statement on the forum.
	wantStatus(t, fra.PostForm(s.path, s.path+"/statements", url.Values{"kind": {"explanation"}, "text": {"France explains."}}), http.StatusSeeOther)
	mustContain(t, s.client(t, "").Get(s.path), "France explains.")
	wantStatus(t, adm.PostForm(list, "/forums/"+s.f.Slug+"/closing-statements", url.Values{"author": {"Civil society caucus"}, "text": {"We dissent."}}), http.StatusSeeOther)
	mustContain(t, s.client(t, "").Get(list), "Civil society caucus", "We dissent.")
}

func TestDownloads(t *testing.T) {
	s := newSite(t)
	fra := s.client(t, "FRA")
	wantStatus(t, fra.PostForm(s.path+"/sign", s.path+"/sign", url.Values{"state": {"signed"}, "hash": {s.fa.Hash}}), http.StatusSeeOther)
	public := s.client(t, "")
	for name, ct := range map[string]string{"signatures.csv": "text/csv", "declarations.csv": "text/csv", "final-acts.json": "application/json",
		"final-acts.akn.xml": "application/akn+xml", "signatures.atom": "application/atom+xml"} {
		r := public.Get(s.path + "/" + name)
		wantStatus(t, r, http.StatusOK)
		if got := r.Header.Get("Content-Type"); !strings.HasPrefix(got, ct) {
			t.Fatalf("%s: Content-Type %q", name, got)
		}
		if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="WCIT-12`) || !strings.HasSuffix(cd, name+`"`) {
			t.Fatalf("%s: Content-Disposition %q", name, cd)
		}
		switch {
		case strings.HasSuffix(name, ".csv"):
			rows, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
			if err != nil || len(rows) < 1 {
				t.Fatalf("%s: %v", name, err)
			}
			if name == "signatures.csv" && (len(rows) != 4 || !strings.Contains(r.Body, "France")) {
				t.Fatalf("signatures.csv: %q", r.Body)
			}
		case strings.HasSuffix(name, ".json"):
			var v map[string]any
			if err := json.Unmarshal([]byte(r.Body), &v); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !strings.Contains(r.Body, "sha256:"+s.fa.Hash) {
				t.Fatalf("%s has not the text's hash", name)
			}
		default:
			var v struct{ XMLName xml.Name }
			if err := xml.Unmarshal([]byte(r.Body), &v); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if name == "signatures.atom" && (v.XMLName.Local != "feed" || !strings.Contains(r.Body, "France signed")) {
				t.Fatalf("the feed: %s", r.Body)
			}
		}
	}
}

// TestFeedKeepsEveryAct: the Atom feed is built from the signature acts,
// as a depositary notifies them, so a party that declines and later signs
// has two entries, each linking the party's row of the signatures list.
func TestFeedKeepsEveryAct(t *testing.T) {
	s := newSite(t)
	deu := s.client(t, "DEU")
	wantStatus(t, deu.PostForm(s.path+"/sign", s.path+"/sign", url.Values{"state": {"declined"}, "hash": {s.fa.Hash}}), http.StatusSeeOther)
	s.at(opens.Add(2 * time.Hour))
	wantStatus(t, deu.PostForm(s.path+"/sign", s.path+"/sign", url.Values{"state": {"signed"}, "hash": {s.fa.Hash}}), http.StatusSeeOther)
	r := s.client(t, "").Get(s.path + "/signatures.atom")
	wantStatus(t, r, http.StatusOK)
	var feed struct {
		Entries []struct {
			ID    string `xml:"id"`
			Title string `xml:"title"`
			Link  struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(r.Body), &feed); err != nil {
		t.Fatal(err)
	}
	if len(feed.Entries) != 2 || feed.Entries[0].Title != "Germany signed the Final Acts" || feed.Entries[1].Title != "Germany declined to sign the Final Acts" {
		t.Fatalf("the feed's entries, newest first: %+v", feed.Entries)
	}
	for _, e := range feed.Entries {
		if !strings.HasSuffix(e.Link.Href, "/signatures#party-DEU") || strings.Contains(e.ID, "//") || feed.Entries[0].ID == feed.Entries[1].ID {
			t.Fatalf("entry %+v: its link or id", e)
		}
	}
	// The lists keep the last act: Germany signed.
	csvr := s.client(t, "").Get(s.path + "/signatures.csv")
	if !strings.Contains(csvr.Body, "DEU,Germany") || strings.Contains(csvr.Body, "declined") {
		t.Fatalf("signatures.csv keeps each party's last act:\n%s", csvr.Body)
	}
}

// TestSignatureWindowWording: the window's times read in the tense of the
// moment, the signing page names the text once by its version, and the
// refusal after the close is a sentence about the final acts.
func TestSignatureWindowWording(t *testing.T) {
	s := newSite(t)
	fra := s.client(t, "FRA")
	s.at(opens.Add(-time.Hour))
	r := fra.Get(s.path)
	mustContain(t, r, "Opens 14 Dec 2012", "Closes 14 Dec 2012")
	mustNotContain(t, r, "Opened 14 Dec", "Closed 14 Dec")
	s.at(opens.Add(time.Hour))
	r = fra.Get(s.path + "/sign")
	mustContain(t, r, "Opened 14 Dec 2012", "Closes 14 Dec 2012", "You sign exactly this text: "+s.fa.Number+" (text 1), “Final Acts of WCIT-12”")
	mustNotContain(t, r, s.fa.Number+", "+s.fa.Number)
	s.at(closes.Add(time.Hour))
	r = fra.Get(s.path + "/sign")
	mustContain(t, r, "Opened 14 Dec 2012", "Closed 14 Dec 2012", "The final acts "+s.fa.Number+" are not open for signature now: open for signature from 2012-12-14 10:00 UTC until 2012-12-14 18:00 UTC.")
	mustNotContain(t, r, "Closes 14 Dec", `name="hash"`)
	// Once closed, a party that has not signed did not sign: the tallies
	// and the map's legend say so.
	r = fra.Get(s.path)
	mustContain(t, r, "Closed for signature.", `<th scope="col">Did not sign</th>`, "Did not sign: ")
	mustNotContain(t, r, `<th scope="col">Not yet</th>`, "Not yet signed: ", "sse-connect")
	s.at(opens.Add(time.Hour))
	r = fra.Get(s.path)
	mustContain(t, r, "Open for signature.", `<th scope="col">Not yet</th>`,
		`sse-connect="`+s.path+`/events"`, `hx-trigger="sse:finalacts" hx-target="#signature-state"`)
	// htmx's request for the fragment gets where signature stands alone.
	frag := fra.Do("GET", s.path, nil, http.Header{"Hx-Request": {"true"}, "Hx-Target": {"signature-state"}})
	mustContain(t, frag, `<div id="signature-state">`, "Where signature stands")
	mustNotContain(t, frag, "<html", "The text")
}

// TestDecisionPageShowsTheFinalActs: the page of the decision that
// adopted a text links the final acts that include it, and shows the
// explanations of position filed on the decision.
func TestDecisionPageShowsTheFinalActs(t *testing.T) {
	s := newSite(t)
	page := "/forums/" + s.f.Slug + "/decisions/" + s.dec.ID
	r := s.client(t, "").Get(page)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, `<h2 id="fa-included-h">In the final acts</h2>`, `<a href="`+s.path+`">`+s.fa.Number+`</a> (“Final Acts of WCIT-12”`)
	mustNotContain(t, r, "Statements kept with this decision")
	if _, err := s.Svc.FinalActs.FileStatement(s.ctx, s.in(t, s.people["FRA"]), finalacts.StatementInput{Kind: finalacts.Explanation,
		Target: finalacts.TargetInput{Kind: finalacts.OnDecision, ID: s.dec.ID}, Text: "France joined the consensus & keeps its reading of Article 1."}); err != nil {
		t.Fatal(err)
	}
	r = s.client(t, "").Get(page)
	mustContain(t, r, "Statements kept with this decision", "Explanation of position</strong> by France",
		"France joined the consensus &amp; keeps its reading of Article 1.")
	// A statement filed on the adopted text, as a document, is kept with
	// the decision that adopted it too.
	if s.dec.Document == nil {
		t.Fatal("the decision adopted no document")
	}
	if _, err := s.Svc.FinalActs.FileStatement(s.ctx, s.in(t, s.people["DEU"]), finalacts.StatementInput{Kind: finalacts.Explanation,
		Target: finalacts.TargetInput{Kind: finalacts.OnDocument, ID: s.dec.Document.ID}, Text: "Germany reads Article 2 narrowly."}); err != nil {
		t.Fatal(err)
	}
	r = s.client(t, "").Get(page)
	mustContain(t, r, "Germany reads Article 2 narrowly.", "by Germany, on the adopted text")
	if i, j := strings.Index(r.Body, "France joined the consensus"), strings.Index(r.Body, "Germany reads Article 2"); i < 0 || j < i {
		t.Errorf("statements out of the order they were filed in")
	}
}

// The secretariat names a delegate to sign from a party's credentials,
// through a form that lists every party's approved delegates.
func TestSecretariatNamesASignerFromTheCredentials(t *testing.T) {
	s := newSite(t)
	adm := s.client(t, "admin")
	sign := s.path + "/sign"
	mustContain(t, adm.Get(s.path), `href="`+sign+`">Name a signer from the credentials`)
	r := adm.Get(sign)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Name a signer from the credentials (secretariat)", `<optgroup label="France">`)
	mustNotContain(t, r, "Head of France</option>", "Adviser of France</option>")
	m := regexp.MustCompile(`<option value="(FRA\|[^"]+)"[^>]*>Delegate of France</option>`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no delegate of France to name in\n%s", mainOf(r.Body))
	}
	// A delegate entered for another party is refused, with the reason.
	_, reg, _ := strings.Cut(m[1], "|")
	r = adm.PostForm(sign, s.path+"/signer", url.Values{"credential": {"DEU|" + reg}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "not registered for this party")
	// A head of delegation may not enter credentials.
	r = s.client(t, "FRA").PostForm(sign, s.path+"/signer", url.Values{"credential": {m[1]}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "the secretariat enters whom the credentials name")
	wantStatus(t, adm.PostForm(sign, s.path+"/signer", url.Values{"credential": {m[1]}}), http.StatusSeeOther)
	mustContain(t, adm.Get(sign), "Delegate of France for France (named in the credentials)")
}
