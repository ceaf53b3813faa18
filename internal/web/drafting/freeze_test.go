package drafting_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/fixture"
)

// addDTSeries gives the forum a series of temporary documents, DT/n.
func (s *draftSite) addDTSeries(t *testing.T) {
	t.Helper()
	if _, err := s.Svc.Documents.CreateSeries(context.Background(), fixture.In(t, s.Svc.Kernel, s.sec, s.f.Slug),
		documents.SeriesInput{Slug: "dt", Prefix: "DT", Name: "Temporary documents"}); err != nil {
		t.Fatal(err)
	}
}

func (s *draftSite) draftDocuments(t *testing.T) []drafting.DraftDocument {
	t.Helper()
	dds, err := s.Svc.Drafting.DraftDocuments(context.Background(), fixture.In(t, s.Svc.Kernel, s.sec, s.f.Slug), s.d.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	return dds
}

func TestFreezingTheCompilation(t *testing.T) {
	s := newDraftSite(t)
	s.addDTSeries(t)
	am := s.propose(t, s.bra, drafting.ProposalInput{Op: "MOD", Provision: "p2", Text: "that all stakeholders should take part in Internet governance on an equal footing;"})
	comp := s.base + "/compilation"
	freeze := comp + "/freeze"

	// The form is for those who may freeze it: the editor.
	r := s.edClient.Get(comp)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, `action="`+freeze+`"`, `<option value="dt">DT/n: Temporary documents</option>`, "has not been frozen")
	for _, c := range []struct {
		name string
		get  func(string) string
	}{{"delegate", func(p string) string { return s.braClient.Get(p).Body }}, {"anyone", func(p string) string { return s.anClient.Get(p).Body }}} {
		if body := c.get(comp); strings.Contains(body, `action="`+freeze+`"`) {
			t.Fatalf("the %s is offered the form to freeze", c.name)
		}
	}

	// A delegate who posts it anyway is refused on the page, naming why.
	r = s.braClient.PostForm(comp, freeze, url.Values{"series": {"dt"}})
	wantStatus(t, r, http.StatusForbidden)
	mustContain(t, r, `class="problem"`, "Compilation of proposals on")
	if n := len(s.draftDocuments(t)); n != 0 {
		t.Fatalf("a refused freeze filed %d documents", n)
	}

	// Invalid input comes back with the field named and what was sent
	// kept, and changes nothing.
	r = s.edClient.PostForm(comp, freeze, url.Values{"series": {"nope"}, "title": {"Compilation for the committee"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, `id="e-series"`, `value="Compilation for the committee"`, `aria-invalid="true"`)
	r = s.edClient.PostForm(comp, freeze, url.Values{"series": {"dt"}, "title": {"bad\ntitle"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, `id="e-title"`, `<option value="dt" selected>`)
	if n := len(s.draftDocuments(t)); n != 0 {
		t.Fatalf("invalid input filed %d documents", n)
	}

	// Freezing files DT/1 and goes to its page.
	r = s.edClient.PostForm(comp, freeze, url.Values{"series": {"dt"}})
	wantStatus(t, r, http.StatusSeeOther)
	dds := s.draftDocuments(t)
	if len(dds) != 1 || dds[0].Number != "DT/1" || dds[0].Kind != drafting.DraftDocCompilation || dds[0].Proposals != 1 {
		t.Fatalf("frozen: %+v", dds)
	}
	docPath := "/forums/wtpf-13/documents/" + dds[0].DocumentID
	if loc := r.Header.Get("Location"); loc != docPath {
		t.Fatalf("redirect to %q, want %q", loc, docPath)
	}
	// The document's page says what it is and links back; anyone may read it.
	r = s.anClient.Get(docPath)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "DT/1", am.Label, "This is the compilation of proposals to <a href=\""+s.base+"\">WTPF-13/5</a> frozen as it stood at",
		`href="`+s.base+`?rev=1">revision 1</a>`, "1 pending proposal", `href="`+comp+`">the current compilation</a>`, "of the record</a>")
	// The compilation lists it.
	r = s.anClient.Get(comp)
	mustContain(t, r, `<a href="`+docPath+`">DT/1</a>: revision 1 with 1 pending proposal, frozen`)
	// The record words the event.
	r = s.anClient.Get("/forums/wtpf-13/record")
	mustContain(t, r, "The compilation of proposals to WTPF-13/5 (revision 1) was frozen as DT/1, with 1 pending proposal as they stood.")
}

func TestIssuingARevisionInASeries(t *testing.T) {
	s := newDraftSite(t)
	s.addDTSeries(t)
	am := s.propose(t, s.bra, drafting.ProposalInput{Op: "MOD", Provision: "p2", Text: "that all stakeholders should take part in Internet governance on an equal footing;"})
	revise := s.base + "/revise"
	r := s.edClient.Get(revise)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, `<select id="f-series" name="series"`, `<option value="">None: only as the next revision of WTPF-13/5</option>`, `<option value="dt">DT/n`)

	// A series that does not exist is named, and nothing is issued.
	form := url.Values{"revision": {"1"}, "am-" + am.ID: {"accept"}, "series": {"nope"}}
	r = s.edClient.PostForm(revise, s.base+"/revisions", form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, `id="e-series"`)
	if dt, _ := s.Svc.Drafting.DraftText(context.Background(), fixture.In(t, s.Svc.Kernel, s.sec, s.f.Slug), s.d.ID); dt.Revision != 1 {
		t.Fatalf("a refused revision was issued: revision %d", dt.Revision)
	}

	form.Set("series", "dt")
	r = s.edClient.PostForm(revise, s.base+"/revisions", form)
	wantStatus(t, r, http.StatusSeeOther)
	dds := s.draftDocuments(t)
	if len(dds) != 1 || dds[0].Number != "DT/1" || dds[0].Kind != drafting.DraftDocRevision || dds[0].Revision != 2 {
		t.Fatalf("issued: %+v", dds)
	}
	docPath := "/forums/wtpf-13/documents/" + dds[0].DocumentID
	r = s.anClient.Get(s.base)
	mustContain(t, r, `also issued as <a href="`+docPath+`">DT/1</a>`, `, also <a href="`+docPath+`">DT/1</a>`)
	r = s.anClient.Get(s.base + "/provisions/p2")
	mustContain(t, r, `Also issued as <a href="`+docPath+`">DT/1</a>.`)
	r = s.anClient.Get(docPath)
	mustContain(t, r, `This is <a href="`+s.base+`?rev=2">revision 2 of WTPF-13/5</a>, issued in this series on`)
	r = s.anClient.Get("/forums/wtpf-13/record")
	mustContain(t, r, "; also issued as DT/1.")
}
