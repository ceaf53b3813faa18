package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/plenary-forum/plenary/internal/ledger"
)

// The kill -9 rounds: bounds of each.
const (
	auditKillRounds  = 3
	auditKillWorkers = 8
	auditKillReady   = 60 * time.Second // for the server to answer /readyz
	auditKillCheck   = 3 * time.Minute  // for checking the acknowledged writes
)

// auditServer is a plenary serve process.
type auditServer struct {
	cmd  *exec.Cmd
	url  string
	log  *bytes.Buffer
	done chan error
}

// killRounds builds the plenary binary, serves a fresh SQLite data
// directory with it, and three times: hammers it with concurrent API
// writes (documents and bodies), recording each acknowledged one, kills
// the process with SIGKILL mid-load, restarts it, and requires every
// write acknowledged so far to be there and plenary verify to pass.
func (a *audit) killRounds() {
	t := a.t
	dir := t.TempDir()
	bin := filepath.Join(dir, "plenary")
	build := exec.Command("go", "build", "-o", bin, "./cmd/plenary")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/plenary: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "data")
	// The process gets no PLENARY_ variable of the test's environment (a
	// database URL would send it elsewhere): only what is set here.
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PLENARY_") {
			env = append(env, kv)
		}
	}
	run := func(extra []string, args ...string) (string, int) {
		ctx, cancel := context.WithTimeout(a.ctx, time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env = append(append([]string{}, env...), extra...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if err != nil {
			code = -1
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
			if code != 0 && len(extra) == 0 {
				t.Logf("plenary %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
			}
		}
		return out.String(), code
	}
	if _, code := run([]string{"PLENARY_PASSWORD=kill-test-password"}, "user", "create", "--data", data, "--email", "sec@kill.example", "--name", "Sec", "--admin"); code != 0 {
		t.Fatalf("plenary user create: exit %d", code)
	}
	out, code := run(nil, "user", "token", "--data", data, "--email", "sec@kill.example", "--name", "load")
	if code != 0 {
		t.Fatalf("plenary user token: exit %d", code)
	}
	token := strings.TrimSpace(out)
	addr := freeAddr(t)
	start := func() *auditServer {
		ctx := context.WithoutCancel(a.ctx)
		cmd := exec.CommandContext(ctx, bin, "serve", "--data", data, "--addr", addr, "--log-level", "warn")
		cmd.Env = env
		srv := &auditServer{cmd: cmd, url: "http://" + addr, log: &bytes.Buffer{}, done: make(chan error, 1)}
		cmd.Stdout, cmd.Stderr = io.Discard, &lockedWriter{w: srv.log}
		if err := cmd.Start(); err != nil {
			t.Fatalf("plenary serve: %v", err)
		}
		go func() { srv.done <- cmd.Wait() }()
		deadline := time.Now().Add(auditKillReady)
		for {
			resp, err := http.Get(srv.url + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					return srv
				}
			}
			if time.Now().After(deadline) {
				_ = cmd.Process.Kill()
				t.Fatalf("plenary serve did not become ready in %s\n%s", auditKillReady, srv.log.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	srv := start()
	defer func() {
		if srv != nil && srv.cmd.ProcessState == nil {
			_ = srv.cmd.Process.Kill()
			<-srv.done
		}
	}()
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: auditKillWorkers}}
	call := func(method, path, body string) (int, map[string]any, error) {
		req, _ := http.NewRequest(method, srv.url+"/api/v1"+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return 0, nil, err
		}
		a.killRequests.Add(1)
		if resp.StatusCode >= 500 {
			a.kill500.Add(1)
		}
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		return resp.StatusCode, m, nil
	}
	if st, _, err := call("POST", "/forums", `{"slug":"kill","title":"Writes under kill -9","kind":"open_forum"}`); err != nil || st != http.StatusCreated {
		t.Fatalf("create the forum: %d %v", st, err)
	}
	type ack = auditAck
	var acked []ack
	for round := 1; round <= auditKillRounds; round++ {
		var mu sync.Mutex
		var roundAcks []ack
		var sent, errs, server5xx atomic.Int64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := 0; w < auditKillWorkers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					var st int
					var m map[string]any
					var err error
					var k ack
					if i%4 == 3 {
						slug := fmt.Sprintf("r%d-w%d-%d", round, w, i)
						st, _, err = call("POST", "/forums/kill/bodies", fmt.Sprintf(`{"slug":%q,"name":"Body %s","kind":"working_group"}`, slug, slug))
						k = ack{Kind: "body", ID: slug}
					} else {
						st, m, err = call("POST", "/forums/kill/documents", fmt.Sprintf(`{"type":"report","title":"Round %d, writer %d, report %d"}`, round, w, i))
						if id, ok := m["id"].(string); ok {
							num, _ := m["number"].(string)
							k = ack{Kind: "document", ID: id, Number: num}
						}
					}
					sent.Add(1)
					switch {
					case err != nil:
						errs.Add(1) // the process is gone: not acknowledged
						time.Sleep(20 * time.Millisecond)
					case st == http.StatusCreated && k.ID != "":
						mu.Lock()
						roundAcks = append(roundAcks, k)
						mu.Unlock()
					case st >= 500:
						server5xx.Add(1)
					}
					if i > 1_000_000 {
						return // bounded, whatever happens
					}
				}
			}(w)
		}
		// Kill mid-load, at a different moment each round.
		time.Sleep(time.Duration(3+round) * time.Second)
		if err := srv.cmd.Process.Signal(os.Kill); err != nil {
			t.Fatalf("kill -9: %v", err)
		}
		<-srv.done
		time.Sleep(300 * time.Millisecond) // writers see the refused connections
		close(stop)
		wg.Wait()
		mu.Lock()
		acked = append(acked, roundAcks...)
		n := len(roundAcks)
		mu.Unlock()
		a.count("kill -9: acknowledged writes", n)
		a.count("kill -9: rounds", 1)
		if server5xx.Load() > 0 {
			a.find(fmt.Sprintf("kill: 5xx under load in round %d", round), "%d writes answered 5xx before the kill\n%s", server5xx.Load(), srv.log.String())
		}
		srv = start()
		missing := a.checkAcked(call, acked)
		a.killRound = append(a.killRound, fmt.Sprintf("round %d: %d writes acknowledged (%d sent, %d failed once the process was gone), %d of all %d acknowledged so far missing after the restart",
			round, n, sent.Load(), errs.Load(), missing, len(acked)))
		a.killWrites = append(a.killWrites, n)
		a.killMissing += missing
		if missing > 0 {
			a.find(fmt.Sprintf("kill: acknowledged writes lost in round %d", round), "%d of %d acknowledged writes are missing after kill -9 and a restart", missing, len(acked))
		}
		if _, code := run(nil, "verify", "--data", data); code != 0 {
			a.find(fmt.Sprintf("kill: plenary verify fails after round %d", round), "plenary verify --data D exits %d after kill -9 and a restart", code)
		}
		// The export verifies offline with the key the server signs with.
		signer, _, err := ledger.LoadOrCreateKey(filepath.Join(data, "ledger.key"))
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("GET", srv.url+"/api/v1/forums/kill/ledger", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := ledger.VerifyStream(resp.Body, signer.Public())
		resp.Body.Close()
		if err != nil || !rep.OK() {
			a.find(fmt.Sprintf("kill: the exported ledger fails after round %d", round), "the export of the forum after kill -9: %v %v", rep, err)
		}
	}
	// A graceful stop at the end.
	_ = srv.cmd.Process.Signal(os.Interrupt)
	select {
	case <-srv.done:
	case <-time.After(30 * time.Second):
		_ = srv.cmd.Process.Kill()
		<-srv.done
		a.find("kill: no graceful stop", "plenary serve did not stop within 30 s of SIGINT")
	}
}

// auditAck is an acknowledged write: a document (its id and number) or
// a body (its slug).
type auditAck struct{ Kind, ID, Number string }

// checkAcked reads every acknowledged write back and returns how many are
// missing: each document by its id (with its number), each body in the
// forum's list.
func (a *audit) checkAcked(call func(method, path, body string) (int, map[string]any, error), acked []auditAck) int {
	var missing atomic.Int64
	st, m, err := call("GET", "/forums/kill/bodies", "")
	if err != nil || st != http.StatusOK {
		a.t.Fatalf("list the bodies after the restart: %d %v", st, err)
	}
	bodies := map[string]bool{}
	if bs, ok := m["bodies"].([]any); ok {
		for _, b := range bs {
			if bm, ok := b.(map[string]any); ok {
				bodies[fmt.Sprint(bm["slug"])] = true
			}
		}
	}
	docs := make(chan auditAck)
	deadline := time.Now().Add(auditKillCheck)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range docs {
				st, m, err := call("GET", "/forums/kill/documents/"+d.ID, "")
				if err != nil || st != http.StatusOK || m["number"] != d.Number {
					missing.Add(1)
				}
			}
		}()
	}
	unchecked := 0
	for _, k := range acked {
		switch {
		case k.Kind == "body":
			if !bodies[k.ID] {
				missing.Add(1)
			}
		case time.Now().After(deadline):
			unchecked++
		default:
			docs <- k
		}
	}
	close(docs)
	wg.Wait()
	if unchecked > 0 {
		a.find("kill: acknowledged writes not checked in time", "%d acknowledged documents were not read back within %s", unchecked, auditKillCheck)
	}
	return int(missing.Load())
}

// freeAddr is a loopback address with a free port.
func freeAddr(t interface{ Fatal(...any) }) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// lockedWriter serialises writes to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
