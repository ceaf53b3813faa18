package api

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/live"
)

// A bulk download outlasts the server's write timeout as long as no pause
// between its writes does; a plain answer is cut at the timeout.
func TestBulkDownloadOutlastsTheWriteTimeout(t *testing.T) {
	was := BulkIdle
	BulkIdle = 400 * time.Millisecond
	t.Cleanup(func() { BulkIdle = was })
	const chunks = 12 // 12 × 60 ms: longer than the 300 ms timeout
	serve := func(w http.ResponseWriter, r *http.Request) {
		var out io.Writer = w
		if r.URL.Path == "/bulk" {
			out = live.NewPaced(w, BulkIdle)
		}
		for i := range chunks {
			out.Write([]byte(strings.Repeat("x", 1<<10) + "\n"))
			http.NewResponseController(w).Flush()
			if i < chunks-1 {
				time.Sleep(60 * time.Millisecond)
			}
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(serve), WriteTimeout: 300 * time.Millisecond}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	lines := func(path string) int {
		r, err := http.Get("http://" + ln.Addr().String() + path)
		if err != nil {
			return 0
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return strings.Count(string(b), "\n")
	}
	if n := lines("/bulk"); n != chunks {
		t.Errorf("bulk download: %d of %d lines", n, chunks)
	}
	if n := lines("/plain"); n >= chunks {
		t.Errorf("the plain answer was not cut at the write timeout (%d lines): the test proves nothing", n)
	}
}
