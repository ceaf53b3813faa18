package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportPartiesAndRegistrations(t *testing.T) {
	env := testEnv(t)
	if code, out, errs := run(t, env, "", "demo"); code != 0 {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// The real member-state list into a new forum: 193 of 2012-13, or 194 today.
	code, _, errs := run(t, env, "", "import", "parties", "--forum", "igf-2014", "--file", "../demo/data/itu-member-states.csv")
	if code != 1 || !strings.Contains(errs, "row 25, code: this forum already has a party BRA") || !strings.Contains(errs, "nothing was imported") {
		t.Fatalf("importing states the forum has: %d %q", code, errs)
	}
	code, out, errs := run(t, env, "", "import", "parties", "--forum", "wcit-12", "--file", "../demo/data/itu-member-states.csv", "--membership", "bogus")
	if code != 1 || !strings.Contains(errs, "membership") {
		t.Fatalf("bad membership: %d %q %q", code, out, errs)
	}
	// A file with bad rows: each is reported, nothing is imported.
	bad := write("bad.csv", "code,name,group\nISOC2,Internet Society Chapter,technical_community\nX,Too short,civil_society\nRIPE2,RIPE again,nobody\nISOC2,Duplicate,civil_society\n")
	code, out, errs = run(t, env, "", "import", "parties", "--forum", "wtpf-13", "--file", bad)
	if code != 1 || out != "" {
		t.Fatalf("bad file: %d %q %q", code, out, errs)
	}
	for _, want := range []string{"3 problems; nothing was imported", "row 3, code:", "row 4, group: no stakeholder group \"nobody\"", "row 5, code: ISOC2 is also in row 2"} {
		if !strings.Contains(errs, want) {
			t.Errorf("the report lacks %q:\n%s", want, errs)
		}
	}
	// A dry run prints the report, warnings included, and imports nothing:
	// the same file imports afterwards.
	near := write("near.csv", "group,code,name,country\ntechnical_community,ISOC3,internet  society,\nmember_state,,,XX\n")
	code, out, errs = run(t, env, "", "import", "parties", "--forum", "igf-2014", "--file", near, "--dry-run")
	if code != 1 || !strings.Contains(errs, "row 3, country: XX is not an ISO 3166 country code") ||
		!strings.Contains(errs, "row 2, name: internet  society is nearly the same as Internet Society, of the party ISOC") {
		t.Fatalf("dry run of a bad file: %d %q %q", code, out, errs)
	}
	near = write("near.csv", "group,code,name,country\ntechnical_community,ISOC3,internet  society,\nmember_state,,,Palau\n")
	code, out, errs = run(t, env, "", "import", "parties", "--forum", "igf-2014", "--file", near, "--dry-run")
	if code != 0 || !strings.Contains(out, "dry run: 2 parties would be imported into igf-2014; nothing was imported") ||
		!strings.Contains(out, "PLW      Palau (Member State, member_state)") || !strings.Contains(out, "nearly the same as Internet Society") {
		t.Fatalf("dry run: %d %q %q", code, out, errs)
	}
	code, out, errs = run(t, env, "", "import", "parties", "--forum", "igf-2014", "--file", near)
	if code != 0 || !strings.Contains(out, "imported 2 parties into igf-2014") || !strings.Contains(out, "1 warning (an import does not stop for them)") {
		t.Fatalf("after the dry run: %d %q %q", code, out, errs)
	}
	good := write("good.csv", "code,name,group,kind\nISOC2,Internet Society Chapter,technical_community,ngo\nEDU,Example Education Network,academia,\n")
	code, out, errs = run(t, env, "", "import", "parties", "--forum", "wtpf-13", "--file", good)
	if code != 0 || !strings.Contains(out, "imported 2 parties into wtpf-13") {
		t.Fatalf("good file: %d %q %q", code, out, errs)
	}
	// Registrations: the public demo account as an adviser of the new party, a guest with rights.
	badRegs := write("badregs.csv", "email,party,role,mode,grants\npublic@demo.plenary.example,ISOC2,adviser,in_room,\nnobody@example.org,ISOC2,delegate,in_room,\npublic@demo.plenary.example,,guest,remote,\n")
	code, _, errs = run(t, env, "", "import", "registrations", "--forum", "wtpf-13", "--file", badRegs)
	if code != 1 || !strings.Contains(errs, "row 3, email: no account") || !strings.Contains(errs, "row 4, grants: say which rights the guest has") {
		t.Fatalf("bad registrations: %d %q", code, errs)
	}
	goodRegs := write("regs.csv", "email,party,role,mode,affiliation\npublic@demo.plenary.example,ISOC2,adviser,remote,Chapter member\n")
	code, out, errs = run(t, env, "", "import", "registrations", "--forum", "wtpf-13", "--file", goodRegs)
	if code != 0 || !strings.Contains(out, "imported 1 registrations into wtpf-13") {
		t.Fatalf("registrations: %d %q %q", code, out, errs)
	}
	// Usage and a missing file.
	if code, _, errs := run(t, env, "", "import"); code != 2 || !strings.Contains(errs, "plenary import parties") {
		t.Fatalf("usage: %d %q", code, errs)
	}
	if code, _, errs := run(t, env, "", "import", "parties", "--forum", "wtpf-13"); code != 2 || !strings.Contains(errs, "--file") {
		t.Fatalf("missing flag: %d %q", code, errs)
	}
	if code, _, errs := run(t, env, "", "import", "parties", "--forum", "wtpf-13", "--file", filepath.Join(dir, "none.csv")); code != 1 || !strings.Contains(errs, "file: cannot be read") {
		t.Fatalf("missing file: %d %q", code, errs)
	}
}
