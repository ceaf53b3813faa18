package demo

import (
	"context"

	"github.com/plenary-forum/plenary/internal/forum"
)

// scopeIn is actor a's scope in a demo forum, given or named by its slug.
// A forum that cannot be read gives a scope in no forum, whose commands
// fail and say so.
func scopeIn(ctx context.Context, k *forum.Kernel, a forum.Actor, where any) *forum.Scope {
	switch w := where.(type) {
	case forum.Forum:
		return k.ScopeOf(a, w)
	case string:
		if sc, err := k.Scope(ctx, a, w); err == nil {
			return sc
		}
		return k.ScopeOf(a, forum.Forum{Slug: w, Title: w})
	}
	panic("demo: scopeIn takes a forum or a slug")
}
