package participation_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
)

// For random registrations (group, role, mode, the delegation's
// credentials, a guest's grants) in a forum of each preset, a command
// needing an action succeeds exactly when the matrix allows it. The
// expectation is read from the matrix's cells and conditions directly, not
// from rules.Check, so the test checks how the command layer turns a
// registration into a subject. Authorize is asked for every action; the
// real ApproveRegistration command for the approval right.
func TestCommandsSucceedExactlyWhenTheMatrixAllows(t *testing.T) {
	p := fixture.NewParticipation(t)
	rng := rand.New(rand.NewPCG(2012, 2013))
	perPreset := 24
	if testing.Short() {
		perPreset = 12
	}
	groups := rules.DefaultGroups()
	creds := rules.AllCredentials()
	grantable := rules.GuestGrantable()
	n := 0
	countries := participation.Countries()
	newCode := func() string { // an ISO alpha-3 code, valid for every kind of party
		n++
		return countries[n%len(countries)].ISO3
	}
	for pi, preset := range rules.Presets() {
		f := p.Forum(fmt.Sprintf("prop-%d", pi), fmt.Sprintf("Forum %d: property", pi), forum.KindPolicyForum)
		if _, err := p.Svc.Participation.ChoosePreset(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), preset.Key); err != nil {
			t.Fatal(err)
		}
		m := preset.Matrix
		parties := map[string]string{} // group+credentials -> party code
		partyFor := func(group string, cred rules.Credentials) string {
			k := group + "/" + string(cred)
			if code, ok := parties[k]; ok {
				return code
			}
			code := newCode()
			p.Party(f, code, "Party "+code, group)
			if _, err := p.Svc.Participation.RecordCredentials(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), code, participation.CredentialsInput{State: string(cred)}); err != nil {
				t.Fatal(err)
			}
			parties[k] = code
			return code
		}
		// Random subjects, and every credentials state for each cell that
		// holds a conditional action, so that conditions are always tried.
		type spec struct {
			group rules.Group
			role  rules.Role
			mode  rules.Mode
			cred  rules.Credentials
		}
		var specs []spec
		for i := 0; i < perPreset; i++ {
			specs = append(specs, spec{groups[rng.IntN(len(groups))], rules.Roles()[rng.IntN(len(rules.Roles()))],
				rules.Modes()[rng.IntN(2)], creds[rng.IntN(len(creds))]})
		}
		for _, k := range m.Keys() {
			if m.Get(k).Intersect(m.Conditional()).IsEmpty() {
				continue
			}
			for _, cred := range creds {
				specs = append(specs, spec{groups.Lookup(k.Group), k.Role, k.Mode, cred})
			}
		}
		for i, sp := range specs {
			group, role, mode, cred := sp.group, sp.role, sp.mode, sp.cred
			if cred == rules.CredentialsTransferred {
				cred = rules.CredentialsProvisional // a transfer needs a proxy; its effect is tested elsewhere
			}
			who := p.User(fmt.Sprintf("Subject %d %d", pi, i), false)
			var grants rules.ActionSet
			guest := role == rules.RoleGuest || group.Key == rules.GroupGuest
			party := ""
			if guest {
				var keys []string
				for _, a := range grantable {
					if rng.IntN(2) == 0 {
						keys = append(keys, string(a))
						grants = grants.With(a)
					}
				}
				if keys == nil {
					keys = []string{}
				}
				if _, err := p.Svc.Participation.InviteGuest(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), participation.GuestInput{Email: who.Email, Mode: string(mode), Grants: &keys}); err != nil {
					t.Fatal(err)
				}
				group, role, cred = rules.Group{Key: rules.GroupGuest}, rules.RoleGuest, ""
			} else {
				party = partyFor(group.Key, cred)
				if role == rules.RoleHeadOfDelegation {
					// One head per delegation: a fresh party for each head.
					party = newCode()
					p.Party(f, party, "Party "+party, group.Key)
					if _, err := p.Svc.Participation.RecordCredentials(p.Ctx, fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug), party, participation.CredentialsInput{State: string(cred)}); err != nil {
						t.Fatal(err)
					}
				}
				p.Register(f, who, party, role, mode)
			}
			key := rules.Key{Group: group.Key, Role: role, Mode: mode}
			allows := func(a rules.Action) bool {
				if a == rules.ReadPublic {
					return true // public documents are public
				}
				if guest {
					return grants.Has(a)
				}
				return m.Get(key).Has(a) && m.Condition(a).Satisfied(cred, a)
			}
			for _, a := range rules.Actions() {
				c, err := p.Svc.Kernel.Authorize(p.Ctx, who, f, a, "")
				if want := allows(a); (err == nil) != want {
					t.Errorf("%s: %s/%s/%s credentials %q grants %v: %s allowed %v, want %v (%v)",
						preset.Key, group.Key, role, mode, cred, grants, a, err == nil, want, err)
				} else if err == nil && c.Role != string(role) && c.Role != "public" {
					t.Errorf("%s: capacity %+v for role %s", preset.Key, c, role)
				}
			}
			if party == "" {
				continue
			}
			// The real command: approve a pending registration of the party.
			applicant := p.User(fmt.Sprintf("Applicant %d %d", pi, i), false)
			r, err := p.Svc.Participation.Register(p.Ctx, fixture.In(t, p.Svc.Kernel, applicant, f.Slug), participation.RegistrationInput{Party: party, Role: "delegate"})
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.Svc.Participation.ApproveRegistration(p.Ctx, fixture.In(t, p.Svc.Kernel, who, f.Slug), r.ID)
			if want := allows(rules.ApproveRegistrations); (err == nil) != want {
				t.Errorf("%s: %s/%s/%s approving: %v, want allowed %v", preset.Key, group.Key, role, mode, err, want)
			}
		}
	}
}
