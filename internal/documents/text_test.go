package documents_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/fixture"
)

// A document's text follows the rules of text; what is refused stores
// nothing and appends no event. A language named twice is kept once.
func TestDocumentTextIsValid(t *testing.T) {
	fx := fixture.NewDocuments(t)
	usa := fixture.In(t, fx.Svc.Kernel, fx.Usa, fx.F.Slug)
	head := func() int64 {
		n, err := fx.St.HeadSeq(fx.Ctx, fx.F.ID)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := head()
	for _, tt := range []struct {
		in    documents.DocumentInput
		field string
		msg   string
	}{
		{documents.DocumentInput{Title: "Contribution from Cura\xe7ao"}, "title", "is not valid UTF-8 text"},
		{documents.DocumentInput{Title: "Contribution\x1b[0m"}, "title", "must not contain control characters (it holds U+001B)"},
		{documents.DocumentInput{Title: "Contribution", Text: "Proposal \xfe"}, "text", "is not valid UTF-8 text"},
		{documents.DocumentInput{Title: "Contribution", Text: "Proposal\x0c"}, "text", "must not contain control characters"},
		{documents.DocumentInput{Title: "Contribution", AgendaItem: "Item 3\x00"}, "agenda_item", "must not contain control characters"},
	} {
		tt.in.Type = documents.DocContribution
		_, err := fx.Svc.Documents.SubmitDocument(fx.Ctx, usa, tt.in)
		pe := plenary.AsError(err)
		if es, ok := err.(plenary.Errors); ok && len(es) > 0 {
			pe = es[0]
		}
		if err == nil || pe.Code != plenary.CodeInvalid || pe.Field != tt.field || !strings.HasPrefix(pe.Message, tt.msg) {
			t.Errorf("%+v: %v, want %s: %s", tt.in, err, tt.field, tt.msg)
		}
	}
	d := fx.Submit(t, fx.Usa, documents.DocumentInput{Title: "Contribution", Text: "Line one\r\nLine two", Languages: []string{"fr", "en", "FR", " en "}})
	if !reflect.DeepEqual(d.Languages, []string{"fr", "en"}) || d.Text != "Line one\nLine two" {
		t.Fatalf("languages %v, text %q", d.Languages, d.Text)
	}
	before++
	_, err := fx.Svc.Documents.AddVersion(fx.Ctx, usa, d.ID, documents.VersionInput{Kind: documents.VersionCorr, Text: "Corrected", Note: "typo \xff"})
	fixture.ExpectField(t, err, "note")
	_, err = fx.Svc.Documents.WithdrawDocument(fx.Ctx, usa, d.ID, "by mistake\x07")
	fixture.ExpectField(t, err, "reason")
	_, err = fx.Svc.Documents.CreateSeries(fx.Ctx, fixture.In(t, fx.Svc.Kernel, fx.Admin, fx.F.Slug), documents.SeriesInput{Slug: "dt", Prefix: "DT", Name: "Temporary\ndocuments"})
	fixture.ExpectField(t, err, "name")
	if n := head(); n != before {
		t.Fatalf("refused commands appended %d events", n-before)
	}
}
