package api

import (
	"testing"

	"github.com/plenary-forum/plenary"
)

// A body whose text is not valid UTF-8 is refused naming the field, never
// decoded into U+FFFD.
func TestCheckBodyText(t *testing.T) {
	for _, tt := range []struct {
		body  string
		field string // "" when the body is good
	}{
		{`{"title": "Côte d’Ivoire", "n": 1}`, ""},
		{`{"title": "\ufffd is a character, \uFFFD too"}`, ""},
		{`{"title": "an emoji \ud83d\ude00 as a pair"}`, ""},
		{`{"title": "a backslash then u: \\ud800"}`, ""},
		{`{"title": "C` + "\xf4" + `te d'Ivoire"}`, "title"},
		{`{"title": "half \ud800 a pair"}`, "title"},
		{`{"title": "the low half \udc00 alone"}`, "title"},
		{`{"title": "two highs \ud800\ud800"}`, "title"},
		{`{"title": "ok", "text": "\udfff"}`, "text"},
		{`{"decisions": [{"action": "accept"}, {"action": "compromise", "text": "` + "\xff" + `"}]}`, "decisions[1].text"},
		{`{"parties": [{"code": "BRA"}], "registrations": [{"email": "a@b.c", "grants": "x"}, {"affiliation": "Universit` + "\xe9" + `"}]}`, "registrations[1].affiliation"},
		{`{"languages": ["en", "fr", "\ud800"]}`, "languages[2]"},
		{`{"nested": {"deeper": {"name": "\ud800"}}}`, "nested.deeper.name"},
		{`["ok", "` + "\xff" + `"]`, "body[1]"},
		{`"` + "\xff" + `"`, "body"},
		{`{"ti` + "\xff" + `tle": "x"}`, "body"},
		{`{"a": {"k` + "\xff" + `": 1}}`, "a"},
		{"{\"title\": \"x\"} \xff", "body"},
		{"\xff{}", "body"},
	} {
		err := checkBodyText([]byte(tt.body))
		if tt.field == "" {
			if err != nil {
				t.Errorf("%q: %v", tt.body, err)
			}
			continue
		}
		pe := plenary.AsError(err)
		if err == nil || pe.Code != plenary.CodeInvalid || pe.Field != tt.field || pe.Message != "is not valid UTF-8 text" {
			t.Errorf("%q: %v, want %s: is not valid UTF-8 text", tt.body, err, tt.field)
		}
	}
}
