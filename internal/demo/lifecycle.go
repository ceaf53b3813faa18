package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/plenary-forum/plenary/internal/account"
	"github.com/plenary-forum/plenary/internal/app"
	"github.com/plenary-forum/plenary/internal/forum"
)

// ContributionsDue is when the demo WTPF-13 stopped taking contributions:
// the end of 7 May 2013, a week before the forum met and after the last
// of the demo's contributions.
const ContributionsDue = "2013-05-07"

// ProposalsOpen is how long after the demo is loaded WTPF-13 takes
// proposals on its draft opinions, so that the demo's delegates can try
// proposing.
const ProposalsOpen = 30 * 24 * time.Hour

// loadWTPFDeadlines gives WTPF-13 its deadlines, once: contributions
// closed, proposals open for a while yet.
func loadWTPFDeadlines(ctx context.Context, svc *app.App, users map[string]account.User) error {
	f, err := svc.Kernel.ForumBySlug(ctx, WTPFSlug)
	if err != nil || len(f.Deadlines) > 0 {
		return err
	}
	sec := actorOf(users["secretariat"])
	for _, in := range []forum.DeadlineInput{
		{Kind: string(forum.DeadlineContributions), Due: ContributionsDue},
		{Kind: string(forum.DeadlineProposals), Due: forum.NowUTC().Add(ProposalsOpen).Format(time.RFC3339)},
	} {
		if _, err := svc.Kernel.SetDeadline(ctx, scopeIn(ctx, svc.Kernel, sec, f.Slug), in); err != nil {
			return fmt.Errorf("demo: WTPF-13 deadline for %s: %w", in.Kind, err)
		}
	}
	return nil
}
