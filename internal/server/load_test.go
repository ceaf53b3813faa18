package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// load sends GET url from conns concurrent keep-alive connections for d
// and returns requests per second; any non-200 answer fails.
func load(b *testing.B, url, cookie string, conns int, d time.Duration) float64 {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	var n, bad atomic.Int64
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
				if cookie != "" {
					req.Header.Set("Cookie", cookie)
				}
				resp, err := client.Do(req)
				if err != nil {
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					bad.Add(1)
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	if bad.Load() > 0 {
		b.Fatalf("%d answers were not 200", bad.Load())
	}
	return float64(n.Load()) / time.Since(start).Seconds()
}

// BenchmarkForumPageLoad serves the forum page (a forum with bodies and a
// page of activity) to 64 concurrent connections, beside a bare net/http
// handler serving the same bytes from memory on the same machine: once to
// anonymous visitors (served from the page cache while no event is
// committed) and once to a logged-in member (read from the database and
// rendered per request). The ratios are the cost of Plenary over the HTTP
// floor. Client and servers share the machine's cores.
//
//	go test -run '^$' -bench ForumPageLoad -benchtime 1x ./internal/server
func BenchmarkForumPageLoad(b *testing.B) {
	s := servertest.New(b)
	sec := s.User("sec@example.org", "Sec", true)
	f := s.Forum(sec, "wtpf-13", "WTPF-13: Fifth World Telecommunication/ICT Policy Forum")
	for i := 0; i < 20; i++ {
		if _, err := s.Svc.Kernel.CreateBody(context.Background(), fixture.In(b, s.Svc.Kernel, sec, f.Slug), forum.BodyInput{Slug: fmt.Sprintf("wg%d", i), Name: fmt.Sprintf("Working Group %d", i), Kind: "working_group"}); err != nil {
			b.Fatal(err)
		}
	}
	page := s.Client().Get("/forums/wtpf-13")
	body := []byte(page.Body)
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(body)
	}))
	defer bare.Close()
	member := s.Client()
	member.Login("sec@example.org")
	u, _ := url.Parse(s.URL)
	var cookie string
	for _, c := range member.HTTP.Jar.Cookies(u) {
		if c.Name == "plenary_session" {
			cookie = c.Name + "=" + c.Value
		}
	}
	if cookie == "" {
		b.Fatal("no session cookie")
	}
	const conns = 64
	d := 3 * time.Second
	b.ResetTimer()
	var anonRPS, memberRPS, bareRPS float64
	for i := 0; i < b.N; i++ {
		bareRPS += load(b, bare.URL+"/", "", conns, d)
		anonRPS += load(b, s.URL+"/forums/wtpf-13", "", conns, d)
		memberRPS += load(b, s.URL+"/forums/wtpf-13", cookie, conns, d)
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(bareRPS/n, "bare-req/s")
	b.ReportMetric(anonRPS/n, "anonymous-req/s")
	b.ReportMetric(memberRPS/n, "member-req/s")
	b.ReportMetric(anonRPS/bareRPS, "anonymous/bare")
	b.ReportMetric(memberRPS/bareRPS, "member/bare")
	b.ReportMetric(float64(len(body)), "page-bytes")
}
