package server_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/live"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/server/servertest"
	"github.com/plenary-forum/plenary/internal/store"
)

// rightsSite is a forum with a member (a delegate of Brazil) who follows
// its live stream.
type rightsSite struct {
	*servertest.Site
	admin, member forum.Actor
	f             forum.Forum
	reg           participation.Registration
}

func newRightsSite(t *testing.T, o servertest.Options) *rightsSite {
	t.Helper()
	s := servertest.New(t, o)
	rs := &rightsSite{Site: s, admin: s.User("sec@example.org", "Sec", true), member: s.User("bra@example.org", "Bra", false)}
	rs.f = s.Forum(rs.admin, "wtpf", "WTPF")
	ctx := context.Background()
	in := fixture.In(t, s.Svc.Kernel, rs.admin, rs.f.Slug)
	if _, err := s.Svc.Participation.AddParty(ctx, in, participation.PartyInput{Code: "BRA", Name: "Brazil", Group: rules.GroupMemberState}); err != nil {
		t.Fatal(err)
	}
	reg, err := s.Svc.Participation.Register(ctx, fixture.In(t, s.Svc.Kernel, rs.admin, rs.f.Slug), participation.RegistrationInput{
		Email: rs.member.Email, Party: "BRA", Role: string(rules.RoleDelegate), Mode: string(rules.InRoom)})
	if err != nil || reg.State != forum.RegApproved {
		t.Fatalf("register: %v %v", reg.State, err)
	}
	rs.reg = reg
	return rs
}

// note commits an event of the given visibility on the forum's chain and
// announces it, and returns its seq as an SSE id.
func (rs *rightsSite) note(t *testing.T, vis, text string) string {
	t.Helper()
	var seq int64
	appended, err := rs.Store.Write(context.Background(), func(tx *store.Tx) error {
		ev, err := tx.Emit(context.Background(), rs.f.ID, rs.admin.UserID, "note.added", vis, map[string]string{"text": text})
		seq = ev.Seq
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rs.Server.Broker().NotifyAll(appended)
	return strconv.FormatInt(seq, 10)
}

// open opens the forum's stream with client c (nil: a new one) and the
// given headers, and waits until it is subscribed.
func (rs *rightsSite) open(t *testing.T, c *http.Client, path string, header http.Header) *stream {
	t.Helper()
	if c == nil {
		c = http.DefaultClient
	}
	before := rs.Server.Broker().Stats().Subscribers
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", rs.URL+path, nil)
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != 200 {
		t.Fatalf("stream %s: %d", path, resp.StatusCode)
	}
	for start := time.Now(); rs.Server.Broker().Stats().Subscribers == before; {
		if time.Since(start) > 5*time.Second {
			t.Fatal("the stream did not subscribe")
		}
		time.Sleep(5 * time.Millisecond)
	}
	return newStream(resp)
}

// seesMembersOnly checks that the stream delivers a members-only event.
func (rs *rightsSite) seesMembersOnly(t *testing.T, s *stream) {
	t.Helper()
	id := rs.note(t, ledger.VisMembers, "for members: before")
	if ev := s.next(t, 1, 5*time.Second)[0]; ev.ID != id || !strings.Contains(ev.Data, "for members: before") {
		t.Fatalf("got %s %s, want the members-only event %s", ev.ID, ev.Data, id)
	}
}

// ends checks that the stream ends within the given time, delivering
// nothing (in particular not a members-only event committed meanwhile).
func ends(t *testing.T, s *stream, within time.Duration) {
	t.Helper()
	select {
	case ev, ok := <-s.ch:
		if ok {
			t.Fatalf("the stream delivered %s %s after the credentials ended", ev.ID, ev.Data)
		}
	case <-time.After(within):
		t.Fatalf("the stream is still open %s after the credentials ended", within)
	}
}

// A stream opened with an API token ends when the token is revoked, before
// the next members-only event; the token opens no stream after that.
func TestLiveStreamEndsWhenItsTokenIsRevoked(t *testing.T) {
	rs := newRightsSite(t, servertest.Options{})
	tok, secret, err := rs.Svc.Accounts.CreateToken(context.Background(), rs.member, "stream")
	if err != nil {
		t.Fatal(err)
	}
	bearer := http.Header{"Authorization": {"Bearer " + secret}}
	s := rs.open(t, nil, "/api/v1/forums/wtpf/events", bearer)
	rs.seesMembersOnly(t, s)
	if err := rs.Svc.Accounts.RevokeToken(context.Background(), rs.member, tok.ID); err != nil {
		t.Fatal(err)
	}
	rs.note(t, ledger.VisMembers, "for members: after")
	ends(t, s, 3*time.Second)
	c := rs.Client()
	c.Token = secret
	if r := c.Get("/api/v1/forums/wtpf/events"); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a revoked token opened a stream: %d", r.StatusCode)
	}
}

// A stream opened in a browser session ends when the session is logged
// out; the browser reconnects as the public.
func TestLiveStreamEndsAtLogout(t *testing.T) {
	rs := newRightsSite(t, servertest.Options{})
	c := rs.Client()
	c.Login(rs.member.Email)
	s := rs.open(t, c.HTTP, "/forums/wtpf/events", nil)
	rs.seesMembersOnly(t, s)
	if r := c.PostForm("/account", "/logout", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.StatusCode)
	}
	rs.note(t, ledger.VisMembers, "for members: after")
	ends(t, s, 3*time.Second)
	again := rs.open(t, c.HTTP, "/forums/wtpf/events", nil)
	public := rs.note(t, ledger.VisPublic, "for all")
	if ev := again.next(t, 1, 5*time.Second)[0]; ev.ID != public {
		t.Fatalf("after logout the stream delivered %s %s", ev.ID, ev.Data)
	}
}

// A member whose registration is withdrawn stops getting members-only
// events on the stream they have open, and goes on getting public ones.
func TestLiveStreamFollowsAWithdrawnRegistration(t *testing.T) {
	rs := newRightsSite(t, servertest.Options{})
	c := rs.Client()
	c.Login(rs.member.Email)
	_, secret, err := rs.Svc.Accounts.CreateToken(context.Background(), rs.member, "stream")
	if err != nil {
		t.Fatal(err)
	}
	streams := map[string]*stream{
		"page":  rs.open(t, c.HTTP, "/forums/wtpf/events", nil),
		"token": rs.open(t, nil, "/api/v1/forums/wtpf/events", http.Header{"Authorization": {"Bearer " + secret}}),
	}
	before := rs.note(t, ledger.VisMembers, "for members: before")
	for name, s := range streams {
		if ev := s.next(t, 1, 5*time.Second)[0]; ev.ID != before {
			t.Fatalf("%s stream: got %s %s, want the members-only event %s", name, ev.ID, ev.Data, before)
		}
	}
	if _, err := rs.Svc.Participation.WithdrawRegistration(context.Background(), fixture.In(t, rs.Svc.Kernel, rs.admin, rs.f.Slug), rs.reg.ID, "credentials not received"); err != nil {
		t.Fatal(err)
	}
	rs.note(t, ledger.VisMembers, "for members: after")
	public := rs.note(t, ledger.VisPublic, "for all")
	for name, s := range streams {
		for {
			ev := s.next(t, 1, 5*time.Second)[0]
			if strings.Contains(ev.Data, `"visibility":"members"`) || strings.Contains(ev.Data, `"visibility":"party:`) {
				t.Fatalf("%s stream: after the withdrawal it delivered %s %s", name, ev.ID, ev.Data)
			}
			if ev.ID == public {
				break
			}
		}
	}
}

// Credentials ended by another process (which this one is not told of)
// end the stream at its next periodic check.
func TestLiveStreamEndsWhenAnotherProcessEndsItsCredentials(t *testing.T) {
	rs := newRightsSite(t, servertest.Options{Live: live.Options{Stream: live.StreamOptions{RecheckEvery: 500 * time.Millisecond}}})
	tok, secret, err := rs.Svc.Accounts.CreateToken(context.Background(), rs.member, "stream")
	if err != nil {
		t.Fatal(err)
	}
	c := rs.Client()
	c.Login(rs.member.Email)
	api := rs.open(t, nil, "/api/v1/forums/wtpf/events", http.Header{"Authorization": {"Bearer " + secret}})
	page := rs.open(t, c.HTTP, "/forums/wtpf/events", nil)
	if _, err := rs.Store.Write(context.Background(), func(tx *store.Tx) error {
		if _, err := tx.ExecContext(context.Background(), "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", time.Now().UnixMilli(), tok.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(context.Background(), "DELETE FROM sessions WHERE user_id = ?", rs.member.UserID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	ends(t, api, 3*time.Second)
	ends(t, page, 3*time.Second)
}
