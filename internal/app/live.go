package app

import (
	"context"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/live"
)

// StreamRights are the rights of a live stream of forum f for viewer v, as
// the request that opens it has read them. The public's are fixed. A
// user's are read again while the stream runs (see live.Rights): resolve
// reads the credentials the request came with (its session, its API token)
// and fails once they are no longer valid, which ends the stream; the
// user's standings in the forum then give the new visibility predicate.
// The stream is told when the user's credentials change in this process
// (Accounts.CredentialsChanged) and when one of their registrations in the
// forum changes (forum.ChangesViewer).
func (a *App) StreamRights(f forum.Forum, v forum.Viewer, resolve func(context.Context) (forum.Actor, error)) live.Rights {
	if !v.Actor.LoggedIn() {
		return live.Rights{CanSee: v.CanSee}
	}
	user := v.Actor
	if resolve == nil {
		resolve = func(context.Context) (forum.Actor, error) { return user, nil }
	}
	return live.Rights{
		Check: func(ctx context.Context) (func(string) bool, error) {
			actor, err := resolve(ctx)
			if err != nil {
				return nil, err
			}
			if actor.UserID != user.UserID {
				return nil, plenary.Unauthorized("the credentials now name another user")
			}
			nv, err := a.Kernel.ScopeOf(actor, f).Viewer(ctx)
			if err != nil {
				return nil, err
			}
			return nv.CanSee, nil
		},
		Changed: func() <-chan struct{} { return a.Accounts.CredentialsChanged(user.UserID) },
		Affects: func(ev ledger.Event) bool { return forum.ChangesViewer(ev, user.UserID) },
	}
}
