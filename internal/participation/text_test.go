package participation_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
)

const (
	notUTF8 = "is not valid UTF-8 text"
	control = "must not contain control characters"
)

// A CSV file in another encoding is refused cell by cell, naming the row
// and the column, before anything is checked or stored.
func TestCSVFilesMustBeUTF8(t *testing.T) {
	latin1 := "code,name,group,region\nCIV,C\xf4te d'Ivoire,member_state,Africa\nBRA,Brazil,member_state,Am\xe9ricas\n"
	_, err := participation.ParsePartiesCSV(strings.NewReader(latin1), "")
	var ie *participation.ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != 2 ||
		ie.Rows[0].Row != 2 || ie.Rows[0].Field != "name" || !strings.HasPrefix(ie.Rows[0].Message, notUTF8) ||
		ie.Rows[1].Row != 3 || ie.Rows[1].Field != "region" || !strings.HasPrefix(ie.Rows[1].Message, notUTF8) {
		t.Fatalf("parties: %v", err)
	}
	_, err = participation.ParsePartiesCSV(strings.NewReader("code,n\xe4me,group\nBRA,Brazil,member_state\n"), "")
	if !errors.As(err, &ie) || len(ie.Rows) != 1 || ie.Rows[0].Row != 1 || !strings.Contains(ie.Rows[0].Message, "column 2 "+notUTF8) {
		t.Fatalf("header: %v", err)
	}
	members := "iso_alpha2,iso_alpha3,itu_code,name_short_en,m49_region,itu_member_2012_2013,itu_member_2025\nCI,CIV,CTI,C\xf4te d'Ivoire,Africa,yes,yes\n"
	if _, err = participation.ParsePartiesCSV(strings.NewReader(members), ""); !errors.As(err, &ie) || ie.Rows[0].Field != "name_short_en" {
		t.Fatalf("member-state list: %v", err)
	}
	_, err = participation.ParseRegistrationsCSV(strings.NewReader("email,role,affiliation\nana@example.org,observer,Universit\xe9\n"))
	if !errors.As(err, &ie) || len(ie.Rows) != 1 || ie.Rows[0].Row != 2 || ie.Rows[0].Field != "affiliation" {
		t.Fatalf("registrations: %v", err)
	}
	// A valid file with an accent is read as written.
	rows, err := participation.ParsePartiesCSV(strings.NewReader("code,name,group\nCIV,Côte d'Ivoire,member_state\n"), "")
	if err != nil || rows[0].Name != "Côte d'Ivoire" {
		t.Fatalf("UTF-8 file: %+v %v", rows, err)
	}
}

// Every text a participation command stores follows the rules of text;
// what is refused stores nothing and appends no event.
func TestParticipationTextIsValid(t *testing.T) {
	p := fixture.NewParticipation(t)
	f := p.Forum("wtpf", "WTPF-13: Policy Forum", forum.KindTreatyConference)
	sec := fixture.In(t, p.Svc.Kernel, p.Admin, f.Slug)
	events := len(p.Events(f))
	for _, tt := range []struct {
		in  participation.PartyInput
		msg string
	}{
		{participation.PartyInput{Code: "CIV", Name: "C\xf4te d'Ivoire", Group: rules.GroupMemberState}, "name: " + notUTF8},
		{participation.PartyInput{Code: "CIV", Name: "Côte d'Ivoire\x1b", Group: rules.GroupMemberState}, "name: " + control},
		{participation.PartyInput{Code: "CIV", Name: "Côte d'Ivoire", Group: rules.GroupMemberState, Region: "Afr\xefca"}, "region: " + notUTF8},
		{participation.PartyInput{Code: "CIV", Name: "Côte d'Ivoire", Group: rules.GroupMemberState, Region: "Africa\nWest"}, "region: must be one line"},
		{participation.PartyInput{Code: "CIV", Name: "Côte d'Ivoire", Group: rules.GroupMemberState, ITUCode: "CT\x00I"}, "itu_code: " + control},
	} {
		_, err := p.Svc.Participation.AddParty(p.Ctx, sec, tt.in)
		fixture.WantCode(t, err, plenary.CodeInvalid, tt.msg)
	}
	rows := []participation.PartyRow{{Row: 2, PartyInput: participation.PartyInput{Code: "BRA", Name: "Brazil", Group: rules.GroupMemberState}},
		{Row: 3, PartyInput: participation.PartyInput{Code: "CIV", Name: "C\xf4te d'Ivoire", Group: rules.GroupMemberState}}}
	_, err := p.Svc.Participation.ImportParties(p.Ctx, sec, rows, participation.ImportOptions{})
	fixture.WantCode(t, err, plenary.CodeInvalid, "row 3: name: "+notUTF8)

	_, err = p.Svc.Participation.AddGroup(p.Ctx, sec, participation.NewGroupInput{RightsFrom: participation.NoRights, GroupInput: participation.GroupInput{Key: "youth", Name: "Youth\x07", Plural: "Youth"}})
	fixture.WantCode(t, err, plenary.CodeInvalid, "name: "+control)
	_, err = p.Svc.Participation.AddGroup(p.Ctx, sec, participation.NewGroupInput{RightsFrom: participation.NoRights, GroupInput: participation.GroupInput{Key: "youth", Name: "Youth", Plural: "Youth", Description: "young \xff"}})
	fixture.WantCode(t, err, plenary.CodeInvalid, "description: "+notUTF8)
	if n := len(p.Events(f)); n != events {
		t.Fatalf("refused commands appended %d events", n-events)
	}
	if ps, _ := p.Svc.Participation.Parties(p.Ctx, fixture.In(t, p.Svc.Kernel, forum.Anonymous, f)); len(ps) != 0 {
		t.Fatalf("%d parties stored from refused input", len(ps))
	}

	g, err := p.Svc.Participation.AddGroup(p.Ctx, sec, participation.NewGroupInput{RightsFrom: participation.NoRights, GroupInput: participation.GroupInput{Key: "youth", Name: "Youth", Plural: "Youth", Description: "Young people,\r\nunder 30.\r\n"}})
	if err != nil || g.Description != "Young people,\nunder 30." {
		t.Fatalf("group: %+v %v", g, err)
	}
	p.Party(f, "BRA", "Brazil", rules.GroupMemberState)
	_, err = p.Svc.Participation.RecordCredentials(p.Ctx, sec, "BRA", participation.CredentialsInput{State: "in_order", Note: "checked \xe0 Gen\xe8ve"})
	fixture.WantCode(t, err, plenary.CodeInvalid, "note: "+notUTF8)

	ana := p.User("Ana Observer", false)
	as := fixture.In(t, p.Svc.Kernel, ana, f.Slug)
	for _, tt := range []struct {
		in  participation.RegistrationInput
		msg string
	}{
		{participation.RegistrationInput{Role: "observer", Affiliation: "Universit\xe9"}, "affiliation: " + notUTF8},
		{participation.RegistrationInput{Role: "observer", Affiliation: "University\r\nof Life"}, "affiliation: must be one line"},
		{participation.RegistrationInput{Role: "observer", Statement: "I \x7f observe"}, "statement: " + control},
		{participation.RegistrationInput{Role: "observer", Statement: strings.Repeat("é", 2001)}, "statement: must be at most 2000 characters"},
	} {
		_, err := p.Svc.Participation.Register(p.Ctx, as, tt.in)
		fixture.WantCode(t, err, plenary.CodeInvalid, tt.msg)
	}
	r, err := p.Svc.Participation.Register(p.Ctx, as, participation.RegistrationInput{Role: "observer", Statement: strings.Repeat("é", 2000) + "\r\n"})
	if err != nil || r.Statement != strings.Repeat("é", 2000) {
		t.Fatalf("a statement of 2000 characters: %v", err)
	}
	_, err = p.Svc.Participation.DeclineRegistration(p.Ctx, sec, r.ID, "no\x00")
	fixture.WantCode(t, err, plenary.CodeInvalid, "reason: "+control)
}
