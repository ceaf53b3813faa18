package decide_test

import (
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/decide"
)

var (
	spain  = decide.Party{Code: "ESP", Name: "Spain"}
	sweden = decide.Party{Code: "SWE", Name: "Sweden"}
	india  = decide.Party{Code: "IND", Name: "India"}
	cisco  = decide.Party{Code: "CSCO", Name: "Cisco"}
	allow  = decide.Right{Holds: true}
)

func opinion5() decide.Subject {
	return decide.Subject{Kind: decide.OnRevision, Ref: "opinion-5/rev-3"}
}

func openCall(at int64) decide.ConsensusEvent {
	return decide.ConsensusEvent{Type: decide.CallOpened, At: at, Call: &decide.Call{ID: "c1", Subject: opinion5()}}
}

func openSilence(at, until int64) decide.ConsensusEvent {
	return decide.ConsensusEvent{Type: decide.CallOpened, At: at, Call: &decide.Call{ID: "c1", Subject: opinion5(), Silence: true, Until: until}}
}

func object(at int64, id string, p decide.Party, reason string) decide.ConsensusEvent {
	return decide.ConsensusEvent{Type: decide.ObjectionRaised, At: at, Objection: &decide.Objection{ID: id, Party: p, Reason: reason, Right: allow}}
}

func closeWith(at int64, f decide.Finding, answers ...decide.Answer) decide.ConsensusEvent {
	return decide.ConsensusEvent{Type: decide.CallClosed, At: at, Finding: f, Answers: answers}
}

func TestConsensusCall(t *testing.T) {
	type step struct {
		e    decide.ConsensusEvent
		code plenary.Code
		frag string
	}
	ok := func(e decide.ConsensusEvent) step { return step{e: e} }
	cases := []struct {
		name     string
		steps    []step
		outcome  decide.Outcome
		status   string
		sentence string
	}{
		{"adopted, no objection", []step{ok(openCall(t0)), ok(closeWith(atMin(1), decide.FoundAdopted))},
			decide.Adopted, "Adopted by consensus", "Is there any objection? None was raised. Adopted by consensus."},
		{"an objection blocks adoption", []step{ok(openCall(t0)), ok(object(atMin(1), "o1", spain, "Article 5 goes beyond the mandate")),
			{closeWith(atMin(2), decide.FoundAdopted), plenary.CodeConflict, "while 1 objection stands (Spain)"}},
			decide.Pending, "Open: 1 objection stands", "Open: 1 objection stands."},
		{"withdrawn, then adopted", []step{ok(openCall(t0)), ok(object(atMin(1), "o1", spain, "Article 5")),
			{decide.ConsensusEvent{Type: decide.ObjectionWithdrawn, At: atMin(2), ID: "o1", Party: "SWE"}, plenary.CodeForbidden, "only Spain, which raised the objection, may withdraw it"},
			ok(decide.ConsensusEvent{Type: decide.ObjectionWithdrawn, At: atMin(2), ID: "o1", Party: "ESP"}),
			{decide.ConsensusEvent{Type: decide.ObjectionWithdrawn, At: atMin(2), ID: "o1", Party: "ESP"}, plenary.CodeConflict, "already withdrawn"},
			ok(closeWith(atMin(3), decide.FoundAdopted))},
			decide.Adopted, "Adopted by consensus", "No objection stands (1 objection withdrawn). Adopted by consensus."},
		{"rough consensus needs every objection answered", []step{ok(openCall(t0)),
			ok(object(atMin(1), "o1", spain, "Article 5 goes beyond the mandate")), ok(object(atMin(2), "o2", sweden, "human rights")),
			{closeWith(atMin(3), decide.FoundAddressed, decide.Answer{Objection: "o2", Text: "Paragraph 2 now recalls them."}), plenary.CodeInvalid, `the objection of Spain ("Article 5 goes beyond the mandate") has not been addressed`},
			{closeWith(atMin(3), decide.FoundAddressed, decide.Answer{Objection: "o1", Text: ""}), plenary.CodeInvalid, "write how the objection of Spain was addressed"},
			{closeWith(atMin(3), decide.FoundAddressed, decide.Answer{Objection: "o9", Text: "x"}), plenary.CodeInvalid, `no objection "o9"`},
			{closeWith(atMin(3), decide.FoundAddressed, decide.Answer{Objection: "o1", Text: "x"}, decide.Answer{Objection: "o1", Text: "y"}), plenary.CodeInvalid, "answered twice"},
			ok(closeWith(atMin(3), decide.FoundAddressed, decide.Answer{Objection: "o1", Text: "The mandate covers it (Res. 101)."}, decide.Answer{Objection: "o2", Text: "Paragraph 2 now recalls them."})),
			{object(atMin(4), "o3", india, "late"), plenary.CodeConflict, "the consensus call is closed"}},
			decide.Adopted, "Adopted by consensus, objections addressed", "2 objections stood (Spain and Sweden); the chair wrote how each was addressed. Adopted by consensus, objections addressed."},
		{"rough consensus without objections is refused", []step{ok(openCall(t0)),
			{closeWith(atMin(1), decide.FoundAddressed), plenary.CodeConflict, "no objection stands"}},
			decide.Pending, "Open: is there any objection?", "Open: is there any objection?."},
		{"answers only with objections addressed", []step{ok(openCall(t0)), ok(object(atMin(1), "o1", spain, "x")),
			{closeWith(atMin(2), decide.FoundNotAdopted, decide.Answer{Objection: "o1", Text: "y"}), plenary.CodeInvalid, "only a finding of adoption with objections addressed"},
			ok(closeWith(atMin(2), decide.FoundNotAdopted))},
			decide.NotAdopted, "Not adopted: no consensus", "1 objection stood (Spain). Not adopted: no consensus."},
		{"objection without the right", []step{ok(openCall(t0)),
			{decide.ConsensusEvent{Type: decide.ObjectionRaised, At: atMin(1), Objection: &decide.Objection{ID: "o1", Party: cisco, Reason: "x", Right: decide.Right{Rule: "Sector Members may not object to consensus in WCIT-12"}}}, plenary.CodeForbidden, "Sector Members may not object to consensus in WCIT-12"},
			{decide.ConsensusEvent{Type: decide.ObjectionRaised, At: atMin(1), Objection: &decide.Objection{ID: "o1", Party: cisco, Reason: "x"}}, plenary.CodeForbidden, "Cisco may not object to consensus"},
			{decide.ConsensusEvent{Type: decide.ObjectionRaised, At: atMin(1), Objection: &decide.Objection{ID: "o1", Party: spain, Right: allow}}, plenary.CodeInvalid, "states its reason"},
			{decide.ConsensusEvent{Type: decide.ObjectionRaised, At: atMin(1), Objection: &decide.Objection{ID: "o1", Reason: "x", Right: allow}}, plenary.CodeInvalid, "which party"},
			ok(object(atMin(1), "o1", spain, "x")),
			{object(atMin(1), "o1", sweden, "y"), plenary.CodeConflict, "already an objection o1"},
			ok(closeWith(atMin(2), decide.FoundNotAdopted)),
			{decide.ConsensusEvent{Type: decide.PositionExplained, At: atMin(3), Explanation: &decide.Explanation{Party: spain, Text: "x"}}, plenary.CodeConflict, "explanations of position are filed after adoption"}},
			decide.NotAdopted, "Not adopted: no consensus", "1 objection stood (Spain). Not adopted: no consensus."},
		{"silence kept", []step{ok(openSilence(t0, atMin(60))),
			{closeWith(atMin(30), decide.FoundAdopted), plenary.CodeConflict, "the silence procedure runs until 13 December 2012 11:00 UTC"},
			{decide.ConsensusEvent{Type: decide.SilenceKept, At: atMin(59)}, plenary.CodeConflict, "runs until"},
			ok(decide.ConsensusEvent{Type: decide.SilenceKept, At: atMin(60)}),
			{object(atMin(61), "o1", spain, "x"), plenary.CodeConflict, "closed"},
			ok(decide.ConsensusEvent{Type: decide.PositionExplained, At: atMin(62), Explanation: &decide.Explanation{Party: india, Text: "India joins consensus on the understanding that..."}}),
			{decide.ConsensusEvent{Type: decide.PositionExplained, At: atMin(63), Explanation: &decide.Explanation{Party: india, Text: "again"}}, plenary.CodeConflict, "India has already filed"}},
			decide.Adopted, "Adopted under the silence procedure: no objection by 13 December 2012 11:00 UTC",
			"No objection was raised by 13 December 2012 11:00 UTC. Adopted by consensus under the silence procedure."},
		{"silence broken, then the chair's finding", []step{ok(openSilence(t0, atMin(60))),
			ok(object(atMin(10), "o1", spain, "x")),
			ok(object(atMin(20), "o2", sweden, "y")),
			{decide.ConsensusEvent{Type: decide.SilenceKept, At: atMin(60)}, plenary.CodeConflict, "the silence was broken by the objection of Spain"},
			{object(atMin(60), "o3", india, "too late"), plenary.CodeConflict, "the silence procedure ended at 13 December 2012 11:00 UTC"}},
			decide.Pending, "Silence broken by Spain at 13 December 2012 10:10 UTC: awaiting the chair's finding", "Silence broken by Spain at 13 December 2012 10:10 UTC: awaiting the chair's finding."},
		{"the chair may drop a silence procedure early", []step{ok(openSilence(t0, atMin(60))), ok(closeWith(atMin(5), decide.FoundNotAdopted))},
			decide.NotAdopted, "Not adopted: no consensus", "Not adopted: the chair found no consensus."},
		{"events before opening and out of order", []step{
			{object(t0, "o1", spain, "x"), plenary.CodeConflict, "has not been opened"},
			ok(openCall(atMin(1))),
			{openCall(atMin(2)), plenary.CodeConflict, "already open"},
			{object(t0, "o1", spain, "x"), plenary.CodeInvalid, "earlier than the last"},
			{decide.ConsensusEvent{Type: "hum", At: atMin(2)}, plenary.CodeInvalid, `no consensus call event "hum"`},
			{closeWith(atMin(2), "rough"), plenary.CodeInvalid, "the finding is adopted"}},
			decide.Pending, "Open: is there any objection?", "Open: is there any objection?."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := decide.NewConsensus()
			for i, st := range c.steps {
				before := s.Result(atMin(100))
				err := s.Apply(st.e)
				wantErr(t, err, st.code, st.frag)
				if err != nil && !equalJSON(t, before, s.Result(atMin(100))) {
					t.Fatalf("step %d: a refused event changed the call", i+1)
				}
			}
			if s.Outcome() != c.outcome {
				t.Errorf("outcome %s, want %s", s.Outcome(), c.outcome)
			}
			r := s.Result(atMin(30))
			if r.Status != c.status {
				t.Errorf("status %q, want %q", r.Status, c.status)
			}
			if r.Sentence != c.sentence {
				t.Errorf("sentence %q, want %q", r.Sentence, c.sentence)
			}
			if !r.Binding || r.Kind != decide.ConsensusCall {
				t.Error("a consensus call's result is not binding")
			}
		})
	}
}

func TestCallValidation(t *testing.T) {
	cases := []struct {
		call  decide.Call
		field string
	}{
		{decide.Call{Subject: opinion5()}, "id"},
		{decide.Call{ID: "c", Subject: decide.Subject{Kind: decide.OnRevision}}, "subject.ref"},
		{decide.Call{ID: "c", Subject: decide.Subject{Kind: decide.OnProvisions, Ref: "r"}}, "subject.provisions"},
		{decide.Call{ID: "c", Subject: decide.Subject{Kind: decide.OnProvisions, Ref: "r", Provisions: []string{"a", "a"}}}, "subject.provisions[1]"},
		{decide.Call{ID: "c", Subject: decide.Subject{Kind: decide.OnQuestion}}, "subject.text"},
		{decide.Call{ID: "c", Subject: decide.Subject{Kind: "mood"}}, "subject.kind"},
		{decide.Call{ID: "c", Subject: opinion5(), Silence: true, Until: t0}, "until"},
		{decide.Call{ID: "c", Subject: opinion5(), Until: atMin(5)}, "until"},
	}
	for _, c := range cases {
		err := c.call.Validate(t0)
		if pe := plenary.AsError(err); err == nil || pe.Code != plenary.CodeInvalid || pe.Field != c.field {
			t.Errorf("%+v: want invalid %s, got %v", c.call, c.field, err)
		}
	}
	ok := decide.Call{ID: "c", Subject: decide.Subject{Kind: decide.OnQuestion, Text: "Shall the meeting adjourn?"}}
	if err := ok.Validate(t0); err != nil {
		t.Error(err)
	}
}

func TestObjectionOnProvisionsOfTheCall(t *testing.T) {
	s := decide.NewConsensus()
	if err := s.Apply(decide.ConsensusEvent{Type: decide.CallOpened, At: t0, Call: &decide.Call{ID: "c", Subject: decide.Subject{Kind: decide.OnProvisions, Ref: "itrs/rev-2", Provisions: []string{"art-5", "art-6"}}}}); err != nil {
		t.Fatal(err)
	}
	err := s.Apply(decide.ConsensusEvent{Type: decide.ObjectionRaised, At: atMin(1), Objection: &decide.Objection{ID: "o1", Party: spain, Reason: "x", Provisions: []string{"art-9"}, Right: allow}})
	wantErr(t, err, plenary.CodeInvalid, "provision art-9 is not among those the call is on (art-5, art-6)")
	if err := s.Apply(decide.ConsensusEvent{Type: decide.ObjectionRaised, At: atMin(1), Objection: &decide.Objection{ID: "o1", Party: spain, Reason: "x", Provisions: []string{"art-6"}, Right: allow}}); err != nil {
		t.Fatal(err)
	}
	if got := s.Objections(); len(got) != 1 || got[0].At != atMin(1) || !got[0].Standing() || got[0].Provisions[0] != "art-6" {
		t.Fatalf("objections %+v", got)
	}
}

func TestConsensusReplay(t *testing.T) {
	events := []decide.ConsensusEvent{openCall(t0), object(atMin(1), "o1", spain, "x"), closeWith(atMin(2), decide.FoundAdopted)}
	s, err := decide.ReplayConsensus(events)
	wantErr(t, err, plenary.CodeConflict, "event 3 (closed): the text cannot be found adopted")
	if s.Closed() || len(s.Standing()) != 1 {
		t.Fatal("the replay did not stop before the failing event")
	}
	s, err = decide.ReplayConsensus(events[:2])
	if err != nil || !strings.HasPrefix(s.Status(atMin(5)), "Open") {
		t.Fatal(err, s.Status(atMin(5)))
	}
}
