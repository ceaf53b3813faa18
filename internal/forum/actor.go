package forum

import (
	"context"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/ledger"
)

// Actor is who asks for a command or a page: a logged-in user, or nobody
// (the public). Rights inside a forum come from the actor's registrations
// and the forum's rights matrix; Admin is the site secretariat, which may
// set up forums and act as secretariat in every forum.
type Actor struct {
	UserID string
	Name   string
	Email  string
	Admin  bool
	// Via says how the actor authenticated: "session", "token", "cli" or "" (anonymous).
	Via string
}

// Anonymous is the public.
var Anonymous = Actor{}

// LoggedIn reports whether the actor is a user.
func (a Actor) LoggedIn() bool { return a.UserID != "" }

// LedgerID is the actor as written in ledger events.
func (a Actor) LedgerID() string {
	if a.UserID == "" {
		return "anonymous"
	}
	return a.UserID
}

// System is the actor for work the server does by itself (releasing an
// embargoed document at its date, loading the demo).
var System = Actor{UserID: ledger.SystemActor, Name: "Plenary", Admin: true, Via: "system"}

type actorKey struct{}

// WithActor returns a context carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or Anonymous.
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

func RequireLogin(a Actor) error {
	if !a.LoggedIn() {
		return plenary.Unauthorized("log in first")
	}
	return nil
}

func RequireAdmin(a Actor) error {
	if err := RequireLogin(a); err != nil {
		return err
	}
	if !a.Admin {
		return plenary.Forbidden("only the secretariat may do this")
	}
	return nil
}

func NowUTC() time.Time { return plenary.Now() }
