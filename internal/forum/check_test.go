package forum_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
)

// wantInvalid checks that err is an invalid-input error on field whose
// message contains msg ("" for any).
func wantInvalid(t *testing.T, what string, err error, field, msg string) {
	t.Helper()
	pe := plenary.AsError(err)
	var es plenary.Errors
	if errors.As(err, &es) && len(es) > 0 {
		pe = es[0]
	}
	if err == nil || pe.Code != plenary.CodeInvalid || pe.Field != field || !strings.Contains(pe.Message, msg) {
		t.Errorf("%s: err %v, want invalid %s %q", what, err, field, msg)
	}
}

func TestTextRules(t *testing.T) {
	const (
		notUTF8 = "is not valid UTF-8 text"
		control = "must not contain control characters"
		oneLine = "must be one line of text"
	)
	type check func(field, s string, max int) (string, error)
	rules := map[string]check{"CheckName": forum.CheckName, "CheckLine": forum.CheckLine, "CheckText": forum.CheckText}
	tests := []struct {
		check string
		in    string
		want  string // the value kept, when accepted
		msg   string // the reason, when refused
	}{
		{"CheckName", "  Brazil\t(BRA)  ", "Brazil\t(BRA)", ""},
		{"CheckName", "Côte d’Ivoire", "Côte d’Ivoire", ""},
		{"CheckName", "\ufffd is a character", "\ufffd is a character", ""},
		{"CheckName", "Bad \xff byte", "", notUTF8},
		{"CheckName", "half \xe2\x82 a rune", "", notUTF8},
		{"CheckName", "two\nlines", "", oneLine},
		{"CheckName", "two\r\nlines", "", oneLine},
		{"CheckName", "two\u2028lines", "", oneLine},
		{"CheckName", "next\u0085line", "", oneLine},
		{"CheckName", "nul\x00", "", control},
		{"CheckName", "bell\x07", "", control},
		{"CheckName", "escape\x1b[31m", "", control},
		{"CheckName", "delete\x7f", "", control},
		{"CheckName", "c1\u009b", "", control},
		{"CheckName", "   ", "", "is required"},
		{"CheckName", strings.Repeat("é", 21), "", "at most 20 characters"},
		{"CheckName", strings.Repeat("é", 20), strings.Repeat("é", 20), ""},
		{"CheckLine", "", "", ""},
		{"CheckLine", " Geneva ", "Geneva", ""},
		{"CheckLine", "Gen\xe8ve", "", notUTF8},
		{"CheckLine", "Gen\x0beva", "", control},
		{"CheckLine", "Geneva\nCICG", "", oneLine},
		{"CheckText", "a\r\nb\rc\n\td  \n", "a\nb\nc\n\td", ""},
		{"CheckText", "", "", ""},
		{"CheckText", "Gen\xe8ve", "", notUTF8},
		{"CheckText", "form\x0cfeed", "", control},
		{"CheckText", "nul\x00", "", control},
		{"CheckText", "c1\u0085", "", control},
		{"CheckText", strings.Repeat("x", 21), "", "at most 20 bytes"},
	}
	for _, tt := range tests {
		got, err := rules[tt.check]("f", tt.in, 20)
		what := tt.check + "(" + strings.ToValidUTF8(tt.in, "?") + ")"
		if tt.msg != "" {
			wantInvalid(t, what, err, "f", tt.msg)
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s = %q, %v; want %q", what, got, err, tt.want)
		}
	}
	if _, err := forum.NormalizeEmail("ana@ex\xffample.org"); plenary.ErrorCode(err) != plenary.CodeInvalid || !strings.Contains(err.Error(), notUTF8) {
		t.Errorf("e-mail with invalid UTF-8: %v", err)
	}
	if _, err := forum.NormalizeEmail("ana@example.org\x00"); plenary.ErrorCode(err) != plenary.CodeInvalid {
		t.Errorf("e-mail with NUL: %v", err)
	}
}

func TestDedupeKeepsFirstPlaces(t *testing.T) {
	for _, tt := range []struct{ in, want []string }{
		{nil, nil},
		{[]string{"en"}, []string{"en"}},
		{[]string{"fr", "en", "fr", "ar", "en"}, []string{"fr", "en", "ar"}},
	} {
		if got := forum.Dedupe(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Dedupe(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// A forum's text fields follow the rules of text: what is refused leaves
// no forum and no event; a language named twice is kept once.
func TestForumTextIsValid(t *testing.T) {
	fx := fixture.NewSite(t)
	for _, tt := range []struct {
		in    forum.ForumInput
		field string
	}{
		{forum.ForumInput{Slug: "ok", Title: "WTPF\xff", Kind: forum.KindPolicyForum}, "title"},
		{forum.ForumInput{Slug: "ok", Title: "WTPF\x1b[2J", Kind: forum.KindPolicyForum}, "title"},
		{forum.ForumInput{Slug: "ok", Title: "T", Kind: forum.KindPolicyForum, Venue: "Gen\xe8ve"}, "venue"},
		{forum.ForumInput{Slug: "ok", Title: "T", Kind: forum.KindPolicyForum, Venue: "Geneva\nCICG"}, "venue"},
		{forum.ForumInput{Slug: "ok", Title: "T", Kind: forum.KindPolicyForum, Description: "caf\xe9"}, "description"},
		{forum.ForumInput{Slug: "ok", Title: "T", Kind: forum.KindPolicyForum, Description: "bell\x07"}, "description"},
	} {
		_, err := fx.Svc.Kernel.CreateForum(fx.Ctx, fx.Admin, tt.in)
		wantInvalid(t, tt.field, err, tt.field, "")
	}
	chains, _ := fx.St.Chains(fx.Ctx)
	for _, c := range chains {
		if c != ledger.SiteChain {
			t.Fatalf("a refused forum left chain %s", c)
		}
	}
	f, err := fx.Svc.Kernel.CreateForum(fx.Ctx, fx.Admin, forum.ForumInput{Slug: "wcit-12", Title: "WCIT-12", Kind: forum.KindTreatyConference,
		Languages: []string{"fr", "en", "fr", "ar", "en"}, Description: "Dubai,\r\n3-14 December 2012\r\n"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(f.Languages, []string{"fr", "en", "ar"}) || f.Description != "Dubai,\n3-14 December 2012" {
		t.Fatalf("created: languages %v, description %q", f.Languages, f.Description)
	}
	sc := fixture.In(t, fx.Svc.Kernel, fx.Admin, f)
	f, err = fx.Svc.Kernel.UpdateForum(fx.Ctx, sc, forum.ForumInput{Title: "WCIT-12", Kind: forum.KindTreatyConference, Languages: []string{"en", "en"}})
	if err != nil || !reflect.DeepEqual(f.Languages, []string{"en"}) {
		t.Fatalf("updated: %v %v", f.Languages, err)
	}
	got, err := fx.Svc.Kernel.ForumBySlug(fx.Ctx, "wcit-12")
	if err != nil || !reflect.DeepEqual(got.Languages, []string{"en"}) {
		t.Fatalf("stored: %v %v", got.Languages, err)
	}
	if _, err := fx.Svc.Kernel.CreateBody(fx.Ctx, sc, forum.BodyInput{Slug: "com5", Name: "Committee\x005", Kind: "committee"}); plenary.ErrorCode(err) != plenary.CodeInvalid {
		t.Fatalf("body with NUL: %v", err)
	}
}
