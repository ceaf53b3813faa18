package meetings_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/text"
)

// plainProvisions are the provisions of the draft's current revision
// without brackets, with their text as a page escapes it.
func plainProvisions(rv drafting.RevisionView) map[string]string {
	out := map[string]string{}
	for i := range rv.Text.Provisions {
		p := &rv.Text.Provisions[i]
		if len(p.Body) == 1 && p.Body[0].Bracket == nil && p.Kind != text.KindHeading {
			out[p.ID] = html.EscapeString(p.Body[0].Text)
		}
	}
	return out
}

// The live page and the projector show the current revision of what the
// item under discussion takes up: the whole draft for item 2 of WG3-4,
// the one provision for item 2.2; a draft the viewer may not read is
// left out.
func TestTheTextUnderDiscussion(t *testing.T) {
	s := newLiveSite(t)
	ctx := context.Background()
	live := wg3 + "/live"
	anon, chair := s.client(t, ""), s.client(t, "chair")
	secSc := fixture.In(t, s.Svc.Kernel, s.persona(t, "secretariat"), demo.WTPFSlug)
	chairSc := fixture.In(t, s.Svc.Kernel, s.persona(t, "chair"), demo.WTPFSlug)
	m, err := s.Svc.Meetings.Meeting(ctx, secSc, demo.WG3Meeting)
	if err != nil {
		t.Fatal(err)
	}
	var whole, one meetings.AgendaItem
	for _, it := range m.Agenda {
		for _, l := range it.Links {
			switch l.Kind {
			case meetings.LinkDraft:
				whole = it
			case meetings.LinkProvision:
				one = it
			}
		}
	}
	if whole.ID == "" || one.ID == "" || m.CurrentItem != whole.ID {
		t.Fatalf("the demo's agenda: %+v, current %s", m.Agenda, m.CurrentItem)
	}
	var draftID, provID string
	for _, l := range one.Links {
		draftID, provID = l.Ref, l.Provision
	}
	rv, err := s.Svc.Drafting.DraftRevision(ctx, secSc, draftID, 0)
	if err != nil {
		t.Fatal(err)
	}
	plain := plainProvisions(rv)
	if len(plain) < 3 || plain[provID] == "" {
		t.Fatalf("the draft's plain provisions: %v (linked: %s)", plain, provID)
	}

	// Item 2 takes up the whole draft.
	r := anon.Get(live)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, `<section class="discussed" aria-labelledby="text-h">`, `<h2 id="text-h">The text under discussion</h2>`, rv.Draft.Label)
	for _, body := range plain {
		mustContain(t, r, body)
	}

	// Item 2.2 takes up one provision: the live page and the projector
	// show it and no other.
	wantStatus(t, chair.PostForm(live+"/chair", live+"/chair/item", url.Values{"item": {one.ID}}), http.StatusSeeOther)
	for _, face := range []string{live, live + "/projector"} {
		r = anon.Get(face)
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "The text under discussion", plain[provID])
		for id, body := range plain {
			if id != provID {
				mustNotContain(t, r, body)
			}
		}
	}
	if m := mainOf(r.Body); strings.Contains(m, "<form") || strings.Contains(m, "<button") {
		t.Fatalf("the projector view has controls: %s", m)
	}

	// A draft for members only: its text is shown to a delegate, not to
	// the public; the item still names it.
	members, err := s.Svc.Drafting.CreateDraft(ctx, secSc, drafting.DraftInput{Text: "# Informal note on remote hubs\n\n1. that remote hubs should have a moderator who may ask for the floor;\n",
		Body: "wg3", Visibility: "members", IssuedOn: "2013-05-14"})
	if err != nil {
		t.Fatal(err)
	}
	it, err := s.Svc.Meetings.AddItem(ctx, chairSc, m.ID, meetings.ItemInput{Title: "Remote hubs", Reason: "Added at the request of the chair.",
		Links: []meetings.LinkInput{{Kind: meetings.LinkDraft, Ref: members.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Svc.Meetings.SetCurrentItem(ctx, chairSc, m.ID, it.ID); err != nil {
		t.Fatal(err)
	}
	secret := "remote hubs should have a moderator who may ask for the floor"
	r = anon.Get(live)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Remote hubs")
	mustNotContain(t, r, secret, "The text under discussion")
	r = s.client(t, "member_state").Get(live + "/projector")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "The text under discussion", secret)
}

// The demo's finished interventions of WG3-4 have transcript lines: the
// interventions page and the debate say who said what.
func TestTheDemoTranscriptSaysWhoSaidWhat(t *testing.T) {
	s := newLiveSite(t)
	anon := s.client(t, "")
	chidi := demo.LoginByKey("remote_delegate").Name
	said := "Remote participation should be a right of every stakeholder, not a favour."
	r := anon.Get(wg3 + "/interventions")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, `<span class="hint">`+chidi+`:</span> `+said, `<span class="hint">Uma Delegate:</span> Point of order, Chair.`)
	r = anon.Get(wg3 + "/debate.xml")
	wantStatus(t, r, http.StatusOK)
	i := strings.Index(r.Body, said)
	if i < 0 {
		t.Fatalf("the debate does not have the remote delegate's words:\n%s", r.Body)
	}
	speech := r.Body[strings.LastIndex(r.Body[:i], "<speech"):i]
	if !strings.Contains(speech, chidi) {
		t.Fatalf("the words are not in %s's speech: %s", chidi, speech)
	}
	validateAKN(t, r.Body)
}
