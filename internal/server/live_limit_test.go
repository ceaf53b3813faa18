package server_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/config"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// The configured limit of live streams per client address holds: the
// stream beyond it is refused with 429, and /metrics counts it.
func TestLiveStreamsPerAddressAreLimited(t *testing.T) {
	site := servertest.New(t, servertest.Options{Config: func(c *config.Config) { c.LiveMaxPerAddr = 2 }})
	sec := site.User("sec@example.org", "Sec", true)
	if _, err := site.Svc.Kernel.CreateForum(context.Background(), sec, forum.ForumInput{Slug: "f", Title: "F", Kind: forum.KindOpenForum}); err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimPrefix(site.URL, "http://")
	open := func() string {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		fmt.Fprintf(c, "GET /forums/f/events HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		status, _ := bufio.NewReader(c).ReadString('\n')
		return status
	}
	for i := 0; i < 2; i++ {
		if s := open(); !strings.Contains(s, " 200 ") {
			t.Fatalf("stream %d: %q", i, s)
		}
	}
	if s := open(); !strings.Contains(s, " 429 ") {
		t.Fatalf("the third stream from one address: %q", s)
	}
	if st := site.Server.Broker().Stats(); st.Refused != 1 || st.Subscribers != 2 {
		t.Fatalf("stats %+v", st)
	}
	if m := site.Client().Get("/metrics").Body; !strings.Contains(m, "plenary_live_refused_total 1") {
		t.Fatal("/metrics does not count the refused stream")
	}
}
