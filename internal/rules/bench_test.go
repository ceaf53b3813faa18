package rules

import "testing"

// Check runs on every command; these measure an allowed and a denied call.

func BenchmarkCheckAllowed(b *testing.B) {
	p, _ := PresetByKey(PresetITUTreatyConference)
	s := Subject{Forum: "WCIT-12", Group: group(GroupMemberState), Role: RoleDelegate, Mode: InRoom, Credentials: CredentialsInOrder}
	for b.Loop() {
		if p.Matrix.Check(s, Vote) != nil {
			b.Fatal("denied")
		}
	}
}

func BenchmarkCheckDenied(b *testing.B) {
	p, _ := PresetByKey(PresetITUTreatyConference)
	s := Subject{Forum: "WCIT-12", Group: group(GroupMemberState), Role: RoleAdviser, Mode: Remote, Credentials: CredentialsInOrder}
	for b.Loop() {
		if p.Matrix.Check(s, Vote) == nil {
			b.Fatal("allowed")
		}
	}
}
