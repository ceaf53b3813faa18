package server_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/plenary-forum/plenary/internal/cli"
	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/ledger"
)

// auditLine is one line of an export after the header.
type auditLine struct {
	Event      *ledger.Event      `json:",omitempty"`
	Checkpoint *ledger.Checkpoint `json:"checkpoint,omitempty"`
}

// auditExport is an export read into lines.
type auditExport struct {
	Header ledger.Header
	Lines  []auditLine
}

func (x auditExport) copy() auditExport {
	y := auditExport{Header: x.Header, Lines: make([]auditLine, len(x.Lines))}
	for i, l := range x.Lines {
		if l.Event != nil {
			e := *l.Event
			e.Payload = append([]byte(nil), e.Payload...)
			y.Lines[i].Event = &e
		} else {
			cp := *l.Checkpoint
			y.Lines[i].Checkpoint = &cp
		}
	}
	return y
}

func (x auditExport) bytes() []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	_ = enc.Encode(x.Header)
	for _, l := range x.Lines {
		if l.Event != nil {
			_ = enc.Encode(l.Event)
		} else {
			_ = enc.Encode(struct {
				Checkpoint *ledger.Checkpoint `json:"checkpoint"`
			}{l.Checkpoint})
		}
	}
	return b.Bytes()
}

// events are the indexes of the event lines.
func (x auditExport) events() []int {
	var is []int
	for i, l := range x.Lines {
		if l.Event != nil {
			is = append(is, i)
		}
	}
	return is
}

func (x auditExport) checkpoints() []int {
	var is []int
	for i, l := range x.Lines {
		if l.Checkpoint != nil {
			is = append(is, i)
		}
	}
	return is
}

func readExport(data []byte) (auditExport, error) {
	rd, err := ledger.NewReader(bytes.NewReader(data))
	if err != nil {
		return auditExport{}, err
	}
	x := auditExport{Header: rd.Header()}
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return x, nil
		}
		if err != nil {
			return x, err
		}
		x.Lines = append(x.Lines, auditLine{Event: rec.Event, Checkpoint: rec.Checkpoint})
	}
}

// flipHex changes the last hex digit of s.
func flipHex(s string) string {
	if s == "" {
		return strings.Repeat("0", 64)
	}
	last := s[len(s)-1]
	r := byte('0')
	if last == '0' {
		r = '1'
	}
	return s[:len(s)-1] + string(r)
}

// changeByte changes one letter or digit inside a JSON value's strings
// (or, with none, one digit), keeping it valid JSON.
func changeByte(raw []byte) []byte {
	b := append([]byte(nil), raw...)
	in := false
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == '"' && (i == 0 || b[i-1] != '\\'):
			in = !in
		case in && i > 0 && b[i-1] != '\\' && (b[i] >= 'a' && b[i] < 'z' || b[i] >= '0' && b[i] < '9'):
			// A key's letter would leave the object's shape; a value's
			// is what an editor would change. Values follow a colon.
			if j := bytes.LastIndexByte(b[:i], '"'); j > 0 && bytes.HasSuffix(bytes.TrimRight(b[:j], " "), []byte(":")) {
				b[i]++
				return b
			}
		}
	}
	for i := range b {
		if b[i] >= '0' && b[i] < '9' {
			b[i]++
			return b
		}
	}
	return append(b[:len(b)-1], []byte(`,"x":1}`)...)
}

// auditEdit is one edit of an export. Since: the edit is a consistent
// shorter history, which only a checkpoint kept from before can refute:
// it is verified against the checkpoint the forum published before the
// edit (--since-checkpoint), as docs/RECORD.md says a verifier should.
type auditEdit struct {
	Name  string
	Apply func(x *auditExport)
	Since bool
	// Keyed: the edit is signed with a key the header names; only the
	// forum's own key (--public-key) refutes it.
	Keyed bool
}

// exportEdits are the single edits of an export: each field of sampled
// events, their order and presence, the checkpoints, the tail, and
// events added at the end, signed or not.
func (a *audit) exportEdits(x auditExport) []auditEdit {
	evs := x.events()
	var sample []int
	step := max(1, len(evs)/24)
	for i := 0; i < len(evs); i += step {
		sample = append(sample, i)
	}
	if sample[len(sample)-1] != len(evs)-1 {
		sample = append(sample, len(evs)-1)
	}
	var eds []auditEdit
	ev := func(x *auditExport, k int) *ledger.Event { return x.Lines[x.events()[k]].Event }
	for _, k := range sample {
		k := k
		name := func(s string) string { return fmt.Sprintf("event %d: %s", k+1, s) }
		eds = append(eds,
			auditEdit{Name: name("a byte of its payload changed"), Apply: func(x *auditExport) {
				e := ev(x, k)
				if e.Redacted() {
					e.PayloadHash = flipHex(e.PayloadHash)
				} else {
					e.Payload = changeByte(e.Payload)
				}
			}},
			auditEdit{Name: name("its time moved by 1 ms"), Apply: func(x *auditExport) { e := ev(x, k); e.At = e.At.Add(time.Millisecond) }},
			auditEdit{Name: name("its actor changed"), Apply: func(x *auditExport) { ev(x, k).Actor = "someone-else" }},
			auditEdit{Name: name("its type changed"), Apply: func(x *auditExport) { ev(x, k).Type = "document.withdrawn" }},
			auditEdit{Name: name("its visibility changed"), Apply: func(x *auditExport) {
				e := ev(x, k)
				if e.Visibility == ledger.VisPublic {
					e.Visibility = ledger.VisMembers
				} else {
					e.Visibility = ledger.VisPublic
				}
			}},
			auditEdit{Name: name("its hash changed"), Apply: func(x *auditExport) { e := ev(x, k); e.Hash = flipHex(e.Hash) }},
			auditEdit{Name: name("its link to the previous event changed"), Apply: func(x *auditExport) { e := ev(x, k); e.PrevHash = flipHex(e.PrevHash) }},
			auditEdit{Name: name("its salt changed"), Apply: func(x *auditExport) {
				e := ev(x, k)
				if e.Salt == "" {
					e.Salt = strings.Repeat("ab", 32)
				} else {
					e.Salt = flipHex(e.Salt)
				}
			}},
			auditEdit{Name: name("its number changed"), Apply: func(x *auditExport) { ev(x, k).Seq += 1000 }},
			auditEdit{Name: name("deleted"), Apply: func(x *auditExport) {
				i := x.events()[k]
				x.Lines = append(x.Lines[:i], x.Lines[i+1:]...)
			}},
			auditEdit{Name: name("repeated"), Apply: func(x *auditExport) {
				i := x.events()[k]
				x.Lines = append(x.Lines[:i+1], x.Lines[i:]...)
			}},
		)
		if k+1 < len(evs) {
			eds = append(eds, auditEdit{Name: name("swapped with the next event"), Apply: func(x *auditExport) {
				i, j := x.events()[k], x.events()[k+1]
				x.Lines[i], x.Lines[j] = x.Lines[j], x.Lines[i]
			}})
		}
	}
	cps := x.checkpoints()
	lastCP := func(x *auditExport) *ledger.Checkpoint { c := x.checkpoints(); return x.Lines[c[len(c)-1]].Checkpoint }
	for _, c := range []struct {
		name string
		k    int
	}{{"the first", 0}, {"a middle", len(cps) / 2}, {"the last", len(cps) - 1}} {
		k := c.k
		at := func(x *auditExport) *ledger.Checkpoint { return x.Lines[x.checkpoints()[k]].Checkpoint }
		eds = append(eds,
			auditEdit{Name: c.name + " checkpoint: its signature changed", Apply: func(x *auditExport) {
				cp := at(x)
				sig := []byte(cp.Signature)
				if sig[0] == 'A' {
					sig[0] = 'B'
				} else {
					sig[0] = 'A'
				}
				cp.Signature = string(sig)
			}},
			auditEdit{Name: c.name + " checkpoint: the hash it signs changed", Apply: func(x *auditExport) { cp := at(x); cp.Hash = flipHex(cp.Hash) }},
			auditEdit{Name: c.name + " checkpoint: its time changed", Apply: func(x *auditExport) { cp := at(x); cp.At = cp.At.Add(time.Second) }},
			auditEdit{Name: c.name + " checkpoint: its key id changed", Apply: func(x *auditExport) { cp := at(x); cp.KeyID = flipHex(cp.KeyID) }},
		)
	}
	attacker, err := ledger.GenerateSigner()
	if err != nil {
		a.t.Fatal(err)
	}
	head := func(x *auditExport) ledger.Head { e := x.events(); return x.Lines[e[len(e)-1]].Event.Head() }
	forge := func(x *auditExport) *ledger.Event {
		h := head(x)
		e := ledger.Event{Chain: h.Chain, At: time.Now().UTC().Truncate(time.Millisecond), Actor: "system", Type: "document.submitted",
			Visibility: ledger.VisPublic, Payload: json.RawMessage(`{"title":"A forged document"}`)}
		if err := ledger.SealAfter(h, &e); err != nil {
			a.t.Fatal(err)
		}
		return &e
	}
	eds = append(eds,
		auditEdit{Name: "the final checkpoint deleted", Apply: func(x *auditExport) { x.Lines = x.Lines[:len(x.Lines)-1] }},
		auditEdit{Name: "every checkpoint deleted", Apply: func(x *auditExport) {
			var ls []auditLine
			for _, l := range x.Lines {
				if l.Event != nil {
					ls = append(ls, l)
				}
			}
			x.Lines = ls
		}},
		auditEdit{Name: "the final checkpoint moved before the last event", Apply: func(x *auditExport) {
			n := len(x.Lines)
			x.Lines[n-1], x.Lines[n-2] = x.Lines[n-2], x.Lines[n-1]
		}},
		auditEdit{Name: "an unsigned event appended", Apply: func(x *auditExport) { x.Lines = append(x.Lines, auditLine{Event: forge(x)}) }},
		auditEdit{Name: "an event appended with a checkpoint of another key", Apply: func(x *auditExport) {
			e := forge(x)
			cp, err := attacker.Sign(e.Head(), time.Now().UTC().Truncate(time.Millisecond))
			if err != nil {
				a.t.Fatal(err)
			}
			x.Lines = append(x.Lines, auditLine{Event: e}, auditLine{Checkpoint: &cp})
		}},
		auditEdit{Name: "an event appended with the last checkpoint's signature copied", Apply: func(x *auditExport) {
			e := forge(x)
			cp := *lastCP(x)
			cp.Seq, cp.Hash = e.Seq, e.Hash
			x.Lines = append(x.Lines, auditLine{Event: e}, auditLine{Checkpoint: &cp})
		}},
		auditEdit{Name: "the header names another chain", Apply: func(x *auditExport) { x.Header.Chain = "another-chain" }},
		auditEdit{Name: "rewritten from an event on and signed with another key named in the header", Apply: func(x *auditExport) {
			a.rewrite(x, evs[len(evs)/2], attacker)
		}, Keyed: true},
	)
	for _, n := range []int{1, 2, 3, 10} {
		n := n
		eds = append(eds, auditEdit{Name: fmt.Sprintf("the last %d events cut off with their checkpoints", n), Apply: func(x *auditExport) {
			cut := x.events()[len(x.events())-n]
			x.Lines = x.Lines[:cut]
		}, Since: true})
	}
	eds = append(eds, auditEdit{Name: "cut back to its first checkpoint", Apply: func(x *auditExport) {
		x.Lines = x.Lines[:x.checkpoints()[0]+1]
	}, Since: true})
	eds = append(eds, auditEdit{Name: "cut off after half its events, ending with a checkpoint", Apply: func(x *auditExport) {
		// A consistent shorter history: only a checkpoint kept from
		// before (--since-checkpoint) can tell; without one the file
		// verifies. Here the last checkpoint is kept and must not sign
		// an event that is gone.
		cut := x.events()[len(x.events())/2]
		last := *lastCP(x)
		x.Lines = append(x.Lines[:cut], auditLine{Checkpoint: &last})
	}})
	return eds
}

// rewrite re-seals every event from line i on with one payload changed,
// and re-signs every checkpoint with key, naming it in the header: an
// export consistent in itself, which only the forum's real key refutes.
func (a *audit) rewrite(x *auditExport, from int, key *ledger.Signer) {
	var prev *ledger.Event
	for i, l := range x.Lines {
		if l.Event != nil {
			if i >= from {
				e := l.Event
				if i == from {
					e.Payload = changeByte(e.Payload)
				}
				e.Hash, e.PrevHash = "", ""
				if err := ledger.Seal(prev, e); err != nil {
					a.t.Fatalf("rewrite: %v", err)
				}
			}
			prev = l.Event
			continue
		}
		cp, err := key.Sign(prev.Head(), l.Checkpoint.At)
		if err != nil {
			a.t.Fatal(err)
		}
		x.Lines[i].Checkpoint = &cp
	}
	x.Header.PublicKey, x.Header.KeyID = key.PublicKeyBase64(), key.KeyID()
}

// ledgerEdits edits a forum's exported ledger (the secretariat's full
// export, whose events can be re-sealed, and the public one with redacted
// events) and its stored chain, and requires verification to fail on
// every edit.
func (a *audit) ledgerEdits() {
	pub := a.s.Signer.Public()
	dir := a.t.TempDir()
	// The checkpoint the forum publishes, as a verifier keeps it.
	r := a.personas[0].API.Get("/api/v1/forums/" + demo.WTPFSlug + "/checkpoint")
	published, err := ledger.ParseCheckpoint([]byte(r.Body))
	if err != nil {
		a.t.Fatalf("the published checkpoint: %d %v", r.StatusCode, err)
	}
	sinceFile := filepath.Join(dir, "checkpoint.json")
	if err := os.WriteFile(sinceFile, []byte(r.Body), 0o600); err != nil {
		a.t.Fatal(err)
	}
	trusting := 0
	defer func() {
		if trusting > 0 {
			a.note("%d edited exports (histories cut at a checkpoint, or re-signed with a key named in the header) verify without --public-key and --since-checkpoint, as docs/RECORD.md says: a verifier keeps the forum's key and a checkpoint", trusting)
		}
	}()
	for _, who := range []*auditPersona{a.sec, a.personas[0]} {
		r := who.API.Get("/api/v1/forums/" + demo.WTPFSlug + "/ledger")
		if r.StatusCode != 200 {
			a.t.Fatalf("ledger export as %s: %d", who.Name, r.StatusCode)
		}
		x, err := readExport([]byte(r.Body))
		if err != nil {
			a.t.Fatalf("ledger export as %s: %v", who.Name, err)
		}
		// The export as this harness writes it back verifies: what fails
		// below fails because of the edit.
		o := ledger.VerifyOptions{Keys: []ed25519.PublicKey{pub}, Since: &published}
		if rep, err := ledger.VerifyStreamWith(bytes.NewReader(x.bytes()), o); err != nil || !rep.OK() {
			a.t.Fatalf("the unedited export as %s does not verify: %v %v", who.Name, rep, err)
		}
		if a.cliVerify(dir, x.bytes(), pub, sinceFile) != 0 {
			a.t.Fatalf("plenary verify refuses the unedited export as %s", who.Name)
		}
		for _, ed := range a.exportEdits(x) {
			y := x.copy()
			ed.Apply(&y)
			data := y.bytes()
			a.count("ledger edits: exported", 1)
			o, since, how := ledger.VerifyOptions{Keys: []ed25519.PublicKey{pub}}, "", "--public-key K"
			if ed.Since {
				o.Since, since, how = &published, sinceFile, "--public-key K --since-checkpoint CP"
			}
			if rep, err := ledger.VerifyStreamWith(bytes.NewReader(data), o); err == nil && rep.OK() {
				a.find("ledger: export edit not caught: "+ed.Name, "the export as %s with %s verifies with the forum's key", who.Name, ed.Name)
			}
			if code := a.cliVerify(dir, data, pub, since); code == 0 {
				a.find("ledger: plenary verify misses an export edit: "+ed.Name, "plenary verify --file F %s accepts the export as %s with %s", how, who.Name, ed.Name)
			}
			// What a verifier without a kept checkpoint, or trusting the
			// header's key, would accept: documented limits, counted.
			if ed.Since || ed.Keyed {
				if rep, err := ledger.VerifyStream(bytes.NewReader(data)); err == nil && rep.OK() {
					trusting++
				}
			}
		}
	}
	a.storedEdits()
}

// cliVerify runs plenary verify --file --public-key on data and returns its
// exit code.
func (a *audit) cliVerify(dir string, data []byte, pub ed25519.PublicKey, since string) int {
	path := filepath.Join(dir, "ledger.jsonl")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		a.t.Fatal(err)
	}
	env := &cli.Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	args := []string{"verify", "--file", path, "--public-key", ledger.EncodePublicKey(pub)}
	if since != "" {
		args = append(args, "--since-checkpoint", since)
	}
	return cli.Main(a.ctx, args, env)
}

// --- the stored chain ---

type auditRow []any

// storedEdits edits the stored chain of a forum as someone with access
// to the database could, one edit at a time, and requires the
// verification of stored chains to fail; each edit is undone, and the
// chain must verify again before the next.
func (a *audit) storedEdits() {
	ctx := a.ctx
	f, err := a.s.Svc.Kernel.ForumBySlug(ctx, demo.WTPFSlug)
	if err != nil {
		a.t.Fatal(err)
	}
	chain := f.ID
	published, err := a.s.Store.LatestCheckpoint(ctx, chain)
	if err != nil {
		a.t.Fatal(err)
	}
	verify := func(since bool) bool {
		o := ledger.VerifyOptions{Keys: []ed25519.PublicKey{a.s.Signer.Public()}}
		if since {
			o.Since = &published
		}
		rep, err := a.s.Store.VerifyChain(ctx, chain, o)
		if err != nil {
			a.t.Fatalf("verify the stored chain: %v", err)
		}
		return rep.OK()
	}
	if !verify(true) {
		a.t.Fatal("the stored chain does not verify before the edits")
	}
	head, err := a.s.Store.Head(ctx, chain)
	if err != nil {
		a.t.Fatal(err)
	}
	n := head.Seq
	exec := func(q string, args ...any) {
		if _, err := a.s.Store.ExecContext(ctx, q, args...); err != nil {
			a.t.Fatalf("%s: %v", q, err)
		}
	}
	const evCols = "chain, seq, at, actor, type, visibility, payload, salt, prev_hash, hash"
	const cpCols = "chain, seq, hash, at, key_id, signature"
	read := func(table, cols string, seq int64) auditRow {
		rows, err := a.s.Store.QueryContext(ctx, "SELECT "+cols+" FROM "+table+" WHERE chain = ? AND seq = ?", chain, seq)
		if err != nil {
			a.t.Fatal(err)
		}
		defer rows.Close()
		if !rows.Next() {
			return nil
		}
		names, _ := rows.Columns()
		vals := make([]any, len(names))
		ptrs := make([]any, len(names))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			a.t.Fatal(err)
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		return vals
	}
	readHead := func() auditRow {
		var seq int64
		var hash string
		if err := a.s.Store.QueryRowContext(ctx, "SELECT seq, hash FROM ledger_heads WHERE chain = ?", chain).Scan(&seq, &hash); err != nil {
			return nil
		}
		return auditRow{seq, hash}
	}
	type stored struct {
		name   string
		events []int64 // the events and checkpoints it touches, by seq
		head   bool
		apply  func()
		since  bool // verified against the checkpoint published before
	}
	event := func(seq int64) ledger.Event {
		e, err := a.s.Store.Event(ctx, chain, seq)
		if err != nil {
			a.t.Fatal(err)
		}
		return e
	}
	var cpSeqs []int64
	cps, err := a.s.Store.Checkpoints(ctx, chain, 0, n)
	if err != nil {
		a.t.Fatal(err)
	}
	for _, cp := range cps {
		cpSeqs = append(cpSeqs, cp.Seq)
	}
	var eds []stored
	step := max(1, n/12)
	for s := int64(1); s <= n; s += step {
		s := s
		name := func(what string) string { return fmt.Sprintf("event %d: %s", s, what) }
		touch := []int64{s}
		eds = append(eds,
			stored{name: name("a byte of its payload changed"), events: touch, head: false, apply: func() {
				exec("UPDATE ledger_events SET payload = ? WHERE chain = ? AND seq = ?", string(changeByte(event(s).Payload)), chain, s)
			}},
			stored{name: name("its time changed"), events: touch, head: false, apply: func() { exec("UPDATE ledger_events SET at = at + 1 WHERE chain = ? AND seq = ?", chain, s) }},
			stored{name: name("its actor changed"), events: touch, head: false, apply: func() {
				exec("UPDATE ledger_events SET actor = ? WHERE chain = ? AND seq = ?", "someone-else", chain, s)
			}},
			stored{name: name("its type changed"), events: touch, head: false, apply: func() {
				exec("UPDATE ledger_events SET type = ? WHERE chain = ? AND seq = ?", "document.withdrawn", chain, s)
			}},
			stored{name: name("its visibility changed"), events: touch, head: false, apply: func() {
				v := ledger.VisPublic
				if event(s).Visibility == ledger.VisPublic {
					v = ledger.VisMembers
				}
				exec("UPDATE ledger_events SET visibility = ? WHERE chain = ? AND seq = ?", v, chain, s)
			}},
			stored{name: name("its hash changed"), events: touch, head: false, apply: func() {
				exec("UPDATE ledger_events SET hash = ? WHERE chain = ? AND seq = ?", flipHex(event(s).Hash), chain, s)
			}},
			stored{name: name("its link changed"), events: touch, head: false, apply: func() {
				exec("UPDATE ledger_events SET prev_hash = ? WHERE chain = ? AND seq = ?", flipHex(event(s).PrevHash), chain, s)
			}},
			stored{name: name("its salt changed"), events: touch, head: false, apply: func() {
				salt := strings.Repeat("ab", 32)
				if e := event(s); e.Salt != "" {
					salt = flipHex(e.Salt)
				}
				exec("UPDATE ledger_events SET salt = ? WHERE chain = ? AND seq = ?", salt, chain, s)
			}},
			stored{name: name("deleted"), events: touch, head: false, apply: func() { exec("DELETE FROM ledger_events WHERE chain = ? AND seq = ?", chain, s) }},
		)
		if s < n {
			eds = append(eds, stored{name: name("swapped with the next"), events: []int64{s, s + 1}, head: false, apply: func() {
				exec("UPDATE ledger_events SET seq = -1 WHERE chain = ? AND seq = ?", chain, s)
				exec("UPDATE ledger_events SET seq = ? WHERE chain = ? AND seq = ?", s, chain, s+1)
				exec("UPDATE ledger_events SET seq = ? WHERE chain = ? AND seq = -1", s+1, chain)
			}})
		}
	}
	last := cpSeqs[len(cpSeqs)-1]
	mid := cpSeqs[len(cpSeqs)/2]
	// A consistent shorter history ends at an earlier checkpoint.
	prev := cpSeqs[len(cpSeqs)-2]
	var cutBack []int64
	for s := prev + 1; s <= n; s++ {
		cutBack = append(cutBack, s)
	}
	forged := func() ledger.Event {
		e := ledger.Event{Chain: chain, At: time.Now().UTC().Truncate(time.Millisecond), Actor: "system", Type: "document.submitted",
			Visibility: ledger.VisPublic, Payload: json.RawMessage(`{"title":"A forged document"}`)}
		last := event(n)
		if err := ledger.SealAfter(last.Head(), &e); err != nil {
			a.t.Fatal(err)
		}
		exec("INSERT INTO ledger_events ("+evCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			e.Chain, e.Seq, e.At.UnixMilli(), e.Actor, e.Type, e.Visibility, string(e.Payload), e.Salt, e.PrevHash, e.Hash)
		return e
	}
	eds = append(eds,
		stored{name: "the last checkpoint deleted", events: []int64{last}, head: false, apply: func() { exec("DELETE FROM ledger_checkpoints WHERE chain = ? AND seq = ?", chain, last) }},
		stored{name: "the last checkpoint's signature changed", events: []int64{last}, head: false, apply: func() {
			exec("UPDATE ledger_checkpoints SET signature = ? WHERE chain = ? AND seq = ?", strings.Repeat("A", 86)+"==", chain, last)
		}},
		stored{name: "a middle checkpoint's signature changed", events: []int64{mid}, head: false, apply: func() {
			exec("UPDATE ledger_checkpoints SET signature = ? WHERE chain = ? AND seq = ?", strings.Repeat("A", 86)+"==", chain, mid)
		}},
		stored{name: "a middle checkpoint's hash changed", events: []int64{mid}, head: false, apply: func() {
			exec("UPDATE ledger_checkpoints SET hash = ? WHERE chain = ? AND seq = ?", flipHex(event(mid).Hash), chain, mid)
		}},
		stored{name: "the last 3 events cut off with their checkpoints", events: []int64{n - 2, n - 1, n}, head: false, apply: func() {
			exec("DELETE FROM ledger_events WHERE chain = ? AND seq > ?", chain, n-3)
			exec("DELETE FROM ledger_checkpoints WHERE chain = ? AND seq > ?", chain, n-3)
		}},
		stored{name: "the last 3 events cut off and the head record moved back", events: []int64{n - 2, n - 1, n}, head: true, apply: func() {
			exec("DELETE FROM ledger_events WHERE chain = ? AND seq > ?", chain, n-3)
			exec("UPDATE ledger_heads SET seq = ?, hash = ? WHERE chain = ?", n-3, event(n-3).Hash, chain)
		}},
		stored{name: "cut back to the checkpoint before the last, with its head record", events: cutBack, head: true, apply: func() {
			exec("DELETE FROM ledger_events WHERE chain = ? AND seq > ?", chain, prev)
			exec("DELETE FROM ledger_checkpoints WHERE chain = ? AND seq > ?", chain, prev)
			exec("UPDATE ledger_heads SET seq = ?, hash = ? WHERE chain = ?", prev, event(prev).Hash, chain)
		}, since: true},
		stored{name: "the head record deleted", events: nil, head: true, apply: func() { exec("DELETE FROM ledger_heads WHERE chain = ?", chain) }},
		stored{name: "the head record's hash changed", events: nil, head: true, apply: func() {
			exec("UPDATE ledger_heads SET hash = ? WHERE chain = ?", flipHex(event(n).Hash), chain)
		}},
		stored{name: "a forged event appended, unsigned", events: []int64{n + 1}, head: false, apply: func() { forged() }},
		stored{name: "a forged event appended and the head record moved to it", events: []int64{n + 1}, head: true, apply: func() {
			e := forged()
			exec("UPDATE ledger_heads SET seq = ?, hash = ? WHERE chain = ?", e.Seq, e.Hash, chain)
		}},
	)
	for _, ed := range eds {
		saved := map[int64][2]auditRow{}
		for _, s := range ed.events {
			saved[s] = [2]auditRow{read("ledger_events", evCols, s), read("ledger_checkpoints", cpCols, s)}
		}
		var savedHead auditRow
		if ed.head {
			savedHead = readHead()
		}
		ed.apply()
		a.count("ledger edits: stored", 1)
		if verify(ed.since) {
			a.find("ledger: stored edit not caught: "+ed.name, "the stored chain of %s with %s verifies", demo.WTPFSlug, ed.name)
		}
		// Undo.
		for s, rows := range saved {
			exec("DELETE FROM ledger_events WHERE chain = ? AND seq = ?", chain, s)
			exec("DELETE FROM ledger_checkpoints WHERE chain = ? AND seq = ?", chain, s)
			if rows[0] != nil {
				exec("INSERT INTO ledger_events ("+evCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows[0]...)
			}
			if rows[1] != nil {
				exec("INSERT INTO ledger_checkpoints ("+cpCols+") VALUES (?, ?, ?, ?, ?, ?)", rows[1]...)
			}
		}
		if ed.head {
			exec("DELETE FROM ledger_heads WHERE chain = ?", chain)
			exec("INSERT INTO ledger_heads (chain, seq, hash) VALUES (?, ?, ?)", chain, savedHead[0], savedHead[1])
		}
		if !verify(true) {
			a.t.Fatalf("the stored chain does not verify after undoing %s", ed.name)
		}
	}
}
