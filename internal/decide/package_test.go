package decide_test

import (
	"slices"
	"testing"

	"github.com/plenary-forum/plenary/internal/decide"
)

func TestPackages(t *testing.T) {
	members := []decide.Outcome{decide.Adopted, decide.NotAdopted, decide.Pending, decide.Adopted}
	cases := []struct {
		pkg  decide.Outcome
		want []decide.Outcome
	}{
		{decide.Pending, members},
		{decide.Adopted, members},
		{decide.NotAdopted, []decide.Outcome{decide.Fallen, decide.Fallen, decide.Fallen, decide.Fallen}},
		{decide.NoResult, []decide.Outcome{decide.Fallen, decide.Fallen, decide.Fallen, decide.Fallen}},
	}
	for _, c := range cases {
		got := decide.PackageOutcome(members, c.pkg)
		if !slices.Equal(got, c.want) {
			t.Errorf("package %s: %v, want %v", c.pkg, got, c.want)
		}
	}
	if got := decide.PackageOutcome(nil, decide.NotAdopted); len(got) != 0 {
		t.Error("an empty package has members")
	}
	before := slices.Clone(members)
	decide.PackageOutcome(members, decide.NotAdopted)
	if !slices.Equal(members, before) {
		t.Error("PackageOutcome changed its input")
	}
	if !decide.Provisional(decide.Pending) || decide.Provisional(decide.Adopted) {
		t.Error("Provisional")
	}
	for _, c := range []struct {
		member, pkg decide.Outcome
		want        string
	}{
		{decide.Adopted, decide.Pending, "Adopted, provisionally: part of package DT/55 until it is decided"},
		{decide.NotAdopted, decide.Pending, "Not adopted, provisionally: part of package DT/55 until it is decided"},
		{decide.Pending, decide.Pending, "Pending: part of package DT/55"},
		{decide.Adopted, decide.Adopted, "Adopted: package DT/55 was adopted"},
		{decide.Adopted, decide.NotAdopted, "Fell with package DT/55: the package was not adopted"},
		{decide.Adopted, decide.NoResult, "Fell with package DT/55: the vote on the package had no result"},
	} {
		if got := decide.PackageStatus(c.member, "DT/55", c.pkg); got != c.want {
			t.Errorf("%s in %s: %q, want %q", c.member, c.pkg, got, c.want)
		}
	}
}
