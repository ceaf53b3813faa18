// Command live is Plenary's load harness for live delivery: it runs the
// real server on a fresh SQLite database with the demo forums, opens N
// Server-Sent Events clients on one meeting's stream, commits changes to
// that meeting through the JSON API at a set rate (its speakers' queue, or
// with -action agenda an agenda item added and removed), and measures each
// event's delay from its commit to its receipt at every client, the
// server's resident memory per idle subscriber and its CPU time per
// delivery, and counts the events each client lost or got twice (by their
// sequence numbers). With -reconnect, all clients then drop at once, more
// changes are committed while they are away, and they all reconnect with
// Last-Event-ID: it measures the time until every one has caught up. Then
// it runs the baseline (../shared/baselines/ssebench), a bare SSE server
// with one goroutine per connection and, with -direct, the same with
// hijacked connections and writer shards, back to back with the same
// number of clients and events, and prints them side by side.
//
//	go run ./bench/live -n 1000 -m 20
//	go run ./bench/live -n 10000 -stream /forums/wtpf-13/events -action agenda -reconnect
//
// The clients run in this process and the servers in their own, so they
// share the machine's cores: latencies are upper bounds.
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
	n, m        int
	gap         time.Duration
	slug, ref   string
	email       string
	action      string
	baseline    string
	skipBase    bool
	direct      bool
	keep        bool
	path        string
	settle      time.Duration
	reconnect   bool
	away        int
	dialWorkers int
	gcWait      time.Duration
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
	flag.StringVar(&c.action, "action", "queue", "what each commit changes: queue (a request for the floor, then its withdrawal) or agenda (an agenda item added, then removed)")
	flag.BoolVar(&c.reconnect, "reconnect", false, "then drop all clients at once, commit -away changes, and reconnect them all with Last-Event-ID")
	flag.IntVar(&c.away, "away", 4, "changes committed while the clients are away (-reconnect)")
	flag.BoolVar(&c.direct, "direct", true, "also run the baseline's -direct server (hijacked connections, writer shards)")
	flag.IntVar(&c.dialWorkers, "dial", 256, "connections dialled at once")
	flag.DurationVar(&c.gcWait, "gcwait", 130*time.Second, "before each memory reading, wait up to this long for the server's next garbage collection (the runtime forces one every 2 minutes), so that the garbage of the connections' requests is not counted; 0 reads at once")
	flag.Parse()
	if c.action != "queue" && c.action != "agenda" {
		fmt.Fprintln(os.Stderr, "live: -action must be queue or agenda")
		os.Exit(2)
	}
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
	var b, bd *result
	if !c.skipBase {
		if b, err = baselineRun(c, dir, false); err != nil {
			return fmt.Errorf("baseline: %w", err)
		}
		if c.direct {
			if bd, err = baselineRun(c, dir, true); err != nil {
				return fmt.Errorf("baseline -direct: %w", err)
			}
		}
	}
	fmt.Println()
	fmt.Printf("| design | RSS per idle subscriber | Go heap and stacks per idle subscriber | p50 | p99 | max | CPU per delivery | delivered | lost | duplicated |\n|---|---|---|---|---|---|---|---|---|---|\n")
	p.row("Plenary")
	if b != nil {
		b.row("baseline, goroutine per connection")
	}
	if bd != nil {
		bd.row("baseline -direct (hijacked, writer shards)")
	}
	if p.storm != nil {
		st := p.storm
		fmt.Printf("\nReconnect storm: %d clients dropped at once, %d changes committed while away, all reconnected with Last-Event-ID: "+
			"all caught up in %v (connected in %v); %d/%d caught up; lost %d, duplicated %d\n",
			c.n, c.away, st.caughtUp.Round(time.Millisecond), st.connected.Round(time.Millisecond), st.done, c.n, st.lost, st.dup)
	}
	if p.lost > 0 || p.dup > 0 || (p.storm != nil && (p.storm.lost > 0 || p.storm.dup > 0)) {
		return errors.New("events were lost or duplicated")
	}
	return nil
}

// result is what one run measured.
type result struct {
	perSubKB   float64
	goPerSubKB float64 // Go heap and stacks (-1: not measured)
	lat        []time.Duration
	cpuPerDel  time.Duration
	delivered  int64
	expected   int64
	lost, dup  int64
	counted    bool // lost and dup were counted
	storm      *storm
}

// storm is what a reconnect storm measured.
type storm struct {
	connected, caughtUp time.Duration
	done                int
	lost, dup           int64
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
	lost, dup := "-", "-"
	if r.counted {
		lost, dup = fmt.Sprint(r.lost), fmt.Sprint(r.dup)
	}
	fmt.Printf("| %s | %.1f KB | %.1f KB | %s | %s | %s | %s | %d/%d | %s | %s |\n", name, r.perSubKB, r.goPerSubKB, q(.5), q(.99), q(1), cpu, r.delivered, r.expected, lost, dup)
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
	// All the clients come from one address.
	// Room for every client twice: in a reconnect storm the server may not
	// yet have seen all the old connections close when the new ones come.
	srv.Env = append(env, fmt.Sprintf("PLENARY_LIVE_MAX_PER_ADDR=%d", 2*c.n+16))
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		return nil, err
	}
	defer func() { _ = srv.Process.Signal(syscall.SIGTERM); _ = srv.Wait() }()
	base := "http://" + addr
	if err := waitReady(base + "/readyz"); err != nil {
		return nil, err
	}
	api := &apiClient{base: base + "/api/v1/forums/" + c.slug + "/meetings/" + c.ref, token: token, action: c.action}
	// Warm the server up, and leave the meeting in a known state.
	if err := api.prepare(); err != nil {
		return nil, err
	}
	pid := srv.Process.Pid
	waitGC(base, c.gcWait)
	rss0, go0 := rssKB(pid), goMemory(base)
	fmt.Printf("Plenary: server pid %d, RSS %d KB before the clients (Go heap and stacks in use %d KB)\n", pid, rss0, go0>>10)

	cl := newClients(c.n, addr, c.path, c.dialWorkers)
	t0 := time.Now()
	if err := cl.connect(); err != nil {
		return nil, err
	}
	fmt.Printf("Plenary: %d clients connected in %v\n", c.n, time.Since(t0).Round(time.Millisecond))
	time.Sleep(c.settle)
	waitGC(base, c.gcWait)
	rss1, go1 := rssKB(pid), goMemory(base)
	r := &result{perSubKB: float64(rss1-rss0) / float64(c.n), expected: int64(c.n) * int64(c.m), counted: true}
	r.goPerSubKB = float64(go1-go0) / 1024 / float64(c.n)
	fmt.Printf("Plenary: RSS %d KB with %d idle clients: %.1f KB each; Go heap and stacks in use %d KB: %.1f KB each\n",
		rss1, c.n, r.perSubKB, go1>>10, r.goPerSubKB)

	cpu0 := cpuTicks(pid)
	var calls []time.Duration
	for k := 0; k < c.m; k++ {
		t := time.Now()
		if err := api.change(k); err != nil {
			return nil, fmt.Errorf("commit %d: %w", k, err)
		}
		calls = append(calls, time.Since(t))
		time.Sleep(c.gap)
	}
	sort.Slice(calls, func(i, j int) bool { return calls[i] < calls[j] })
	// An event's time is taken in its transaction, before the commit: its
	// delays include part of the API call's.
	fmt.Printf("Plenary: API calls that committed the changes: median %v, max %v\n",
		calls[len(calls)/2].Round(100*time.Microsecond), calls[len(calls)-1].Round(100*time.Microsecond))
	cl.wait(r.expected, 10*time.Second)
	cpu1 := cpuTicks(pid)
	r.lat, r.delivered = cl.results()
	if r.delivered > 0 {
		r.cpuPerDel = time.Duration(float64(cpu1-cpu0) * 1e7 / float64(r.delivered)) // 100 ticks a second
	}
	r.lost, r.dup = cl.count()
	fmt.Printf("Plenary: RSS %d KB after %d events; lost %d, duplicated %d\n", rssKB(pid), c.m, r.lost, r.dup)
	fmt.Printf("Plenary: /metrics: %s\n", liveMetrics(base))
	if c.reconnect {
		if r.storm, err = reconnectStorm(c, cl, api); err != nil {
			return nil, err
		}
		fmt.Printf("Plenary: /metrics: %s\n", liveMetrics(base))
	}
	cl.close()
	return r, nil
}

// reconnectStorm drops every client at once, commits c.away changes, and
// reconnects them all with their Last-Event-ID, timing until all have
// every event.
func reconnectStorm(c config, cl *clients, api *apiClient) (*storm, error) {
	cl.drop()
	before := cl.witness.last.Load()
	for k := 0; k < c.away; k++ {
		if err := api.change(c.m + k); err != nil {
			return nil, fmt.Errorf("commit while away %d: %w", k, err)
		}
	}
	// The witness stayed connected: it knows the head.
	head := cl.witnessHead(before, 10*time.Second)
	t0 := time.Now()
	if err := cl.connect(); err != nil {
		return nil, err
	}
	st := &storm{connected: time.Since(t0)}
	end := time.Now().Add(60 * time.Second)
	for {
		st.done = cl.caughtUp(head)
		if st.done == c.n || time.Now().After(end) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	st.caughtUp = time.Since(t0)
	st.lost, st.dup = cl.count()
	return st, nil
}

// waitGC waits up to max for the server's next garbage collection.
func waitGC(base string, max time.Duration) {
	if max <= 0 {
		return
	}
	c0 := metric(base, "go_gc_duration_seconds_count")
	fmt.Printf("(waiting up to %v for the server's next garbage collection)\n", max)
	for end := time.Now().Add(max); time.Now().Before(end); time.Sleep(500 * time.Millisecond) {
		if metric(base, "go_gc_duration_seconds_count") > c0 {
			return
		}
	}
}

// metric reads one value from /metrics.
func metric(base, name string) float64 {
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if k, v, _ := strings.Cut(sc.Text(), " "); k == name {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return 0
}

// goMemory is the server's Go heap and stacks in use, in bytes, from
// /metrics.
func goMemory(base string) int64 {
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	var n float64
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), " ")
		if k == "go_memstats_heap_inuse_bytes" || k == "go_memstats_stack_inuse_bytes" {
			f, _ := strconv.ParseFloat(v, 64)
			n += f
		}
	}
	return int64(n)
}

// liveMetrics are the server's live counters.
func liveMetrics(base string) string {
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	var out []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "plenary_live_") || strings.HasPrefix(line, "plenary_open_files") {
			out = append(out, strings.TrimPrefix(line, "plenary_"))
		}
	}
	return strings.Join(out, ", ")
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

// apiClient commits changes to the meeting.
type apiClient struct {
	base, token, action string
	reqs                []string
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
	path := "/floor"
	if a.action == "agenda" {
		path = ""
	}
	_, err := a.do("GET", path, nil)
	return err
}

// change commits one change, alternately adding and taking back: with
// -action queue a request for the floor that the secretariat enters for
// a person in the room, and its withdrawal; with -action agenda an agenda
// item, and its removal (with a reason: the demo's agenda is adopted).
// The meeting stays as it was.
func (a *apiClient) change(k int) error {
	if k%2 == 0 {
		var out map[string]any
		var err error
		if a.action == "agenda" {
			out, err = a.do("POST", "/agenda", map[string]any{"title": fmt.Sprintf("Load test item %d", k), "reason": "load test"})
		} else {
			out, err = a.do("POST", "/floor/requests", map[string]any{
				"kind":  "speak",
				"guest": map[string]any{"name": fmt.Sprintf("Speaker %d", k), "group": "member_state"},
			})
		}
		if err != nil {
			return err
		}
		id, _ := out["id"].(string)
		if id == "" {
			return fmt.Errorf("the answer has no id: %v", out)
		}
		a.reqs = append(a.reqs, id)
		return nil
	}
	id := a.reqs[len(a.reqs)-1]
	a.reqs = a.reqs[:len(a.reqs)-1]
	if a.action == "agenda" {
		_, err := a.do("POST", "/agenda/"+id+"/remove", map[string]any{"reason": "load test"})
		return err
	}
	_, err := a.do("POST", "/floor/requests/"+id+"/withdraw", map[string]any{})
	return err
}

// clients are the SSE clients, each on its own connection, and a witness
// that stays connected throughout.
type clients struct {
	n          int
	addr, path string
	workers    int
	all        []*client
	witness    *client
	got        atomic.Int64
}

// client is one SSE client: what it received, by sequence number.
type client struct {
	mu   sync.Mutex // ids and lat
	conn net.Conn
	done chan struct{} // its reader has returned
	last atomic.Int64  // the highest id received
	ids  []int64       // every id received (the reader's, read once it returned)
	lat  []time.Duration
}

func newClients(n int, addr, path string, workers int) *clients {
	cl := &clients{n: n, addr: addr, path: path, workers: workers, all: make([]*client, n)}
	for i := range cl.all {
		cl.all[i] = &client{}
		cl.all[i].last.Store(-1)
	}
	return cl
}

// connect opens the connections (the witness first, once), a few at a
// time, each resuming after its last id if it has one, and waits until
// each has its response's first frame.
func (cl *clients) connect() error {
	if cl.witness == nil {
		cl.witness = &client{}
		cl.witness.last.Store(-1)
		if err := cl.open([]*client{cl.witness}); err != nil {
			return err
		}
	}
	return cl.open(cl.all)
}

func (cl *clients) open(all []*client) error {
	var wg sync.WaitGroup
	wg.Add(len(all))
	errs := make(chan error, 1)
	sem := make(chan struct{}, cl.workers)
	for i, c := range all {
		sem <- struct{}{}
		conn, err := net.Dial("tcp", cl.addr)
		if err != nil {
			return fmt.Errorf("client %d: %w", i, err)
		}
		c.conn = conn
		c.done = make(chan struct{})
		resume := ""
		if last := c.last.Load(); last >= 0 {
			resume = fmt.Sprintf("Last-Event-ID: %d\r\n", last)
		}
		fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n%s\r\n", cl.path, cl.addr, resume)
		go cl.read(c, func() { <-sem; wg.Done() }, errs)
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

func (cl *clients) read(c *client, connected func(), errs chan<- error) {
	defer close(c.done)
	br := bufio.NewReaderSize(c.conn, 4096)
	status, err := br.ReadString('\n')
	if err != nil || !strings.Contains(status, " 200 ") {
		select {
		case errs <- fmt.Errorf("stream: %q %v", strings.TrimSpace(status), err):
		default:
		}
		return
	}
	signalled := false
	var id int64 = -1
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		if !signalled && strings.HasPrefix(line, "retry:") {
			signalled = true
			connected()
			continue
		}
		switch {
		case strings.HasPrefix(line, "id: "):
			id, _ = strconv.ParseInt(strings.TrimSpace(line[4:]), 10, 64)
		case line == "\n":
			if id >= 0 {
				c.mu.Lock()
				c.ids = append(c.ids, id)
				c.mu.Unlock()
				if id > c.last.Load() {
					c.last.Store(id)
				}
				id = -1
			}
		case strings.HasPrefix(line, "data: "):
			now := time.Now()
			at, ok := eventTime(line)
			if !ok {
				continue
			}
			if c != cl.witness {
				c.mu.Lock()
				c.lat = append(c.lat, now.Sub(at))
				c.mu.Unlock()
				cl.got.Add(1)
			}
		}
	}
}

// eventTime finds the event's "at" in its data line without decoding the
// whole of it: the clients share the cores with the server.
func eventTime(line string) (time.Time, bool) {
	_, rest, ok := strings.Cut(line, `"at":"`)
	if !ok {
		return time.Time{}, false
	}
	v, _, ok := strings.Cut(rest, `"`)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	return t, err == nil
}

func (cl *clients) wait(want int64, max time.Duration) {
	end := time.Now().Add(max)
	for cl.got.Load() < want && time.Now().Before(end) {
		time.Sleep(50 * time.Millisecond)
	}
}

// witnessHead waits until the witness, which stays connected, has had
// the events committed since it was at before and no more come: the head.
func (cl *clients) witnessHead(before int64, max time.Duration) int64 {
	w := cl.witness
	end := time.Now().Add(max)
	last, since := w.last.Load(), time.Now()
	for time.Now().Before(end) {
		time.Sleep(20 * time.Millisecond)
		n := w.last.Load()
		if n != last {
			last, since = n, time.Now()
			continue
		}
		if n > before && time.Since(since) > 300*time.Millisecond {
			break
		}
	}
	return last
}

// caughtUp counts the clients that have had the event head.
func (cl *clients) caughtUp(head int64) int {
	n := 0
	for _, c := range cl.all {
		if c.last.Load() >= head {
			n++
		}
	}
	return n
}

// drop closes every client's connection at once, and waits for their
// readers.
func (cl *clients) drop() {
	for _, c := range cl.all {
		c.conn.Close()
	}
	for _, c := range cl.all {
		<-c.done
	}
}

func (cl *clients) results() ([]time.Duration, int64) {
	var out []time.Duration
	for _, c := range cl.all {
		c.mu.Lock()
		out = append(out, c.lat...)
		c.mu.Unlock()
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, cl.got.Load()
}

// count waits a moment for stragglers, then counts the events each
// client lost or got twice, by sequence number, against the witness
// (which stayed connected and saw every event from the first to the
// head).
func (cl *clients) count() (lost, dup int64) {
	time.Sleep(200 * time.Millisecond)
	w := cl.witness
	if w == nil || w.last.Load() < 0 {
		return 0, 0
	}
	head := w.last.Load()
	first := head
	w.mu.Lock()
	for _, id := range w.ids {
		first = min(first, id)
	}
	w.mu.Unlock()
	for _, c := range cl.all {
		seen := map[int64]bool{}
		c.mu.Lock()
		ids := append([]int64(nil), c.ids...)
		c.mu.Unlock()
		for _, id := range ids {
			if seen[id] {
				dup++
			}
			seen[id] = true
		}
		for id := first; id <= head; id++ {
			if !seen[id] {
				lost++
			}
		}
	}
	return lost, dup
}

func (cl *clients) close() {
	for _, c := range append(cl.all, cl.witness) {
		if c != nil && c.conn != nil {
			c.conn.Close()
		}
	}
}

// baselineRun builds and runs the baseline server and its own client, with
// the same number of clients and events, and reads the client's report.
func baselineRun(c config, dir string, direct bool) (*result, error) {
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
	args := []string{"-addr", addr}
	name := "goroutine per connection"
	if direct {
		args = append(args, "-direct")
		name = "-direct: hijacked connections, writer shards"
	}
	srv := exec.Command(srvBin, args...)
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
	fmt.Printf("\nBaseline (%s), its client's report:\n%s", name, out)
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
		r.goPerSubKB = (i["heap_inuse"] + i["stack_inuse"] - b["heap_inuse"] - b["stack_inuse"]) / 1024 / float64(c.n)
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
