package rules

import (
	"strings"
	"testing"
)

// The expected presets are written out below, one line per group and role,
// every cell of every preset. Each cell is fifteen characters, one per
// action in display order:
//
//	p read_public          r read_restricted   c contribute
//	a propose_amendment    s cosponsor         f ask_floor
//	o point_of_order       x object_consensus  v vote
//	g sign                 d file_reservation  q approve_registrations
//	m manage_floor         e edit_draft        k comment
//
// A dot is "not allowed"; a lower-case letter is "allowed"; an upper-case
// letter is "allowed only with credentials in order" (the action carries
// the NeedsCredentials condition). Lines starting with # are headings.

const letters = "prcasfoxvgdqmek"

type expectedCell struct {
	group string
	role  Role
	mode  Mode
	cell  string
}

// parseTable reads a written-out preset and checks that it names every
// default group and role exactly once.
func parseTable(t *testing.T, table string) []expectedCell {
	t.Helper()
	if len(letters) != len(Actions()) {
		t.Fatalf("the legend has %d letters for %d actions", len(letters), len(Actions()))
	}
	seen := map[string]bool{}
	var out []expectedCell
	for n, line := range strings.Split(table, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 4 {
			t.Fatalf("line %d: want group, role, room, remote: %q", n, line)
		}
		if _, ok := DefaultGroups().Find(f[0]); !ok {
			t.Fatalf("line %d: unknown group %q", n, f[0])
		}
		if !Role(f[1]).Valid() {
			t.Fatalf("line %d: unknown role %q", n, f[1])
		}
		if seen[f[0]+"/"+f[1]] {
			t.Fatalf("line %d: %s/%s given twice", n, f[0], f[1])
		}
		seen[f[0]+"/"+f[1]] = true
		for i, mode := range Modes() {
			cell := f[2+i]
			if len(cell) != len(letters) {
				t.Fatalf("line %d: cell %q is not %d characters", n, cell, len(letters))
			}
			for j := range cell {
				if c := cell[j]; c != '.' && c != letters[j] && c != letters[j]-'a'+'A' {
					t.Fatalf("line %d: cell %q: %q in the place of %q", n, cell, c, letters[j])
				}
			}
			out = append(out, expectedCell{f[0], Role(f[1]), mode, cell})
		}
	}
	for _, g := range DefaultGroups() {
		for _, r := range Roles() {
			if !seen[g.Key+"/"+string(r)] {
				t.Fatalf("the table lacks %s/%s", g.Key, r)
			}
		}
	}
	return out
}

func TestPresetsCellByCell(t *testing.T) {
	tables := map[string]string{
		PresetITUPolicyForum:        wtpfTable,
		PresetITUTreatyConference:   wcitTable,
		PresetMultistakeholderEqual: equalTable,
		PresetIETFRoughConsensus:    ietfTable,
	}
	conditions := map[string]ActionSet{
		PresetITUPolicyForum:        0,
		PresetITUTreatyConference:   set(Vote, Sign),
		PresetMultistakeholderEqual: 0,
		PresetIETFRoughConsensus:    0,
	}
	if len(Presets()) != len(tables) {
		t.Fatalf("%d presets, %d written-out tables", len(Presets()), len(tables))
	}
	for _, p := range Presets() {
		t.Run(p.Key, func(t *testing.T) {
			table, ok := tables[p.Key]
			if !ok {
				t.Fatalf("no written-out table for preset %q", p.Key)
			}
			m := p.Matrix
			if got, want := m.Conditional(), conditions[p.Key]; got != want {
				t.Fatalf("conditional actions = %v, want %v", got, want)
			}
			for _, a := range m.Conditional().Actions() {
				if m.Condition(a) != NeedsCredentials {
					t.Errorf("%s carries %q, want %q", a, m.Condition(a), NeedsCredentials)
				}
			}
			for _, k := range m.GroupKeys() {
				if _, ok := DefaultGroups().Find(k); !ok {
					t.Errorf("the matrix has cells for group %q, not a default group", k)
				}
			}
			for _, e := range parseTable(t, table) {
				k := Key{e.group, e.role, e.mode}
				got := m.Get(k)
				for i, a := range Actions() {
					c := e.cell[i]
					want := c != '.'
					conditional := c >= 'A' && c <= 'Z'
					if got.Has(a) != want {
						t.Errorf("%s/%s/%s %s: allowed = %v, want %v", e.group, e.role, e.mode, a, got.Has(a), want)
					}
					if want && (m.Condition(a) != NoCondition) != conditional {
						t.Errorf("%s/%s/%s %s: conditional = %v, want %v", e.group, e.role, e.mode, a, !conditional, conditional)
					}
					// The one check function agrees with the table, for
					// every credentials state.
					if e.role == RoleGuest || e.group == GroupGuest {
						continue
					}
					for _, cred := range AllCredentials() {
						s := Subject{Forum: "F", Group: Group{Key: e.group}, Role: e.role, Mode: e.mode, Credentials: cred}
						ok := want && (!conditional || cred == CredentialsInOrder || (cred == CredentialsSignOnly && a != Vote))
						if err := m.Check(s, a); (err == nil) != ok {
							t.Errorf("Check(%s/%s/%s, credentials %s, %s) = %v, want allowed %v", e.group, e.role, e.mode, cred, a, err, ok)
						}
					}
				}
			}
			// Guests get nothing from any preset without grants.
			for _, g := range DefaultGroups() {
				for _, mode := range Modes() {
					s := Subject{Group: g, Role: RoleGuest, Mode: mode, Credentials: CredentialsInOrder}
					if got := m.Allowed(s); len(got) != 0 {
						t.Errorf("guest in %s %s without grants may %v", g.Key, mode, got)
					}
				}
			}
		})
	}
}

func TestPresetMetadata(t *testing.T) {
	want := []string{PresetITUPolicyForum, PresetITUTreatyConference, PresetMultistakeholderEqual, PresetIETFRoughConsensus}
	ps := Presets()
	if len(ps) != len(want) {
		t.Fatalf("%d presets, want %d", len(ps), len(want))
	}
	for i, p := range ps {
		if p.Key != want[i] {
			t.Errorf("preset %d is %q, want %q", i, p.Key, want[i])
		}
		if p.Name == "" || p.Summary == "" || p.Source == "" || len(p.Notes) == 0 {
			t.Errorf("preset %q lacks a name, summary, source or notes", p.Key)
		}
		got, ok := PresetByKey(p.Key)
		if !ok || got.Key != p.Key || !got.Matrix.Equal(p.Matrix) {
			t.Errorf("PresetByKey(%q) does not return the preset", p.Key)
		}
	}
	if _, ok := PresetByKey("nope"); ok {
		t.Error("PresetByKey found an unknown preset")
	}
}

// The presets are fresh values: changing one does not change the next.
func TestPresetsAreFresh(t *testing.T) {
	p, _ := PresetByKey(PresetITUTreatyConference)
	k := Key{GroupCivilSociety, RoleDelegate, InRoom}
	if _, err := p.Matrix.Set(k, set(Vote)); err != nil {
		t.Fatal(err)
	}
	p.Notes[0] = "changed"
	q, _ := PresetByKey(PresetITUTreatyConference)
	if q.Matrix.Get(k).Has(Vote) || q.Notes[0] == "changed" {
		t.Error("a change to one preset value leaked into the next")
	}
}

// wtpfTable is the ITU policy forum preset (WTPF-13), written out.
const wtpfTable = `
# group             role                in the room     remote
#                                       prcasfoxvgdqmek  prcasfoxvgdqmek
member_state        head_of_delegation  prcasfox...q..k  prcasfox...q..k
member_state        delegate            prcasfox......k  prcasfox......k
member_state        adviser             prcasfox......k  prcasfox......k
member_state        observer            pr............k  pr............k
member_state        guest               ...............  ...............
member_state        chair               pr.a........m..  pr.a........m..
member_state        editor              pr...........e.  pr...........e.
member_state        remote_moderator    pr...f.........  pr...f.........
member_state        secretariat         prc........qm..  prc........qm..
sector_member       head_of_delegation  prcasf.x...q..k  prcasf.x...q..k
sector_member       delegate            prcasf.x......k  prcasf.x......k
sector_member       adviser             prcasf.x......k  prcasf.x......k
sector_member       observer            pr............k  pr............k
sector_member       guest               ...............  ...............
sector_member       chair               pr.a........m..  pr.a........m..
sector_member       editor              pr...........e.  pr...........e.
sector_member       remote_moderator    pr...f.........  pr...f.........
sector_member       secretariat         prc........qm..  prc........qm..
associate           head_of_delegation  prc..f.....q..k  prc..f.....q..k
associate           delegate            prc..f........k  prc..f........k
associate           adviser             prc..f........k  prc..f........k
associate           observer            pr............k  pr............k
associate           guest               ...............  ...............
associate           chair               pr.a........m..  pr.a........m..
associate           editor              pr...........e.  pr...........e.
associate           remote_moderator    pr...f.........  pr...f.........
associate           secretariat         prc........qm..  prc........qm..
academia            head_of_delegation  prc..f.....q..k  prc..f.....q..k
academia            delegate            prc..f........k  prc..f........k
academia            adviser             prc..f........k  prc..f........k
academia            observer            pr............k  pr............k
academia            guest               ...............  ...............
academia            chair               pr.a........m..  pr.a........m..
academia            editor              pr...........e.  pr...........e.
academia            remote_moderator    pr...f.........  pr...f.........
academia            secretariat         prc........qm..  prc........qm..
civil_society       head_of_delegation  p.c..f.....q..k  p.c..f.....q..k
civil_society       delegate            p.c..f........k  p.c..f........k
civil_society       adviser             p.c..f........k  p.c..f........k
civil_society       observer            p.............k  p.............k
civil_society       guest               ...............  ...............
civil_society       chair               pr.a........m..  pr.a........m..
civil_society       editor              pr...........e.  pr...........e.
civil_society       remote_moderator    pr...f.........  pr...f.........
civil_society       secretariat         prc........qm..  prc........qm..
technical_community head_of_delegation  p.c..f.....q..k  p.c..f.....q..k
technical_community delegate            p.c..f........k  p.c..f........k
technical_community adviser             p.c..f........k  p.c..f........k
technical_community observer            p.............k  p.............k
technical_community guest               ...............  ...............
technical_community chair               pr.a........m..  pr.a........m..
technical_community editor              pr...........e.  pr...........e.
technical_community remote_moderator    pr...f.........  pr...f.........
technical_community secretariat         prc........qm..  prc........qm..
private_sector      head_of_delegation  p.c..f.....q..k  p.c..f.....q..k
private_sector      delegate            p.c..f........k  p.c..f........k
private_sector      adviser             p.c..f........k  p.c..f........k
private_sector      observer            p.............k  p.............k
private_sector      guest               ...............  ...............
private_sector      chair               pr.a........m..  pr.a........m..
private_sector      editor              pr...........e.  pr...........e.
private_sector      remote_moderator    pr...f.........  pr...f.........
private_sector      secretariat         prc........qm..  prc........qm..
igo                 head_of_delegation  prc..f.....q..k  prc..f.....q..k
igo                 delegate            prc..f........k  prc..f........k
igo                 adviser             prc..f........k  prc..f........k
igo                 observer            pr............k  pr............k
igo                 guest               ...............  ...............
igo                 chair               pr.a........m..  pr.a........m..
igo                 editor              pr...........e.  pr...........e.
igo                 remote_moderator    pr...f.........  pr...f.........
igo                 secretariat         prc........qm..  prc........qm..
observer            head_of_delegation  p.............k  p.............k
observer            delegate            p.............k  p.............k
observer            adviser             p.............k  p.............k
observer            observer            p.............k  p.............k
observer            guest               ...............  ...............
observer            chair               pr.a........m..  pr.a........m..
observer            editor              pr...........e.  pr...........e.
observer            remote_moderator    pr...f.........  pr...f.........
observer            secretariat         prc........qm..  prc........qm..
guest               head_of_delegation  ...............  ...............
guest               delegate            ...............  ...............
guest               adviser             ...............  ...............
guest               observer            ...............  ...............
guest               guest               ...............  ...............
guest               chair               ...............  ...............
guest               editor              ...............  ...............
guest               remote_moderator    ...............  ...............
guest               secretariat         ...............  ...............
secretariat         head_of_delegation  pr.............  pr.............
secretariat         delegate            pr.............  pr.............
secretariat         adviser             pr.............  pr.............
secretariat         observer            pr.............  pr.............
secretariat         guest               ...............  ...............
secretariat         chair               pr.a........m..  pr.a........m..
secretariat         editor              pr...........e.  pr...........e.
secretariat         remote_moderator    pr...f.........  pr...f.........
secretariat         secretariat         prc........qm..  prc........qm..
`

// wcitTable is the ITU treaty conference preset (WCIT-12), written out.
// V and G: vote and sign only with credentials in order; neither remotely.
const wcitTable = `
# group             role                in the room     remote
#                                       prcasfoxvgdqmek  prcasfoxvgdqmek
member_state        head_of_delegation  prcasfoxVGdq..k  prcasfox..dq..k
member_state        delegate            prcasfoxVGd...k  prcasfox..d...k
member_state        adviser             prcasfox......k  prcasfox......k
member_state        observer            pr............k  pr............k
member_state        guest               ...............  ...............
member_state        chair               pr.a........m..  pr.a........m..
member_state        editor              pr...........e.  pr...........e.
member_state        remote_moderator    pr...f.........  pr...f.........
member_state        secretariat         prc........qm..  prc........qm..
sector_member       head_of_delegation  pr...f.....q..k  pr...f.....q..k
sector_member       delegate            pr...f........k  pr...f........k
sector_member       adviser             pr...f........k  pr...f........k
sector_member       observer            pr...f........k  pr...f........k
sector_member       guest               ...............  ...............
sector_member       chair               pr.a........m..  pr.a........m..
sector_member       editor              pr...........e.  pr...........e.
sector_member       remote_moderator    pr...f.........  pr...f.........
sector_member       secretariat         prc........qm..  prc........qm..
associate           head_of_delegation  p..........q..k  p..........q..k
associate           delegate            p.............k  p.............k
associate           adviser             p.............k  p.............k
associate           observer            p.............k  p.............k
associate           guest               ...............  ...............
associate           chair               pr.a........m..  pr.a........m..
associate           editor              pr...........e.  pr...........e.
associate           remote_moderator    pr...f.........  pr...f.........
associate           secretariat         prc........qm..  prc........qm..
academia            head_of_delegation  p..........q..k  p..........q..k
academia            delegate            p.............k  p.............k
academia            adviser             p.............k  p.............k
academia            observer            p.............k  p.............k
academia            guest               ...............  ...............
academia            chair               pr.a........m..  pr.a........m..
academia            editor              pr...........e.  pr...........e.
academia            remote_moderator    pr...f.........  pr...f.........
academia            secretariat         prc........qm..  prc........qm..
civil_society       head_of_delegation  p..........q..k  p..........q..k
civil_society       delegate            p.............k  p.............k
civil_society       adviser             p.............k  p.............k
civil_society       observer            p.............k  p.............k
civil_society       guest               ...............  ...............
civil_society       chair               pr.a........m..  pr.a........m..
civil_society       editor              pr...........e.  pr...........e.
civil_society       remote_moderator    pr...f.........  pr...f.........
civil_society       secretariat         prc........qm..  prc........qm..
technical_community head_of_delegation  p..........q..k  p..........q..k
technical_community delegate            p.............k  p.............k
technical_community adviser             p.............k  p.............k
technical_community observer            p.............k  p.............k
technical_community guest               ...............  ...............
technical_community chair               pr.a........m..  pr.a........m..
technical_community editor              pr...........e.  pr...........e.
technical_community remote_moderator    pr...f.........  pr...f.........
technical_community secretariat         prc........qm..  prc........qm..
private_sector      head_of_delegation  p..........q..k  p..........q..k
private_sector      delegate            p.............k  p.............k
private_sector      adviser             p.............k  p.............k
private_sector      observer            p.............k  p.............k
private_sector      guest               ...............  ...............
private_sector      chair               pr.a........m..  pr.a........m..
private_sector      editor              pr...........e.  pr...........e.
private_sector      remote_moderator    pr...f.........  pr...f.........
private_sector      secretariat         prc........qm..  prc........qm..
igo                 head_of_delegation  pr...f.....q..k  pr...f.....q..k
igo                 delegate            pr...f........k  pr...f........k
igo                 adviser             pr...f........k  pr...f........k
igo                 observer            pr...f........k  pr...f........k
igo                 guest               ...............  ...............
igo                 chair               pr.a........m..  pr.a........m..
igo                 editor              pr...........e.  pr...........e.
igo                 remote_moderator    pr...f.........  pr...f.........
igo                 secretariat         prc........qm..  prc........qm..
observer            head_of_delegation  p.............k  p.............k
observer            delegate            p.............k  p.............k
observer            adviser             p.............k  p.............k
observer            observer            p.............k  p.............k
observer            guest               ...............  ...............
observer            chair               pr.a........m..  pr.a........m..
observer            editor              pr...........e.  pr...........e.
observer            remote_moderator    pr...f.........  pr...f.........
observer            secretariat         prc........qm..  prc........qm..
guest               head_of_delegation  ...............  ...............
guest               delegate            ...............  ...............
guest               adviser             ...............  ...............
guest               observer            ...............  ...............
guest               guest               ...............  ...............
guest               chair               ...............  ...............
guest               editor              ...............  ...............
guest               remote_moderator    ...............  ...............
guest               secretariat         ...............  ...............
secretariat         head_of_delegation  pr.............  pr.............
secretariat         delegate            pr.............  pr.............
secretariat         adviser             pr.............  pr.............
secretariat         observer            pr.............  pr.............
secretariat         guest               ...............  ...............
secretariat         chair               pr.a........m..  pr.a........m..
secretariat         editor              pr...........e.  pr...........e.
secretariat         remote_moderator    pr...f.........  pr...f.........
secretariat         secretariat         prc........qm..  prc........qm..
`

// equalTable is the multistakeholder-equal preset (IGF, NETmundial), written out.
const equalTable = `
# group             role                in the room     remote
#                                       prcasfoxvgdqmek  prcasfoxvgdqmek
member_state        head_of_delegation  prcasfox...q..k  prcasfox...q..k
member_state        delegate            prcasfox......k  prcasfox......k
member_state        adviser             prcasfox......k  prcasfox......k
member_state        observer            p.ca.f........k  p.ca.f........k
member_state        guest               ...............  ...............
member_state        chair               pr.a........m..  pr.a........m..
member_state        editor              pr...........e.  pr...........e.
member_state        remote_moderator    pr...f.........  pr...f.........
member_state        secretariat         prc........qm..  prc........qm..
sector_member       head_of_delegation  prcasfox...q..k  prcasfox...q..k
sector_member       delegate            prcasfox......k  prcasfox......k
sector_member       adviser             prcasfox......k  prcasfox......k
sector_member       observer            p.ca.f........k  p.ca.f........k
sector_member       guest               ...............  ...............
sector_member       chair               pr.a........m..  pr.a........m..
sector_member       editor              pr...........e.  pr...........e.
sector_member       remote_moderator    pr...f.........  pr...f.........
sector_member       secretariat         prc........qm..  prc........qm..
associate           head_of_delegation  prcasfox...q..k  prcasfox...q..k
associate           delegate            prcasfox......k  prcasfox......k
associate           adviser             prcasfox......k  prcasfox......k
associate           observer            p.ca.f........k  p.ca.f........k
associate           guest               ...............  ...............
associate           chair               pr.a........m..  pr.a........m..
associate           editor              pr...........e.  pr...........e.
associate           remote_moderator    pr...f.........  pr...f.........
associate           secretariat         prc........qm..  prc........qm..
academia            head_of_delegation  prcasfox...q..k  prcasfox...q..k
academia            delegate            prcasfox......k  prcasfox......k
academia            adviser             prcasfox......k  prcasfox......k
academia            observer            p.ca.f........k  p.ca.f........k
academia            guest               ...............  ...............
academia            chair               pr.a........m..  pr.a........m..
academia            editor              pr...........e.  pr...........e.
academia            remote_moderator    pr...f.........  pr...f.........
academia            secretariat         prc........qm..  prc........qm..
civil_society       head_of_delegation  prcasfox...q..k  prcasfox...q..k
civil_society       delegate            prcasfox......k  prcasfox......k
civil_society       adviser             prcasfox......k  prcasfox......k
civil_society       observer            p.ca.f........k  p.ca.f........k
civil_society       guest               ...............  ...............
civil_society       chair               pr.a........m..  pr.a........m..
civil_society       editor              pr...........e.  pr...........e.
civil_society       remote_moderator    pr...f.........  pr...f.........
civil_society       secretariat         prc........qm..  prc........qm..
technical_community head_of_delegation  prcasfox...q..k  prcasfox...q..k
technical_community delegate            prcasfox......k  prcasfox......k
technical_community adviser             prcasfox......k  prcasfox......k
technical_community observer            p.ca.f........k  p.ca.f........k
technical_community guest               ...............  ...............
technical_community chair               pr.a........m..  pr.a........m..
technical_community editor              pr...........e.  pr...........e.
technical_community remote_moderator    pr...f.........  pr...f.........
technical_community secretariat         prc........qm..  prc........qm..
private_sector      head_of_delegation  prcasfox...q..k  prcasfox...q..k
private_sector      delegate            prcasfox......k  prcasfox......k
private_sector      adviser             prcasfox......k  prcasfox......k
private_sector      observer            p.ca.f........k  p.ca.f........k
private_sector      guest               ...............  ...............
private_sector      chair               pr.a........m..  pr.a........m..
private_sector      editor              pr...........e.  pr...........e.
private_sector      remote_moderator    pr...f.........  pr...f.........
private_sector      secretariat         prc........qm..  prc........qm..
igo                 head_of_delegation  prcasfox...q..k  prcasfox...q..k
igo                 delegate            prcasfox......k  prcasfox......k
igo                 adviser             prcasfox......k  prcasfox......k
igo                 observer            p.ca.f........k  p.ca.f........k
igo                 guest               ...............  ...............
igo                 chair               pr.a........m..  pr.a........m..
igo                 editor              pr...........e.  pr...........e.
igo                 remote_moderator    pr...f.........  pr...f.........
igo                 secretariat         prc........qm..  prc........qm..
observer            head_of_delegation  p.ca.f........k  p.ca.f........k
observer            delegate            p.ca.f........k  p.ca.f........k
observer            adviser             p.ca.f........k  p.ca.f........k
observer            observer            p.ca.f........k  p.ca.f........k
observer            guest               ...............  ...............
observer            chair               pr.a........m..  pr.a........m..
observer            editor              pr...........e.  pr...........e.
observer            remote_moderator    pr...f.........  pr...f.........
observer            secretariat         prc........qm..  prc........qm..
guest               head_of_delegation  ...............  ...............
guest               delegate            ...............  ...............
guest               adviser             ...............  ...............
guest               observer            ...............  ...............
guest               guest               ...............  ...............
guest               chair               ...............  ...............
guest               editor              ...............  ...............
guest               remote_moderator    ...............  ...............
guest               secretariat         ...............  ...............
secretariat         head_of_delegation  pr.............  pr.............
secretariat         delegate            pr.............  pr.............
secretariat         adviser             pr.............  pr.............
secretariat         observer            pr.............  pr.............
secretariat         guest               ...............  ...............
secretariat         chair               pr.a........m..  pr.a........m..
secretariat         editor              pr...........e.  pr...........e.
secretariat         remote_moderator    pr...f.........  pr...f.........
secretariat         secretariat         prc........qm..  prc........qm..
`

// ietfTable is the IETF rough consensus preset, written out.
const ietfTable = `
# group             role                in the room     remote
#                                       prcasfoxvgdqmek  prcasfoxvgdqmek
member_state        head_of_delegation  p.casfox......k  p.casfox......k
member_state        delegate            p.casfox......k  p.casfox......k
member_state        adviser             p.casfox......k  p.casfox......k
member_state        observer            p.............k  p.............k
member_state        guest               ...............  ...............
member_state        chair               pr.a........m..  pr.a........m..
member_state        editor              pr...........e.  pr...........e.
member_state        remote_moderator    pr...f.........  pr...f.........
member_state        secretariat         prc........qm..  prc........qm..
sector_member       head_of_delegation  p.casfox......k  p.casfox......k
sector_member       delegate            p.casfox......k  p.casfox......k
sector_member       adviser             p.casfox......k  p.casfox......k
sector_member       observer            p.............k  p.............k
sector_member       guest               ...............  ...............
sector_member       chair               pr.a........m..  pr.a........m..
sector_member       editor              pr...........e.  pr...........e.
sector_member       remote_moderator    pr...f.........  pr...f.........
sector_member       secretariat         prc........qm..  prc........qm..
associate           head_of_delegation  p.casfox......k  p.casfox......k
associate           delegate            p.casfox......k  p.casfox......k
associate           adviser             p.casfox......k  p.casfox......k
associate           observer            p.............k  p.............k
associate           guest               ...............  ...............
associate           chair               pr.a........m..  pr.a........m..
associate           editor              pr...........e.  pr...........e.
associate           remote_moderator    pr...f.........  pr...f.........
associate           secretariat         prc........qm..  prc........qm..
academia            head_of_delegation  p.casfox......k  p.casfox......k
academia            delegate            p.casfox......k  p.casfox......k
academia            adviser             p.casfox......k  p.casfox......k
academia            observer            p.............k  p.............k
academia            guest               ...............  ...............
academia            chair               pr.a........m..  pr.a........m..
academia            editor              pr...........e.  pr...........e.
academia            remote_moderator    pr...f.........  pr...f.........
academia            secretariat         prc........qm..  prc........qm..
civil_society       head_of_delegation  p.casfox......k  p.casfox......k
civil_society       delegate            p.casfox......k  p.casfox......k
civil_society       adviser             p.casfox......k  p.casfox......k
civil_society       observer            p.............k  p.............k
civil_society       guest               ...............  ...............
civil_society       chair               pr.a........m..  pr.a........m..
civil_society       editor              pr...........e.  pr...........e.
civil_society       remote_moderator    pr...f.........  pr...f.........
civil_society       secretariat         prc........qm..  prc........qm..
technical_community head_of_delegation  p.casfox......k  p.casfox......k
technical_community delegate            p.casfox......k  p.casfox......k
technical_community adviser             p.casfox......k  p.casfox......k
technical_community observer            p.............k  p.............k
technical_community guest               ...............  ...............
technical_community chair               pr.a........m..  pr.a........m..
technical_community editor              pr...........e.  pr...........e.
technical_community remote_moderator    pr...f.........  pr...f.........
technical_community secretariat         prc........qm..  prc........qm..
private_sector      head_of_delegation  p.casfox......k  p.casfox......k
private_sector      delegate            p.casfox......k  p.casfox......k
private_sector      adviser             p.casfox......k  p.casfox......k
private_sector      observer            p.............k  p.............k
private_sector      guest               ...............  ...............
private_sector      chair               pr.a........m..  pr.a........m..
private_sector      editor              pr...........e.  pr...........e.
private_sector      remote_moderator    pr...f.........  pr...f.........
private_sector      secretariat         prc........qm..  prc........qm..
igo                 head_of_delegation  p.casfox......k  p.casfox......k
igo                 delegate            p.casfox......k  p.casfox......k
igo                 adviser             p.casfox......k  p.casfox......k
igo                 observer            p.............k  p.............k
igo                 guest               ...............  ...............
igo                 chair               pr.a........m..  pr.a........m..
igo                 editor              pr...........e.  pr...........e.
igo                 remote_moderator    pr...f.........  pr...f.........
igo                 secretariat         prc........qm..  prc........qm..
observer            head_of_delegation  p.casfox......k  p.casfox......k
observer            delegate            p.casfox......k  p.casfox......k
observer            adviser             p.casfox......k  p.casfox......k
observer            observer            p.............k  p.............k
observer            guest               ...............  ...............
observer            chair               pr.a........m..  pr.a........m..
observer            editor              pr...........e.  pr...........e.
observer            remote_moderator    pr...f.........  pr...f.........
observer            secretariat         prc........qm..  prc........qm..
guest               head_of_delegation  ...............  ...............
guest               delegate            ...............  ...............
guest               adviser             ...............  ...............
guest               observer            ...............  ...............
guest               guest               ...............  ...............
guest               chair               ...............  ...............
guest               editor              ...............  ...............
guest               remote_moderator    ...............  ...............
guest               secretariat         ...............  ...............
secretariat         head_of_delegation  pr.............  pr.............
secretariat         delegate            pr.............  pr.............
secretariat         adviser             pr.............  pr.............
secretariat         observer            pr.............  pr.............
secretariat         guest               ...............  ...............
secretariat         chair               pr.a........m..  pr.a........m..
secretariat         editor              pr...........e.  pr...........e.
secretariat         remote_moderator    pr...f.........  pr...f.........
secretariat         secretariat         prc........qm..  prc........qm..
`
