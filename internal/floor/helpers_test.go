package floor

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
)

// t0 is 16 May 2013, 10:00:00 UTC, the second day of WTPF-13.
const t0 = int64(1368698400000)

// at is t0 plus minutes and seconds.
func at(min, sec int) int64 { return t0 + int64(min*60+sec)*1000 }

// person is a speaker as the tests' requests name them.
type person struct {
	speaker, name, party, partyName, group, groupName string
	origin                                            Origin
	hub                                               string
	rank                                              int
}

var (
	brazil  = person{"p-br", "Mr Fonseca", "BR", "Brazil", "member_state", "Member States", Room, "", RankHeadOfDelegation}
	usa     = person{"p-us", "Ms Verveer", "US", "United States", "member_state", "Member States", Room, "", RankMemberStateDelegate}
	india   = person{"p-in", "Mr Gupta", "IN", "India", "member_state", "Member States", Room, "", RankMinister}
	sweden  = person{"p-se", "Ms Lind", "SE", "Sweden", "member_state", "Member States", Remote, "", RankMemberStateDelegate}
	apc     = person{"p-apc", "Ms Esterhuysen", "APC", "APC", "civil_society", "civil society", Remote, "", RankParticipant}
	isoc    = person{"p-isoc", "Mr Sullivan", "ISOC", "Internet Society", "technical_community", "technical community", Hub, "Internet Society hub, Nairobi", RankParticipant}
	ripe    = person{"p-ripe", "Mr Pawlik", "RIPE", "RIPE NCC", "technical_community", "technical community", Room, "", RankParticipant}
	cisco   = person{"p-cisco", "Mr Hill", "CSCO", "Cisco", "private_sector", "private sector", Room, "", RankParticipant}
	icc     = person{"p-icc", "Ms Bell", "ICC", "ICC BASIS", "private_sector", "private sector", Remote, "", RankParticipant}
	eff     = person{"p-eff", "Ms York", "EFF", "EFF", "civil_society", "civil society", Room, "", RankParticipant}
	kenya   = person{"p-ke", "Ms Ndemo", "KE", "Kenya", "government", "government", Room, "", RankHeadOfDelegation}
	germany = person{"p-de", "Mr Fehr", "DE", "Germany", "government", "government", Remote, "", RankMemberStateDelegate}
	guest   = person{"guest:Ana Lima", "Ana Lima", "", "", "civil_society", "civil society", Room, "", 0}
	observr = person{"p-un", "Mr Ortiz", "UNESCO", "UNESCO", "observer", "observers", Room, "", RankObserver}
)

func (p person) req(id string, k Kind) *Request {
	return &Request{ID: id, Kind: k, Speaker: p.speaker, Name: p.name, Party: p.party, PartyName: p.partyName,
		Group: p.group, GroupName: p.groupName, Origin: p.origin, Hub: p.hub, Rank: p.rank}
}

// Event constructors. Times are filled in by events().
func configure(p Policy) Event    { return Event{Type: Configured, Policy: &p} }
func item(k string) Event         { return Event{Type: ItemOpened, Item: k} }
func ask(r *Request) Event        { return Event{Type: Requested, Request: r} }
func give(id string) Event        { return Event{Type: Given, ID: id} }
func start() Event                { return Event{Type: Started} }
func pause() Event                { return Event{Type: Paused} }
func resume() Event               { return Event{Type: Resumed} }
func finish() Event               { return Event{Type: Finished} }
func withdraw(id string) Event    { return Event{Type: Withdrawn, ID: id} }
func closeList() Event            { return Event{Type: Closed} }
func reopen() Event               { return Event{Type: Reopened} }
func rule(id, r string) Event     { return Event{Type: Ruled, ID: id, Ruling: r} }
func remove(id, why string) Event { return Event{Type: Removed, ID: id, Reason: why} }
func move(id string, to int, why string) Event {
	return Event{Type: Moved, ID: id, To: to, Reason: why}
}

// wait is a marker: the next event comes d seconds after the previous one
// instead of the default 10.
func wait(d int) Event { return Event{Type: "wait", To: d} }

// events gives times to events without one: 10 s apart from t0, or as
// wait() says.
func events(es ...Event) []Event {
	now := t0
	var out []Event
	for _, e := range es {
		if e.Type == "wait" {
			now += int64(e.To) * 1000
			continue
		}
		if e.At == 0 {
			now += 10000
			e.At = now
		} else {
			now = e.At
		}
		out = append(out, e)
	}
	return out
}

func replay(t testing.TB, es ...Event) *State {
	t.Helper()
	s, err := Replay(events(es...))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func ids(ps []Place) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

func whys(ps []Place) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID + ": " + p.Why
		if p.Blocked != "" {
			out[i] += " [" + p.Blocked + "]"
		}
	}
	return out
}

// snapshot is everything the state shows, to check an error changed nothing.
type snapshot struct {
	Order     []Place
	Current   Turn
	Has       bool
	Turns     []Turn
	Interr    []Turn
	Waiting   []Request
	Withdrawn []Request
	Removed   []Removal
	Closed    bool
	Item      string
	Policy    Policy
	Tally     Tally
	Last      int64
	Replies   map[string]int
	Given     int
	LastGroup string
}

func snap(s *State) snapshot {
	c, ok := s.Current()
	r := map[string]int{}
	for k, v := range s.replies {
		r[k] = v
	}
	return snapshot{s.OrderAt(s.last), c, ok, s.Turns(), s.Interrupted(), s.Waiting(), s.Withdrawn(), s.Removed(),
		s.Closed(), s.Item(), s.Policy(), s.Spoken(), s.last, r, s.given, s.lastGroup}
}

func wantError(t *testing.T, err error, code plenary.Code, field, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want %s %q", code, msg)
	}
	var pe *plenary.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is not a *plenary.Error", err)
	}
	if pe.Code != code || pe.Field != field || !strings.Contains(pe.Message, msg) {
		t.Fatalf("error = %s %q %q; want %s %q containing %q", pe.Code, pe.Field, pe.Message, code, field, msg)
	}
}

func equal(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %#v\nwant %#v", what, got, want)
	}
}
