package demo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
)

func TestDemoDocuments(t *testing.T) {
	ctx := context.Background()
	st, svc := loadDemo(t)
	f, err := svc.Kernel.ForumBySlug(ctx, demo.WTPFSlug)
	if err != nil {
		t.Fatal(err)
	}
	head, _ := st.HeadSeq(ctx, f.ID)
	if err := demo.Load(ctx, svc); err != nil {
		t.Fatal(err)
	}
	if n, _ := st.HeadSeq(ctx, f.ID); n != head {
		t.Fatalf("a second load appended events (%d -> %d)", head, n)
	}
	// What the public sees before the server's first sweep.
	public, err := svc.Documents.Documents(ctx, fixture.In(t, svc.Kernel, forum.Anonymous, f), documents.DocumentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]documents.Document{}
	for _, d := range public {
		got[d.Number] = d
	}
	for number, source := range map[string]string{
		"WTPF-13/3": "", "WTPF-13/6": "USA", "WTPF-13/7": "TUR", "WTPF-13/8": "RIPE", "WTPF-13/9": "ISOC", "WTPF-13/11": "AUS",
		"WTPF-13/12": "BRA", "WTPF-IEG/3/12": "", "DT/1": "",
	} {
		d, ok := got[number]
		if !ok {
			t.Errorf("%s is not in the public register", number)
			continue
		}
		if source != "" && (len(d.Parties) != 1 || d.Parties[0].Code != source) {
			t.Errorf("%s comes from %+v, want %s", number, d.Parties, source)
		}
	}
	if d := got["WTPF-13/3"]; d.Type != documents.DocReport || !strings.Contains(d.Title, "Secretary-General") {
		t.Errorf("WTPF-13/3: %+v", d)
	}
	// The register read released the document whose embargo had passed;
	// the members-only one and the one still under embargo stay hidden.
	var released, hidden int
	all, _ := svc.Documents.Documents(ctx, fixture.In(t, svc.Kernel, actorFor(t, svc, "secretariat"), f), documents.DocumentFilter{})
	for _, d := range all {
		switch {
		case d.ReleasedAt != nil:
			released++
		case !d.Public():
			hidden++
			if _, ok := got[d.Number]; ok {
				t.Errorf("restricted %s is public", d.Number)
			}
		}
	}
	if released != 1 || hidden != 2 {
		t.Fatalf("released %d, restricted %d; want 1 and 2", released, hidden)
	}
	evs, _ := st.EventsAfter(ctx, f.ID, 0, 10000)
	n := 0
	for _, ev := range evs {
		if ev.Type == "document.released" && ev.Actor == ledger.SystemActor {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d release events", n)
	}
}

func actorFor(t *testing.T, svc *app.App, key string) forum.Actor {
	t.Helper()
	u, err := svc.Accounts.UserByEmail(context.Background(), demo.LoginByKey(key).Email)
	if err != nil {
		t.Fatal(err)
	}
	return forum.Actor{UserID: u.ID, Name: u.Name, Admin: u.Admin}
}
