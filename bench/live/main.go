// Command live is Plenary's load harness for live delivery: it runs the
// real server on a fresh SQLite database with the demo forums, opens N
// Server-Sent Events clients on one meeting's stream, commits changes to
// that meeting's speakers' queue through the JSON API at a set rate, and
// measures each event's delay from its commit to its receipt at every
// client, the server's resident memory per idle subscriber and its CPU
// time per delivery. Then it runs the baseline, a bare SSE server with one
// goroutine per connection (../shared/baselines/ssebench), back to back
// with the same number of clients and events, and prints both.
//
//	go run ./bench/live -n 1000 -m 20
//
// The clients run in this process and the servers in their own, so the
// two share the machine's cores: latencies are upper bounds.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type config struct {
	n, m      int
	gap       time.Duration
	slug, ref string
	email     string
	baseline  string
	skipBase  bool
	keep      bool
	path      string
	settle    time.Duration
}

func main() {
	var c config
	flag.IntVar(&c.n, "n", 1000, "SSE clients")
	flag.IntVar(&c.m, "m", 20, "queue changes committed (events)")
	flag.DurationVar(&c.gap, "gap", 500*time.Millisecond, "time between two commits")
	flag.StringVar(&c.slug, "forum", "wtpf-13", "forum slug")
	flag.StringVar(&c.ref, "meeting", "WG3-4", "meeting number")
	flag.StringVar(&c.email, "as", "chair@demo.plenary.example", "the account that commits the changes (it must manage the floor)")
	flag.StringVar(&c.baseline, "baseline", "../shared/baselines/ssebench", "the baseline SSE server's module; empty skips it")
	flag.StringVar(&c.path, "stream", "", "stream path (default /forums/FORUM/meetings/MEETING/events)")
	flag.DurationVar(&c.settle, "settle", 2*time.Second, "time to let the server settle after the clients connect")
	flag.BoolVar(&c.keep, "keep", false, "keep the temporary directory")
	flag.Parse()
	c.skipBase = c.baseline == ""
	if c.path == "" {
		c.path = "/forums/" + c.slug + "/meetings/" + c.ref + "/events"
	}
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "live:", err)
		os.Exit(1)
	}
}

// raiseNoFile raises the open-file limit to the hard limit; the servers
// started from here inherit it.
func raiseNoFile() (uint64, error) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0, err
	}
	l.Cur = l.Max
	return l.Cur, syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
}

func run(c config) error {
	limit, err := raiseNoFile()
	if err != nil {
		return err
	}
	if uint64(c.n)+64 > limit {
		return fmt.Errorf("%d clients need more than the open-file limit %d", c.n, limit)
	}
	dir, err := os.MkdirTemp("", "plenary-live-")
	if err != nil {
		return err
	}
	if !c.keep {
		defer os.RemoveAll(dir)
	}
	fmt.Printf("Plenary live delivery: %d clients, %d events %v apart, open-file limit %d\n\n", c.n, c.m, c.gap, limit)
	p, err := plenaryRun(c, dir)
	if err != nil {
		return err
	}
	var b *result
	if !c.skipBase {
		if b, err = baselineRun(c, dir); err != nil {
			return fmt.Errorf("baseline: %w", err)
		}
	}
	fmt.Println()
	fmt.Printf("| design | memory per idle subscriber | p50 | p99 | max | CPU per delivery | delivered |\n|---|---|---|---|---|---|---|\n")
	p.row("Plenary")
	if b != nil {
		b.row("baseline, goroutine per connection")
	}
	return nil
}

// result is what one run measured.
type result struct {
	perSubKB  float64
	lat       []time.Duration
	cpuPerDel time.Duration
	delivered int64
	expected  int64
}

func (r *result) row(name string) {
	q := func(f float64) string {
		if len(r.lat) == 0 {
			return "-"
		}
		return r.lat[int(f*float64(len(r.lat)-1))].Round(100 * time.Microsecond).String()
	}
	cpu := "-"
	if r.cpuPerDel > 0 {
		cpu = fmt.Sprintf("%.1f µs", float64(r.cpuPerDel)/1e3)
	}
	fmt.Printf("| %s | %.1f KB | %s | %s | %s | %s | %d/%d |\n", name, r.perSubKB, q(.5), q(.99), q(1), cpu, r.delivered, r.expected)
}

func build(dir, out, pkg, workdir string, env ...string) (string, error) {
	bin := filepath.Join(dir, out)
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Dir = workdir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	return bin, cmd.Run()
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func plenaryRun(c config, dir string) (*result, error) {
	bin, err := build(dir, "plenary", "./cmd/plenary", ".")
	if err != nil {
		return nil, fmt.Errorf("building plenary (run this from the repository's root): %w", err)
	}
	data := filepath.Join(dir, "data")
	env := append(os.Environ(), "PLENARY_DATA="+data, "PLENARY_LOG_LEVEL=warn")
	out, err := exec.Command(bin, "demo", "--data", data).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("loading the demo: %v: %s", err, out)
	}
	cmd := exec.Command(bin, "user", "token", "--data", data, "--email", c.email, "--name", "live-bench")
	cmd.Env = env
	out, err = cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("making a token: %v", err)
	}
	token := lastWord(string(out))
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	srv := exec.Command(bin, "serve", "--data", data, "--addr", addr)
	srv.Env = env
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		return nil, err
	}
	defer func() { _ = srv.Process.Signal(syscall.SIGTERM); _ = srv.Wait() }()
	base := "http://" + addr
	if err := waitReady(base + "/readyz"); err != nil {
		return nil, err
	}
	api := &apiClient{base: base + "/api/v1/forums/" + c.slug + "/meetings/" + c.ref, token: token}
	// Warm the server up, and leave the queue in a known state.
	if err := api.prepare(); err != nil {
		return nil, err
	}
	pid := srv.Process.Pid
	rss0 := rssKB(pid)
	fmt.Printf("Plenary: server pid %d, RSS %d KB before the clients\n", pid, rss0)

	cl := newClients(c.n)
	t0 := time.Now()
	if err := cl.connect(addr, c.path, func(line string) bool { return strings.HasPrefix(line, "retry:") }); err != nil {
		return nil, err
	}
	fmt.Printf("Plenary: %d clients connected in %v\n", c.n, time.Since(t0).Round(time.Millisecond))
	time.Sleep(c.settle)
	rss1 := rssKB(pid)
	r := &result{perSubKB: float64(rss1-rss0) / float64(c.n), expected: int64(c.n) * int64(c.m)}
	fmt.Printf("Plenary: RSS %d KB with %d idle clients: %.1f KB each\n", rss1, c.n, r.perSubKB)

	cpu0 := cpuTicks(pid)
	for k := 0; k < c.m; k++ {
		if err := api.change(k); err != nil {
			return nil, fmt.Errorf("commit %d: %w", k, err)
		}
		time.Sleep(c.gap)
	}
	cl.wait(r.expected, 5*time.Second)
	cpu1 := cpuTicks(pid)
	r.lat, r.delivered = cl.results()
	if r.delivered > 0 {
		r.cpuPerDel = time.Duration(float64(cpu1-cpu0) * 1e7 / float64(r.delivered)) // 100 ticks a second
	}
	fmt.Printf("Plenary: RSS %d KB after %d events\n", rssKB(pid), c.m)
	cl.close()
	return r, nil
}

func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

func waitReady(url string) error {
	for i := 0; i < 300; i++ {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("the server did not become ready")
}

// apiClient commits changes to the meeting's queue.
type apiClient struct {
	base, token string
	reqs        []string
}

func (a *apiClient) do(method, path string, body any) (map[string]any, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequestWithContext(context.Background(), method, a.base+path, rd)
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return nil, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, b)
	}
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out, nil
}

func (a *apiClient) prepare() error {
	_, err := a.do("GET", "/floor", nil)
	return err
}

// change commits one queue change: alternately a request for the floor
// that the secretariat enters for a person in the room, and its
// withdrawal, so the queue stays the size it was.
func (a *apiClient) change(k int) error {
	if k%2 == 0 {
		out, err := a.do("POST", "/floor/requests", map[string]any{
			"kind":  "speak",
			"guest": map[string]any{"name": fmt.Sprintf("Speaker %d", k), "group": "member_state"},
		})
		if err != nil {
			return err
		}
		id, _ := out["id"].(string)
		if id == "" {
			return fmt.Errorf("the request's answer has no id: %v", out)
		}
		a.reqs = append(a.reqs, id)
		return nil
	}
	id := a.reqs[len(a.reqs)-1]
	_, err := a.do("POST", "/floor/requests/"+id+"/withdraw", map[string]any{})
	return err
}

// clients are the SSE clients, each on its own connection.
type clients struct {
	n     int
	conns []net.Conn
	mu    sync.Mutex
	lat   []time.Duration
	got   atomic.Int64
}

func newClients(n int) *clients { return &clients{n: n, lat: make([]time.Duration, 0, n*20)} }

// connect opens the connections, a few at a time, and waits until each
// has its response's first line that ready accepts.
func (cl *clients) connect(addr, path string, ready func(string) bool) error {
	var wg sync.WaitGroup
	wg.Add(cl.n)
	errs := make(chan error, 1)
	sem := make(chan struct{}, 64)
	cl.conns = make([]net.Conn, cl.n)
	for i := 0; i < cl.n; i++ {
		sem <- struct{}{}
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return fmt.Errorf("client %d: %w", i, err)
		}
		cl.conns[i] = c
		fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n\r\n", path, addr)
		go cl.read(c, ready, func() { <-sem; wg.Done() }, errs)
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case err := <-errs:
		return err
	case <-time.After(120 * time.Second):
		return errors.New("the clients did not all connect in 120 s")
	}
}

func (cl *clients) read(c net.Conn, ready func(string) bool, connected func(), errs chan<- error) {
	br := bufio.NewReaderSize(c, 4096)
	status, err := br.ReadString('\n')
	if err != nil || !strings.Contains(status, " 200 ") {
		select {
		case errs <- fmt.Errorf("stream: %q %v", strings.TrimSpace(status), err):
		default:
		}
		return
	}
	signalled := false
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		if !signalled && ready(line) {
			signalled = true
			connected()
			continue
		}
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok {
			continue
		}
		now := time.Now()
		var ev struct {
			At time.Time `json:"at"`
		}
		if json.Unmarshal([]byte(data), &ev) != nil || ev.At.IsZero() {
			continue
		}
		cl.mu.Lock()
		cl.lat = append(cl.lat, now.Sub(ev.At))
		cl.mu.Unlock()
		cl.got.Add(1)
	}
}

func (cl *clients) wait(want int64, max time.Duration) {
	end := time.Now().Add(max)
	for cl.got.Load() < want && time.Now().Before(end) {
		time.Sleep(50 * time.Millisecond)
	}
}

func (cl *clients) results() ([]time.Duration, int64) {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	out := append([]time.Duration(nil), cl.lat...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, cl.got.Load()
}

func (cl *clients) close() {
	for _, c := range cl.conns {
		if c != nil {
			c.Close()
		}
	}
}

// baselineRun builds and runs the baseline server and its own client, with
// the same number of clients and events, and reads the client's report.
func baselineRun(c config, dir string) (*result, error) {
	env := []string{"GOFLAGS=-mod=mod", "GOWORK=off"}
	srvBin, err := build(dir, "sse-server", "./server", c.baseline, env...)
	if err != nil {
		return nil, err
	}
	cliBin, err := build(dir, "sse-client", "./client", c.baseline, env...)
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	srv := exec.Command(srvBin, "-addr", addr)
	srv.Stdout, srv.Stderr = io.Discard, os.Stderr
	if err := srv.Start(); err != nil {
		return nil, err
	}
	defer func() { _ = srv.Process.Kill(); _ = srv.Wait() }()
	if err := waitReady("http://" + addr + "/stats"); err != nil {
		return nil, err
	}
	out, err := exec.Command(cliBin, "-addr", addr, "-n", strconv.Itoa(c.n), "-m", strconv.Itoa(c.m),
		"-gap", c.gap.String(), "-size", "200").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%v: %s", err, out)
	}
	fmt.Printf("\nBaseline (goroutine per connection), its client's report:\n%s", out)
	return parseBaseline(string(out), c)
}

// parseBaseline reads the baseline client's report: the server's RSS idle
// and before the clients, its CPU ticks, and the delivery percentiles.
func parseBaseline(out string, c config) (*result, error) {
	r := &result{expected: int64(c.n) * int64(c.m)}
	stats := map[string]map[string]float64{}
	for _, line := range strings.Split(out, "\n") {
		k, v, ok := strings.Cut(line, ": ")
		if !ok {
			if strings.HasPrefix(line, "deliveries ") {
				parseDeliveries(line, r)
			}
			continue
		}
		var m map[string]float64
		if json.Unmarshal([]byte(v), &m) == nil {
			stats[k] = m
		}
	}
	if b, i := stats["before"], stats["idle"]; b != nil && i != nil {
		r.perSubKB = (i["rss_kb"] - b["rss_kb"]) / float64(c.n)
	}
	if i, a := stats["idle"], stats["after"]; i != nil && a != nil && r.delivered > 0 {
		r.cpuPerDel = time.Duration((a["cpu_ticks"] - i["cpu_ticks"]) * 1e7 / float64(r.delivered))
	}
	return r, nil
}

func parseDeliveries(line string, r *result) {
	for _, f := range strings.Fields(line) {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			if a, _, ok := strings.Cut(f, "/"); ok {
				r.delivered, _ = strconv.ParseInt(a, 10, 64)
			}
			continue
		}
		d, err := time.ParseDuration(v)
		if err != nil {
			continue
		}
		switch k {
		case "p50", "p99", "max":
			// Keep three points: enough for row's quantiles at 0.5, 0.99, 1.
			r.lat = append(r.lat, d)
		}
	}
	if len(r.lat) == 3 {
		p50, p99, max := r.lat[0], r.lat[1], r.lat[2]
		// A 101-point distribution whose 0.5, 0.99 and 1 quantiles are these.
		r.lat = make([]time.Duration, 101)
		for i := range r.lat {
			switch {
			case i <= 50:
				r.lat[i] = p50
			case i < 100:
				r.lat[i] = p99
			default:
				r.lat[i] = max
			}
		}
	}
}

func rssKB(pid int) int64 {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			f := strings.Fields(l)
			v, _ := strconv.ParseInt(f[1], 10, 64)
			return v
		}
	}
	return 0
}

func cpuTicks(pid int) int64 {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	s := string(b)
	i := strings.LastIndex(s, ")")
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+2:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return u + st
}
