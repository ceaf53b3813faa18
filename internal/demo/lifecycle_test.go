package demo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
)

// WTPF-13 in the demo stopped taking contributions a week before it met,
// and takes proposals on its draft opinions for a while yet.
func TestDemoDeadlines(t *testing.T) {
	ctx := context.Background()
	_, svc := loadDemo(t)
	f, err := svc.Kernel.ForumBySlug(ctx, demo.WTPFSlug)
	if err != nil {
		t.Fatal(err)
	}
	c, p := f.DeadlineFor("contributions"), f.DeadlineFor("proposals")
	if c == nil || !c.Passed() || c.DueText() != "7 May 2013 23:59 UTC" || p == nil || p.Passed() || len(f.Deadlines) != 2 {
		t.Fatalf("deadlines %+v", f.Deadlines)
	}
	u, _ := svc.Accounts.UserByEmail(ctx, demo.LoginByKey("member_state").Email)
	bra := forum.Actor{UserID: u.ID, Name: u.Name}
	_, err = svc.Documents.SubmitDocument(ctx, fixture.In(t, svc.Kernel, bra, f.Slug), documents.DocumentInput{Type: documents.DocContribution, Title: "Late"})
	if plenary.ErrorCode(err) != plenary.CodeConflict || !strings.Contains(err.Error(), "deadline for contributions") {
		t.Fatalf("a late contribution: %v", err)
	}
}
