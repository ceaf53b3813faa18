package web

import (
	"context"
	"net/http"

	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/live"
)

// ServeStream is the Server-Sent Events stream of forum f for the viewer
// v, as GET /forums/{slug}/events is, narrowed by filter: the events it
// does not accept go out as their id alone, as invisible ones do. name,
// when set, names each event sent (its SSE "event:" field).
func (c *Core) ServeStream(w http.ResponseWriter, r *http.Request, f forum.Forum, v forum.Viewer,
	filter func(ledger.Event) bool, name func(ledger.Event) string) error {
	var resolve func(context.Context) (forum.Actor, error)
	if cookie, err := r.Cookie(sessionCookie); err == nil && v.Actor.LoggedIn() {
		secret := cookie.Value
		resolve = func(ctx context.Context) (forum.Actor, error) {
			a, _, err := c.svc.Accounts.SessionActor(ctx, secret)
			return a, err
		}
	}
	after, err := live.LastEventID(r)
	if err != nil {
		return err
	}
	return live.Stream{Broker: c.broker, Source: c.svc.Kernel.Store(), Chain: f.ID, Rights: c.svc.StreamRights(f, v, resolve),
		Filter: filter, Name: name}.Serve(w, r, after)
}

// DescribeEvent is how an event reads in activity lists (see Describe).
func DescribeEvent(ev ledger.Event) string { return describe(ev) }
