package cli

import (
	"context"
	"fmt"

	"github.com/plenary-forum/plenary/internal/config"
	"github.com/plenary-forum/plenary/internal/forum"
)

func init() {
	register(command{"reindex", "rebuild the full-text search index from the forums' documents, draft texts and comments", runReindex})
}

// runReindex writes every search entry of one forum, or of every forum,
// again from the rows they are derived from: after a restore, or for what
// was stored before it was indexed. The record is not touched.
func runReindex(ctx context.Context, env *Env, args []string) error {
	fs := flags(env, "reindex", "[--forum SLUG]")
	slug := fs.String("forum", "", "only this forum (default: every forum)")
	cfg, _, err := config.Load(fs, args, env.Getenv)
	if err != nil {
		return err
	}
	a, err := open(ctx, cfg, newLogger(cfg, env.Stderr))
	if err != nil {
		return err
	}
	defer a.Close()
	var forums []forum.Forum
	if *slug != "" {
		f, err := a.svc.Kernel.ForumBySlug(ctx, *slug)
		if err != nil {
			return err
		}
		forums = []forum.Forum{f}
	} else if forums, err = a.svc.Kernel.Forums(ctx); err != nil {
		return err
	}
	for _, f := range forums {
		docs, err := a.svc.Documents.Reindex(ctx, f)
		if err != nil {
			return err
		}
		drafts, err := a.svc.Drafting.Reindex(ctx, f)
		if err != nil {
			return err
		}
		comments, err := a.svc.Consultation.Reindex(ctx, f)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s: reindexed %d documents, the provisions of %d draft texts, %d comments\n", f.Slug, docs, drafts, comments)
	}
	return nil
}
