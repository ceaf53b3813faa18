package decide_test

import (
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/rules"
)

var (
	kenya   = decide.Party{Code: "KEN", Name: "Kenya"}
	somalia = decide.Party{Code: "SOM", Name: "Somalia"}
	iran    = decide.Party{Code: "IRN", Name: "Iran (Islamic Republic of)"}
)

// head is the head of a delegation with credentials in order, present,
// with the vote right.
func head(p decide.Party, name string) decide.Voter {
	return decide.Voter{Party: p, Person: "p-" + p.Code, Name: name, Head: true, Present: true, Right: allow, Credentials: rules.CredentialsInOrder}
}

func TestEligible(t *testing.T) {
	r := decide.VoteRules{Method: decide.Recorded, Majority: decide.Simple, Presence: true}
	prov := r
	prov.Credentials = decide.ProvisionalToo
	open := r
	open.Credentials = decide.NotConsulted
	remote := r
	remote.Presence = false
	with := func(f func(*decide.Voter)) decide.Voter {
		v := head(kenya, "Ms Ndemo")
		f(&v)
		return v
	}
	proxy := func(c rules.Credentials, holder string) func(*decide.Voter) {
		return func(v *decide.Voter) {
			v.For = &decide.Proxy{Party: somalia, Credentials: c, Holder: holder}
		}
	}
	cases := []struct {
		name  string
		v     decide.Voter
		r     decide.VoteRules
		code  plenary.Code
		frag  string
		field string
	}{
		{"head, in order, present", head(kenya, "Ms Ndemo"), r, "", "", ""},
		{"a named delegate", with(func(v *decide.Voter) { v.Head, v.Named = false, true }), r, "", "", ""},
		{"no party", with(func(v *decide.Voter) { v.Party = decide.Party{} }), r, plenary.CodeInvalid, "for which delegation", "voter.party"},
		{"no person", with(func(v *decide.Voter) { v.Person = "" }), r, plenary.CodeInvalid, "who casts", "voter.person"},
		{"unknown credentials", with(func(v *decide.Voter) { v.Credentials = "lost" }), r, plenary.CodeInvalid, "unknown credentials", "voter.credentials"},
		{"the matrix's vote right, quoted", with(func(v *decide.Voter) {
			v.Right = decide.Right{Rule: "Sector Members may not vote in WCIT-12"}
		}), r, plenary.CodeForbidden, "Sector Members may not vote in WCIT-12", ""},
		{"no vote right, no sentence", with(func(v *decide.Voter) { v.Right = decide.Right{} }), r, plenary.CodeForbidden, "Kenya may not vote: the rules of participation", ""},
		{"neither head nor named", with(func(v *decide.Voter) { v.Head = false }), r, plenary.CodeForbidden, "Ms Ndemo is neither the head of the delegation of Kenya nor a delegate the head has named", ""},
		{"absent where presence is required", with(func(v *decide.Voter) { v.Present = false }), r, plenary.CodeForbidden, "Ms Ndemo is not present in the meeting, and this vote requires voters to be present", ""},
		{"absent where it is not", with(func(v *decide.Voter) { v.Present = false }), remote, "", "", ""},
		{"provisional refused", with(func(v *decide.Voter) { v.Credentials = rules.CredentialsProvisional }), r, plenary.CodeForbidden, "the credentials of Kenya are provisional", ""},
		{"provisional allowed by the rules", with(func(v *decide.Voter) { v.Credentials = rules.CredentialsProvisional }), prov, "", "", ""},
		{"none presented", with(func(v *decide.Voter) { v.Credentials = rules.CredentialsNone }), r, plenary.CodeForbidden, "Kenya has presented no credentials, and this vote counts only delegations with credentials in order", ""},
		{"empty credentials are none", with(func(v *decide.Voter) { v.Credentials = "" }), prov, plenary.CodeForbidden, "credentials in order or provisional", ""},
		{"sign only", with(func(v *decide.Voter) { v.Credentials = rules.CredentialsSignOnly }), r, plenary.CodeForbidden, "the credentials of Kenya are in order for signature only: Kenya may sign, not vote", ""},
		{"sign only, even with provisional allowed", with(func(v *decide.Voter) { v.Credentials = rules.CredentialsSignOnly }), prov, plenary.CodeForbidden, "signature only", ""},
		{"transferred votes through its proxy", with(func(v *decide.Voter) { v.Credentials = rules.CredentialsTransferred }), r, plenary.CodeForbidden, "Kenya has transferred its powers to another delegation: the delegation holding its proxy votes for it", ""},
		{"credentials not consulted", with(func(v *decide.Voter) { v.Credentials = rules.CredentialsNone }), open, "", "", ""},
		{"a proxy vote", with(proxy(rules.CredentialsTransferred, "KEN")), r, "", "", ""},
		{"a proxy not transferred", with(proxy(rules.CredentialsInOrder, "KEN")), r, plenary.CodeForbidden, "Somalia has not transferred its powers (credentials: in order): only its own delegation votes for it", ""},
		{"a proxy transferred to another", with(proxy(rules.CredentialsTransferred, "ETH")), r, plenary.CodeForbidden, "Somalia transferred its powers to ETH, not to Kenya", ""},
		{"a proxy for itself", with(func(v *decide.Voter) {
			v.For = &decide.Proxy{Party: kenya, Credentials: rules.CredentialsTransferred, Holder: "KEN"}
		}), r, plenary.CodeInvalid, "without a proxy", "voter.for"},
		{"a holder that cannot vote itself", with(func(v *decide.Voter) {
			proxy(rules.CredentialsTransferred, "KEN")(v)
			v.Credentials = rules.CredentialsSignOnly
		}), r, plenary.CodeForbidden, "Kenya cannot carry the proxy vote of Somalia: the credentials of Kenya are in order for signature only", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := decide.Eligible(c.v, c.r)
			wantErr(t, err, c.code, c.frag)
			if err != nil && plenary.AsError(err).Field != c.field {
				t.Errorf("field %q, want %q", plenary.AsError(err).Field, c.field)
			}
		})
	}
}

func TestRollCallOrder(t *testing.T) {
	parties := []decide.Party{
		{Code: "CUB", Name: "Cuba"}, {Code: "CIV", Name: "Côte d'Ivoire"}, {Code: "TUR", Name: "Türkiye"},
		{Code: "ALB", Name: "Albania"}, {Code: "ZWE", Name: "Zimbabwe"}, {Code: "ESP", Name: "Spain"},
		{Code: "SWE", Name: "Sweden"}, {Code: "TGO", Name: "Togo"}, {Code: "XYZ"},
	}
	letters := map[rune]bool{}
	for seed := uint64(0); seed < 200; seed++ {
		l, order := decide.RollCallOrder(parties, seed)
		l2, order2 := decide.RollCallOrder(parties, seed)
		if l != l2 || !equalJSON(t, order, order2) {
			t.Fatal("the order is not recomputable from the seed")
		}
		letters[l] = true
		if len(order) != len(parties) {
			t.Fatalf("seed %d: %d parties called of %d", seed, len(order), len(parties))
		}
		first := []rune(order[0].String())[0]
		if first != l && !(l == 'C' && first == 'C') && !(l == 'T' && first == 'T') {
			t.Fatalf("seed %d: letter %c but %s called first", seed, l, order[0])
		}
		// The order is the alphabetical one rotated.
		want := []string{"ALB", "CIV", "CUB", "ESP", "SWE", "TGO", "TUR", "XYZ", "ZWE"}
		start := -1
		for i, c := range want {
			if c == order[0].Code {
				start = i
			}
		}
		for i, p := range order {
			if p.Code != want[(start+i)%len(want)] {
				t.Fatalf("seed %d: order %v", seed, order)
			}
		}
	}
	for _, l := range "ACSTXZ" {
		if !letters[l] {
			t.Errorf("letter %c never drawn in 200 seeds", l)
		}
	}
	if len(letters) != 6 {
		t.Errorf("drew %d distinct letters, want the 6 initials", len(letters))
	}
	// The documented algorithm, recomputed by hand for one seed.
	l, order := decide.RollCallOrder(parties, 42)
	if l != rollCallLetter([]rune("ACSTXZ"), 42) || order[0].String()[0] != byte(l) {
		t.Errorf("seed 42: letter %c, first %s", l, order[0])
	}
	if l, order := decide.RollCallOrder(nil, 1); l != 0 || order != nil {
		t.Error("an empty roll has an order")
	}
}
