package participation_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// ledgerHeads is the head of every chain of the site's ledger.
func ledgerHeads(t *testing.T, s *servertest.Site) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	chains, err := s.Store.AllChains(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, c := range chains {
		if out[c], err = s.Store.HeadSeq(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func wantSameHeads(t *testing.T, what string, before map[string]int64, s *servertest.Site) {
	t.Helper()
	after := ledgerHeads(t, s)
	if len(after) != len(before) {
		t.Fatalf("%s: chains %v, then %v", what, before, after)
	}
	for c, n := range before {
		if after[c] != n {
			t.Fatalf("%s appended events to chain %s: %d -> %d", what, c, n, after[c])
		}
	}
}

// A CSV file that is not UTF-8, imported through the page, is refused row
// by row and nothing is imported.
func TestImportOfAFileThatIsNotUTF8(t *testing.T) {
	s := pwSetup(t)
	sec := s.client(s.sec)
	ctx := context.Background()
	parties, _ := s.Svc.Participation.Parties(ctx, fixture.In(t, s.Svc.Kernel, forum.Anonymous, s.f))
	before := ledgerHeads(t, s.Site)
	latin1 := "code,name,group,region\nCIV,C\xf4te d'Ivoire,member_state,Africa\nPER,Per\xfa,member_state,Am\xe9ricas\n"
	r := pwMultipart(t, sec, s, "/forums/wcit/parties/import", sec.CSRF("/forums/wcit/participants"), latin1, "")
	pwStatus(t, r, http.StatusUnprocessableEntity, "Row 2, name")
	for _, want := range []string{"Row 3, name", "Row 3, region", "is not valid UTF-8 text; save the file as UTF-8", "nothing was imported"} {
		if !strings.Contains(r.Body, want) {
			t.Fatalf("%q is not reported:\n%s", want, pwText(pwParse(t, r.Body)))
		}
	}
	wantSameHeads(t, "a refused import", before, s.Site)
	if ps, _ := s.Svc.Participation.Parties(ctx, fixture.In(t, s.Svc.Kernel, forum.Anonymous, s.f)); len(ps) != len(parties) {
		t.Fatalf("%d parties after a refused import, %d before", len(ps), len(parties))
	}
	// The other fields of a multipart form are checked as any form's.
	r = pwMultipart(t, sec, s, "/forums/wcit/parties/import", sec.CSRF("/forums/wcit/participants"), "code,name,group\n", "tod\xe4y")
	pwStatus(t, r, http.StatusUnprocessableEntity, "is not valid UTF-8 text")
}
