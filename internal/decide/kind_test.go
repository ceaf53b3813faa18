package decide_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/decide"
)

func TestKinds(t *testing.T) {
	cases := []struct {
		k       decide.Kind
		binding bool
		label   string
	}{
		{decide.ConsensusCall, true, "Consensus call"},
		{decide.StrawPoll, false, "Straw poll (indicative, not binding)"},
		{decide.FormalVote, true, "Formal vote"},
	}
	if len(cases) != len(decide.Kinds()) {
		t.Fatalf("the table covers %d kinds of %d", len(cases), len(decide.Kinds()))
	}
	for _, c := range cases {
		if !c.k.Valid() || c.k.Binding() != c.binding || c.k.Label() != c.label {
			t.Errorf("%s: valid %v binding %v label %q", c.k, c.k.Valid(), c.k.Binding(), c.k.Label())
		}
	}
	if decide.Kind("temperature").Valid() || decide.Kind("temperature").Binding() {
		t.Error("an unknown kind is valid or binding")
	}
}

func TestLabelsOfEveryEnumeration(t *testing.T) {
	type labelled interface{ Label() string }
	var all []labelled
	for _, x := range decide.Methods() {
		all = append(all, x)
	}
	for _, x := range decide.Majorities() {
		all = append(all, x)
	}
	for _, x := range decide.Choices() {
		all = append(all, x)
	}
	for _, x := range decide.Outcomes() {
		all = append(all, x)
	}
	for _, x := range decide.Findings() {
		all = append(all, x)
	}
	seen := map[string]bool{}
	for _, x := range all {
		l := x.Label()
		if l == "" || strings.Contains(l, "_") || seen[l] {
			t.Errorf("label %q is empty, a key, or repeated", l)
		}
		seen[l] = true
	}
	if decide.Secret.Label() != "Secret ballot" || decide.Recorded.Label() != "Recorded vote" || decide.RollCall.Label() != "Roll-call vote" {
		t.Error("method labels changed")
	}
}

// No method, label or sentence of a straw poll calls it a vote, except to
// say that it is not one; and its JSON says it binds nothing.
func TestStrawPollIsNeverAVote(t *testing.T) {
	s, err := decide.ReplayStraw([]decide.StrawEvent{
		{Type: decide.PollOpened, At: t0, Poll: &decide.Poll{ID: "p1", Question: "Should the resolution be in?", Entry: decide.Entered,
			Options: []decide.Option{{Key: "for", Label: "For"}, {Key: "against", Label: "Against"}}}},
		{Type: decide.PollCount, At: atMin(1), Counts: []decide.Count{{Option: "for", N: 70}, {Option: "against", N: 40}}},
		{Type: decide.PollClosed, At: atMin(2)},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := s.Result()
	if r.Binding() {
		t.Fatal("a straw poll's result is binding")
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if v, ok := m["binding"]; !ok || v != false {
		t.Fatalf(`want "binding": false in %s`, b)
	}
	if m["notice"] != "Indicative only: a straw poll is not a vote and decides nothing." {
		t.Fatalf("notice: %v", m["notice"])
	}
	if _, ok := m["outcome"]; ok {
		t.Fatal("a straw poll has an outcome")
	}
	for _, text := range []string{r.Label, r.Entry.Label(), decide.Devices.Label()} {
		if strings.Contains(strings.ToLower(text), "vote") {
			t.Errorf("%q calls a straw poll a vote", text)
		}
	}
	if strings.Contains(strings.ReplaceAll(strings.ToLower(r.Notice), "not a vote", ""), "vote") {
		t.Errorf("the notice calls a straw poll a vote: %q", r.Notice)
	}
}
