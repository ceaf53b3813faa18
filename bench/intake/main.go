// Command intake is Plenary's load harness for comment intake (goal G12
// in docs/BENCHMARKS.md): it builds and runs the real server on a fresh
// SQLite database, opens a comment period on a draft text through the
// JSON API, and submits comments through POST
// /api/v1/forums/{slug}/consultations/{id}/comments at a set rate from
// concurrent clients (80 % of them near-duplicates of a few campaign
// letters, the rest distinct), for a set time. It reports the comments
// accepted per second and the latency percentiles, measured from when
// each request was due, so that a server falling behind shows as
// latency, not as a lower offered rate.
//
// Then, with the load still running, it kills the server with SIGKILL,
// starts it again on the same database and checks the register: every
// comment the server acknowledged (a 2xx answer) is there with the number
// it was given, the numbers run from 1 without a gap or a repeat, and
// each comment has its consultation.comment_submitted event on the
// forum's ledger. A comment that was in flight at the kill may be there
// without an acknowledgement; none acknowledged may be missing.
//
// Last, the baseline: a bare insert loop, one comment row per
// transaction, in the same SQLite driver with the server's settings (WAL,
// synchronous=NORMAL), with no HTTP, no checks, no numbering and no
// ledger.
//
//	go run ./bench/intake -rate 2000 -duration 60s
//
// Run it from the repository's root. The clients run in this process and
// the server in its own, so they share the machine's cores.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	_ "modernc.org/sqlite"
)

type config struct {
	rate     int
	duration time.Duration
	crashRun time.Duration
	workers  int
	dup      float64
	skipBase bool
	bounds   int
	baseN    int
	keep     bool
	window   time.Duration
}

func main() {
	var c config
	flag.IntVar(&c.rate, "rate", 2000, "comments offered per second")
	flag.DurationVar(&c.duration, "duration", 30*time.Second, "how long the measured load runs")
	flag.DurationVar(&c.crashRun, "crash-after", 3*time.Second, "after the measured run, how long the load goes on before the server is killed with SIGKILL (0: no kill)")
	flag.IntVar(&c.workers, "workers", 64, "concurrent clients")
	flag.Float64Var(&c.dup, "dup", 0.8, "share of comments that are near-duplicates of a campaign letter")
	flag.IntVar(&c.bounds, "bounds", 0, "the server's bounds on comments per account and per address in an hour (--comments-per-account and --comments-per-address); 0: none, since every comment here comes from one account and one address")
	flag.BoolVar(&c.skipBase, "skip-baseline", false, "do not run the bare insert loop")
	flag.IntVar(&c.baseN, "baseline-n", 20000, "rows the bare insert loop writes")
	flag.BoolVar(&c.keep, "keep", false, "keep the temporary directory (database, binaries)")
	flag.DurationVar(&c.window, "window", 0, "also report each window of this length of the measured run (0: one window when the run is under 2 minutes, a minute each otherwise)")
	flag.Parse()
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "intake:", err)
		os.Exit(1)
	}
}

func run(c config) error {
	dir, err := os.MkdirTemp("", "plenary-intake-")
	if err != nil {
		return err
	}
	if !c.keep {
		defer os.RemoveAll(dir)
	} else {
		fmt.Println("keeping", dir)
	}
	bin := filepath.Join(dir, "plenary")
	build := exec.Command("go", "build", "-o", bin, "./cmd/plenary")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building plenary (run this from the repository's root): %w", err)
	}
	data := filepath.Join(dir, "data")
	env := append(os.Environ(), "PLENARY_DATA="+data, "PLENARY_LOG_LEVEL=warn", "PLENARY_PASSWORD=intake-bench-password",
		fmt.Sprintf("PLENARY_COMMENTS_PER_ACCOUNT=%d", c.bounds), fmt.Sprintf("PLENARY_COMMENTS_PER_ADDRESS=%d", c.bounds))
	if out, err := command(env, bin, "user", "create", "--data", data, "--email", "bench@example.org", "--name", "Intake Bench", "--admin"); err != nil {
		return fmt.Errorf("creating the account: %v: %s", err, out)
	}
	out, err := command(env, bin, "user", "token", "--data", data, "--email", "bench@example.org", "--name", "intake")
	if err != nil {
		return fmt.Errorf("making a token: %v: %s", err, out)
	}
	f := strings.Fields(out)
	token := f[len(f)-1]

	srv, base, err := start(env, bin, data)
	if err != nil {
		return err
	}
	killed := false
	defer func() {
		if !killed {
			_ = srv.Process.Signal(syscall.SIGTERM)
			_ = srv.Wait()
		}
	}()
	api := &client{base: base + "/api/v1", token: token, http: &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConns: c.workers * 2, MaxIdleConnsPerHost: c.workers * 2}}}
	period, err := api.setup()
	if err != nil {
		return err
	}
	fmt.Printf("intake: %d comments/s offered for %s by %d clients, %.0f%% near-duplicates, on %s\n", c.rate, c.duration, c.workers, c.dup*100, data)

	// The measured run, then the load goes on and the server is killed.
	acks := newAcks()
	l := &load{c: c, api: api, period: period, acks: acks}
	srvCPU0, selfCPU0 := processCPU(srv.Process.Pid), selfCPU()
	measured := l.run(c.duration)
	srvCPU, self := processCPU(srv.Process.Pid)-srvCPU0, selfCPU()-selfCPU0
	report("plenary, real API", measured)
	if w := c.window; w > 0 || c.duration >= 2*time.Minute {
		if w == 0 {
			w = time.Minute
		}
		windows(measured, w)
	}
	if measured.ok > 0 && srvCPU > 0 {
		// CPU time per comment does not depend on what else the machine
		// runs, as the rate does on a shared one.
		fmt.Printf("CPU per accepted comment: server %.2f ms (%.1f s in all), clients %.2f ms\n",
			srvCPU.Seconds()*1000/float64(measured.ok), srvCPU.Seconds(), self.Seconds()*1000/float64(measured.ok))
	}
	if c.crashRun > 0 {
		stop := make(chan struct{})
		done := make(chan result)
		go func() { done <- l.runUntil(stop) }()
		time.Sleep(c.crashRun)
		if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
			return err
		}
		_ = srv.Wait()
		killed = true
		close(stop)
		during := <-done
		fmt.Printf("killed the server with SIGKILL after %s more: %d more comments acknowledged, %d requests failed with it\n", c.crashRun, during.ok, during.failed)
		srv, base, err = start(env, bin, data)
		if err != nil {
			return fmt.Errorf("restarting: %w", err)
		}
		killed = false
		api.base = base + "/api/v1"
		if err := api.verify(filepath.Join(data, "plenary.db"), period, acks); err != nil {
			return err
		}
	}
	if !c.skipBase {
		b, err := baseline(filepath.Join(dir, "baseline.db"), c.baseN)
		if err != nil {
			return err
		}
		fmt.Printf("| bare insert loop (one row per transaction, same driver and settings) | %.0f/s | %s | %s | %s | %s | %d |\n",
			float64(b.ok)/b.elapsed.Seconds(), ms(b.q(.5)), ms(b.q(.95)), ms(b.q(.99)), ms(b.q(1)), b.ok)
	}
	return nil
}

// processCPU is the CPU time (user and system) process pid has used, read
// from /proc on Linux; 0 elsewhere.
func processCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command's name, which is in parentheses:
	// utime and stime are the 12th and 13th, in ticks of 1/100 s.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	var ut, st int64
	fmt.Sscan(f[11], &ut)
	fmt.Sscan(f[12], &st)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// selfCPU is the CPU time this process (the clients) has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func command(env []string, bin string, args ...string) (string, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func start(env []string, bin, data string) (*exec.Cmd, string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	addr := l.Addr().String()
	l.Close()
	srv := exec.Command(bin, "serve", "--data", data, "--addr", addr)
	srv.Env = env
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		return nil, "", err
	}
	base := "http://" + addr
	for i := 0; i < 300; i++ {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return srv, base, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	_ = srv.Process.Kill()
	return nil, "", errors.New("the server did not become ready")
}

// client speaks to the JSON API.
type client struct {
	base, token string
	http        *http.Client
}

func (a *client) do(method, path string, body []byte, out any) (int, error) {
	req, err := http.NewRequest(method, a.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode >= 300 {
		return resp.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	if out != nil {
		return resp.StatusCode, json.Unmarshal(b, out)
	}
	return resp.StatusCode, nil
}

const slug = "intake"

// setup makes the forum, its draft text and an open, public comment
// period, and returns the period's id.
func (a *client) setup() (string, error) {
	if _, err := a.do("POST", "/forums", []byte(`{"slug":"`+slug+`","title":"Intake bench","kind":"open_forum"}`), nil); err != nil {
		return "", err
	}
	var d struct{ ID string }
	if _, err := a.do("POST", "/forums/"+slug+"/drafts", []byte(`{"visibility":"public","text":"# Draft statement\n\n1. The Internet should remain open and unfragmented.\n\n2. Internet governance should be multistakeholder and transparent.\n"}`), &d); err != nil {
		return "", err
	}
	var p struct{ ID string }
	if _, err := a.do("POST", "/forums/"+slug+"/consultations", []byte(`{"draft":"`+d.ID+`","title":"Intake bench","public":true,"closes":"2099-01-01T00:00:00Z"}`), &p); err != nil {
		return "", err
	}
	return p.ID, nil
}

// acks are the comments the server acknowledged: number -> id.
type acks struct {
	mu sync.Mutex
	m  map[int]string
}

func newAcks() *acks { return &acks{m: map[int]string{}} }

func (k *acks) add(n int, id string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if other, ok := k.m[n]; ok {
		return fmt.Errorf("number C-%d acknowledged twice, for %s and %s", n, other, id)
	}
	k.m[n] = id
	return nil
}

// load offers comments at the configured rate.
type load struct {
	c      config
	api    *client
	period string
	acks   *acks
	seq    atomic.Int64
}

type result struct {
	ok, failed int
	byStatus   map[int]int
	lat        []time.Duration
	samples    []sample // each accepted comment: when it was due, its latency
	elapsed    time.Duration
	dupErr     error
}

type sample struct{ due, lat time.Duration }

func (r *result) q(p float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	i := int(p * float64(len(r.lat)-1))
	return r.lat[i]
}

// The campaign letters the near-duplicates are filled in from.
var letters = []string{
	"As a user from %s I ask the forum to protect net neutrality and keep the Internet open for everyone, letter %d.",
	"I live in %s and I urge the drafters to keep the multistakeholder model and publish every document, letter %d.",
	"From %s: please do not let any single government control the Internet's critical resources, letter %d.",
	"We in %s depend on affordable access; the roadmap must fund connectivity in developing countries, letter %d.",
}

var towns = []string{"Recife", "Natal", "Belém", "Manaus", "Curitiba", "Salvador", "Fortaleza", "Palmas", "Goiânia", "Campinas"}

var words = strings.Fields(`access accountability architecture capacity civil community cooperation culture data development
diversity governance human infrastructure interconnection intermediaries jurisdiction language liability multistakeholder
network neutrality openness participation privacy process protocol regulation resilience rights roadmap security society
stability standards surveillance technical transparency trust users`)

func (l *load) body(rng *rand.Rand) []byte {
	n := l.seq.Add(1)
	var text, target string
	if rng.Float64() < l.c.dup {
		text = fmt.Sprintf(letters[rng.IntN(len(letters))], towns[rng.IntN(len(towns))], n)
	} else {
		ws := make([]string, 30+rng.IntN(30))
		for i := range ws {
			ws[i] = words[rng.IntN(len(words))]
		}
		text = strings.Join(ws, " ") + fmt.Sprintf(" (comment %d)", n)
	}
	target = `"target":"whole"`
	if n%5 == 0 {
		target = `"target":"provision","provision":"p` + fmt.Sprint(1+n%2) + `"`
	}
	b, _ := json.Marshal(text)
	return []byte(`{"group":"civil_society","organisation":"individual",` + target + `,"text":` + string(b) + `}`)
}

// run offers comments for d and returns what happened; measured runs
// keep the latencies.
func (l *load) run(d time.Duration) result {
	stop := make(chan struct{})
	time.AfterFunc(d, func() { close(stop) })
	return l.runUntil(stop)
}

func (l *load) runUntil(stop chan struct{}) result {
	jobs := make(chan time.Time, l.c.rate) // at most a second's backlog
	var mu sync.Mutex
	res := result{byStatus: map[int]int{}}
	start := time.Now()
	var wg sync.WaitGroup
	for w := range l.c.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 12))
			for due := range jobs {
				var c struct {
					ID     string
					Number int
				}
				status, err := l.api.do("POST", "/forums/"+slug+"/consultations/"+l.period+"/comments", l.body(rng), &c)
				lat := time.Since(due)
				mu.Lock()
				if err == nil && status >= 200 && status < 300 {
					res.ok++
					res.lat = append(res.lat, lat)
					res.samples = append(res.samples, sample{due.Sub(start), lat})
					if e := l.acks.add(c.Number, c.ID); e != nil && res.dupErr == nil {
						res.dupErr = e
					}
				} else {
					res.failed++
					res.byStatus[status]++
				}
				mu.Unlock()
			}
		}()
	}
	interval := time.Second / time.Duration(l.c.rate)
	next := start
	dropped := 0
loop:
	for {
		select {
		case <-stop:
			break loop
		default:
		}
		now := time.Now()
		for !next.After(now) {
			select {
			case jobs <- next:
			default:
				dropped++ // more than a second behind: the offer is not met
			}
			next = next.Add(interval)
		}
		time.Sleep(time.Until(next))
	}
	close(jobs)
	wg.Wait()
	res.elapsed = time.Since(start)
	res.byStatus[-1] = dropped
	sort.Slice(res.lat, func(i, j int) bool { return res.lat[i] < res.lat[j] })
	return res
}

// windows reports the measured run window by window, by when each comment
// was due: whether the rate and the latency hold over the run.
func windows(r result, w time.Duration) {
	n := int(r.elapsed/w) + 1
	by := make([][]time.Duration, n)
	for _, s := range r.samples {
		i := min(int(s.due/w), n-1)
		by[i] = append(by[i], s.lat)
	}
	fmt.Println()
	fmt.Println("| window (by when due) | accepted/s | p50 | p99 | max |")
	fmt.Println("|---|---|---|---|---|")
	for i, lat := range by {
		if len(lat) == 0 {
			continue
		}
		sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
		wr := result{lat: lat}
		span := w
		if end := time.Duration(i+1) * w; end > r.elapsed {
			span = r.elapsed - time.Duration(i)*w
		}
		fmt.Printf("| %s–%s | %.0f/s | %s | %s | %s |\n", time.Duration(i)*w, time.Duration(i)*w+span, float64(len(lat))/span.Seconds(),
			ms(wr.q(.5)), ms(wr.q(.99)), ms(wr.q(1)))
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func report(name string, r result) {
	fmt.Println()
	fmt.Println("| run | accepted/s | p50 | p95 | p99 | max | accepted |")
	fmt.Println("|---|---|---|---|---|---|---|")
	fmt.Printf("| %s | %.0f/s | %s | %s | %s | %s | %d |\n", name, float64(r.ok)/r.elapsed.Seconds(), ms(r.q(.5)), ms(r.q(.95)), ms(r.q(.99)), ms(r.q(1)), r.ok)
	var other []string
	for s, n := range r.byStatus {
		if n == 0 {
			continue
		}
		if s == -1 {
			other = append(other, fmt.Sprintf("%d offers not sent (the clients were a second behind)", n))
		} else {
			other = append(other, fmt.Sprintf("%d answered %d", n, s))
		}
	}
	sort.Strings(other)
	if len(other) > 0 {
		fmt.Println("not accepted:", strings.Join(other, "; "))
	}
	if r.dupErr != nil {
		fmt.Println("ERROR:", r.dupErr)
	}
}

// verify checks the register after the restart against what was
// acknowledged.
func (a *client) verify(db, period string, k *acks) error {
	// The restarted server answers for the period.
	var p struct{ Counts struct{ Comments int } }
	if _, err := a.do("GET", "/forums/"+slug+"/consultations/"+period, nil, &p); err != nil {
		return err
	}
	// The register and the ledger are read from the database the restarted
	// server runs on (a reader beside it), which at millions of comments is
	// quicker than pages of JSON.
	conn, err := sql.Open("sqlite", "file:"+db+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer conn.Close()
	rows, err := conn.Query("SELECT number, id FROM consultation_comments WHERE period_id = ? ORDER BY number", period)
	if err != nil {
		return err
	}
	stored := map[int]string{}
	count := 0
	for rows.Next() {
		var n int
		var id string
		if err := rows.Scan(&n, &id); err != nil {
			rows.Close()
			return err
		}
		count++
		if n != count {
			rows.Close()
			return fmt.Errorf("FAIL: the register's comment %d is numbered C-%d: a number is skipped or repeated", count, n)
		}
		stored[n] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if p.Counts.Comments != count {
		return fmt.Errorf("FAIL: the restarted server counts %d comments in the period, the register holds %d", p.Counts.Comments, count)
	}
	missing := 0
	for n, id := range k.m {
		if stored[n] != id {
			missing++
			if missing <= 5 {
				fmt.Printf("acknowledged C-%d (%s) is not in the register (found %q)\n", n, id, stored[n])
			}
		}
	}
	// Every comment is on the record: one consultation.comment_submitted
	// event each, on the forum's ledger.
	onRecord := map[string]bool{}
	rows, err = conn.Query("SELECT payload FROM ledger_events WHERE type = ?", "consultation.comment_submitted")
	if err != nil {
		return err
	}
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			rows.Close()
			return err
		}
		var ev struct{ Comment string }
		if json.Unmarshal(raw, &ev) == nil {
			onRecord[ev.Comment] = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	offRecord := 0
	for _, id := range stored {
		if !onRecord[id] {
			offRecord++
		}
	}
	fmt.Printf("after the restart: %d comments in the register, numbered 1 to %d without a gap or a repeat; %d acknowledged, %d of them missing; %d in the register without an acknowledgement (in flight at the kill); %d not on the ledger\n",
		len(stored), count, len(k.m), missing, len(stored)-(len(k.m)-missing), offRecord)
	if missing > 0 || offRecord > 0 || len(onRecord) != len(stored) {
		return fmt.Errorf("FAIL: %d acknowledged comments lost, %d comments off the record, %d events for %d comments", missing, offRecord, len(onRecord), len(stored))
	}
	fmt.Println("PASS: nothing acknowledged was lost")
	return nil
}

// baseline is the bare insert loop: one row per transaction.
func baseline(path string, n int) (result, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return result{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE comments (id INTEGER PRIMARY KEY, number INTEGER NOT NULL UNIQUE, author TEXT NOT NULL,
		group_key TEXT NOT NULL, organisation TEXT NOT NULL, target TEXT NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL)`); err != nil {
		return result{}, err
	}
	l := &load{c: config{dup: 0.8}}
	rng := rand.New(rand.NewPCG(1, 2))
	res := result{byStatus: map[int]int{}}
	start := time.Now()
	for i := 1; i <= n; i++ {
		t0 := time.Now()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return result{}, err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO comments (number, author, group_key, organisation, target, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			i, "Intake Bench", "civil_society", "individual", "whole", string(l.body(rng)), time.Now().UnixMilli()); err != nil {
			return result{}, err
		}
		if err := tx.Commit(); err != nil {
			return result{}, err
		}
		res.lat = append(res.lat, time.Since(t0))
		res.ok++
	}
	res.elapsed = time.Since(start)
	sort.Slice(res.lat, func(i, j int) bool { return res.lat[i] < res.lat[j] })
	return res, nil
}
