package demo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/floor"
	"github.com/plenary-forum/plenary/internal/forum"
)

// WG3-4 as the demo leaves it: Brazil at the floor, the United States'
// point of order first, a remote civil-society participant and the ISOC
// hub waiting; Chidi Okafor, the remote_delegate login, has spoken and is
// not waiting, so that he can ask for the floor; every finished
// intervention has transcript lines.
func TestDemoWG3Floor(t *testing.T) {
	ctx := context.Background()
	_, svc := loadDemo(t)
	sec, err := svc.Accounts.UserByEmail(ctx, demo.LoginByKey("secretariat").Email)
	if err != nil {
		t.Fatal(err)
	}
	sc := fixture.In(t, svc.Kernel, forum.Actor{UserID: sec.ID, Name: sec.Name, Email: sec.Email, Admin: sec.Admin}, demo.WTPFSlug)
	v, err := svc.Meetings.Floor(ctx, sc, demo.WG3Meeting)
	if err != nil {
		t.Fatal(err)
	}
	if v.Current == nil || v.Current.PartyName != "Brazil" || !v.Current.Running {
		t.Fatalf("at the floor: %+v", v.Current)
	}
	if len(v.Order) == 0 || v.Order[0].Kind != floor.PointOfOrder || v.Order[0].PartyName != "United States of America" {
		t.Fatalf("first in the queue: %+v", v.Order)
	}
	chidi := demo.LoginByKey("remote_delegate").Name
	var remote, hub, pending int
	for _, p := range v.Order {
		if p.Name == chidi {
			t.Errorf("%s is waiting: %+v", chidi, p)
		}
		switch p.Origin {
		case floor.Remote:
			remote++
			if p.Group != "civil_society" {
				t.Errorf("the remote participant waiting is not civil society: %+v", p)
			}
		case floor.Hub:
			hub++
		}
		if p.Kind == floor.PointOfOrder {
			pending++
		}
	}
	if remote != 1 || hub != 1 || pending != 1 {
		t.Errorf("waiting: %d remote, %d hub, %d points of order, want 1 each", remote, hub, pending)
	}
	ins, err := svc.Meetings.Interventions(ctx, sc, demo.WG3Meeting)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := svc.Meetings.Transcript(ctx, sc, demo.WG3Meeting)
	if err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	for _, l := range lines {
		per[l.InterventionID]++
		if l.Speaker == "" || strings.TrimSpace(l.Text) == "" {
			t.Errorf("a transcript line without its speaker or text: %+v", l)
		}
	}
	spoke := false
	for _, in := range ins {
		if in.Name == chidi && in.Origin == floor.Remote {
			spoke = true
		}
		if per[in.ID] < 2 {
			t.Errorf("the intervention of %s (%s) has %d transcript lines", in.Name, in.Kind, per[in.ID])
		}
	}
	if !spoke || len(ins) != 5 {
		t.Errorf("%d interventions; %s spoke remotely: %v", len(ins), chidi, spoke)
	}
}
